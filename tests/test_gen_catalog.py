"""Smoke test of scripts/gen_catalog.py: deterministic output, and a catalogue that validates without errors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mattercli.check.engine import ValidateOptions, validate
from mattercli.check.findings import Severity

SCRIPT = Path(__file__).parent.parent / "scripts" / "gen_catalog.py"
MATTERS = 300


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_catalog", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class body runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load_generator()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_arguments_give_the_same_bytes(gen: ModuleType, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert gen.main([str(first), "--matters", str(MATTERS), "--seed", "7", "--quiet"]) == 0
    assert gen.main([str(second), "--matters", str(MATTERS), "--seed", "7", "--quiet"]) == 0
    a, b = _snapshot(first), _snapshot(second)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"files differ between two runs: {differing[:10]}"
    matters = [name for name in a if name.startswith(("base/", "impl/"))]
    assert len(matters) == MATTERS
    assert {name.split("/")[0] for name in a} == {"registry", "base", "impl"}


def test_another_seed_gives_another_catalogue(gen: ModuleType, tmp_path: Path) -> None:
    gen.main([str(tmp_path / "a"), "--matters", "60", "--seed", "1", "--quiet"])
    gen.main([str(tmp_path / "b"), "--matters", "60", "--seed", "2", "--quiet"])
    assert _snapshot(tmp_path / "a") != _snapshot(tmp_path / "b")


def test_generated_catalogue_has_no_errors(gen: ModuleType, tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    assert gen.main([str(root), "--matters", str(MATTERS), "--seed", "3", "--quiet"]) == 0
    report = validate([root], ValidateOptions(jobs=1))
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    shown = "\n".join(f"{f.file}:{f.line}: [{f.rule}] {f.code} {f.message}" for f in errors[:30])
    assert not errors, f"{len(errors)} error findings on generated data:\n{shown}"
    assert report.matters == MATTERS
    # Every national type is present among the base entries.
    types = {
        line.split(": ", 1)[1]
        for p in (root / "base").glob("*.yaml")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.startswith("事项类型: ")
    }
    assert types == {label for label, _, _ in gen.TYPES}
