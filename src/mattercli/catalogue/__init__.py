"""Reading the catalogue: files, git, YAML, the catalogue root and registries, snapshots at a revision, atomic writes, the cache."""
