"""证明材料清理: the proof index, duplicate clusters, circular and baseless proofs, and their formats."""
