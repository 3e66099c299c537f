"""Core modules never import the CLI libraries (typer, rich) or the CLI package: checked for every module."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
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


def test_import_contracts_hold() -> None:
    """The import-linter contracts of pyproject.toml: core knows nothing of the CLI, the stages are layered, and no
    package or module imports in a cycle (a new upward import or cycle fails here, naming the edge)."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    done = subprocess.run([str(lint), "--no-cache"], cwd=SRC.parent.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_every_package_is_a_stage_of_the_layers_contract() -> None:
    """A new top-level package must take its place in the layers (or the contract would not see it)."""
    config = tomllib.loads((SRC.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    packages = {f"mattercli.{p.name}" for p in SRC.iterdir() if (p / "__init__.py").is_file() and p.name != "data"}
    assert packages <= named, sorted(packages - named)
    assert not list(SRC.glob("*.py")) or [p.name for p in SRC.glob("*.py")] == ["__init__.py"], (
        "modules belong in a stage package"
    )
