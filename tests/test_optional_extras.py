"""Charts (matplotlib) and numpy are optional extras (issue 23 item 10): what validate needs — the environment a
pre-commit hook installs — leaves them out, every command but `stats --charts` works without them, and that one
says how to install the extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mattercli.proofs import similarity as proof_similarity
from mattercli.proofs.similarity import similar_pairs
from validate_ci_helpers import F_IMPL, MINI, copy_mini, edit

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "numpy")

#: Runs the mattercli CLI in a fresh interpreter where matplotlib and numpy cannot be imported, as in an
#: environment installed without the extras.
BLOCKED = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError(f"No module named {{name!r}} (blocked)")
        return None
sys.meta_path.insert(0, Block())
sys.argv = ["mattercli", *{args!r}]
from mattercli.cli import main
sys.exit(main())
"""


def run_without_extras(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "MATTERCLI_CJK_FONT")}
    code = BLOCKED.format(blocked=set(HEAVY), args=list(args))
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=300
    )


def test_the_core_dependencies_leave_charts_and_numpy_out() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"]).lower()
    assert not any(name in core for name in HEAVY)
    extras = project["optional-dependencies"]
    assert any(d.startswith("matplotlib") for d in extras["charts"])
    assert any(d.startswith("numpy") for d in extras["fast"])
    assert any(d.startswith("mattercli[") and "charts" in d for d in extras["dev"])  # so the tests draw charts


def test_validate_runs_without_the_extras(tmp_path: Path) -> None:
    root = copy_mini(tmp_path / "catalog")
    ok = run_without_extras("validate", ".", "--no-cache", "--format", "json", cwd=root)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["summary"]["files"] == 4
    edit(root, F_IMPL, "  时限: 5\n", "  时限: 25\n")
    failing = run_without_extras("validate", ".", "--no-cache", cwd=root)
    assert failing.returncode == 1 and "[time-limit]" in failing.stdout, failing.stderr


def test_stats_charts_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    out = tmp_path / "charts"
    result = run_without_extras("stats", str(MINI), "--charts-dir", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "mattercli[charts]" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    plain = run_without_extras("stats", str(MINI), cwd=tmp_path)  # stats without charts needs no extra
    assert plain.returncode == 0, plain.stderr


NAMES = [
    "户口簿",
    "户口薄",
    "居民户口簿",
    "居民户口薄复印件",
    "营业执照副本",
    "营业执照正本",
    "营业执照副本复印件",
    "食品经营许可证",
    "食品经营许可证明",
    "一级建造师证书",
    "二级建造师证书",
    "身份证明材料",
    "身份证明文件",
    "不动产权证书",
    "不动产权证明书",
    "法定代表人身份证明",
    "法定代表人身份证",
]


@pytest.mark.parametrize("threshold", [0.6, 0.75, 0.8])
def test_near_duplicates_are_the_same_without_numpy(monkeypatch: pytest.MonkeyPatch, threshold: float) -> None:
    """Without numpy, proofs finds near-duplicate names row by row: the very same pairs and scores."""
    with_numpy = similar_pairs(NAMES, threshold)
    assert with_numpy, "the fixture names should have near duplicates"
    monkeypatch.setattr(proof_similarity, "np", None)
    assert similar_pairs(NAMES, threshold) == with_numpy
