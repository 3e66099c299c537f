"""Core modules never import the CLI libraries (typer, rich) or the CLI package: checked for every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "mattercli"
FORBIDDEN = ("typer", "rich", "mattercli.cli")
CORE = sorted(p for p in SRC.rglob("*.py") if "cli" not in p.relative_to(SRC).parts)


@pytest.mark.parametrize("path", CORE, ids=[p.relative_to(SRC).as_posix() for p in CORE])
def test_core_module_does_not_import_cli_libraries(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), f"{path.name} imports {name}"
