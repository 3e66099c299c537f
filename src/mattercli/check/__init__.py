"""Checking: the validate engine, one rule per module, configuration, suppressions, baselines, changed-only runs, findings."""
