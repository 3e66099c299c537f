"""Write docs/rules.md from the rule registry (tests/test_validate_formats.py checks it is up to date)."""

from __future__ import annotations

import sys
from pathlib import Path

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.check.engine import full_registry
from mattercli.check.rule_docs import RULES_DOC, rules_markdown

if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    atomic_write_text(root / RULES_DOC, rules_markdown(full_registry()))
