"""The committed figures of the embedded catalogue (reports/) are what `mattercli stats catalog/` gives now.

Regenerates them in a temporary directory with the commands docs/stats.md documents and compares. A failure
means the catalogue (or the stats code) changed: rerun those commands and commit reports/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app
from mattercli.stats.charts import MANIFEST, find_cjk_font

ROOT = Path(__file__).parent.parent
CATALOG = ROOT / "catalog"
REPORTS = ROOT / "reports"
DOC = ROOT / "docs" / "stats.md"
#: The documented commands, with the output paths relative to reports/.
COMMANDS = (
    ("--reproducible", "--format", "json", "--output", "stats.json"),
    ("--reproducible", "--format", "markdown", "--output", "stats.md"),
    ("--reproducible", "--format", "csv", "--output", "stats.csv", "--charts-dir", "charts"),
)
REGENERATE = "mattercli stats 的 reports/ 已过期;请运行 docs/stats.md 中 'The embedded catalogue's figures' 的三条命令"

pytestmark = pytest.mark.skipif(not (CATALOG / "registry").is_dir(), reason="no embedded catalogue")


def documented(command: tuple[str, ...]) -> str:
    words = ["mattercli", "stats", "catalog/"]
    for i, word in enumerate(command):
        previous = command[i - 1] if i else ""
        words.append(f"reports/{word}" if previous in ("--output", "--charts-dir") else word)
    return " ".join(words)


def test_the_commands_are_the_documented_ones() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert documented(command) in doc


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    runner = CliRunner()
    for command in COMMANDS:
        args = [
            str(out / a) if i and command[i - 1] in ("--output", "--charts-dir") else a for i, a in enumerate(command)
        ]
        if "--charts-dir" in command and find_cjk_font() is None:
            cut = args.index("--charts-dir")
            args = args[:cut] + args[cut + 2 :]
        result = runner.invoke(app, ["stats", str(CATALOG), *args])
        assert result.exit_code == 0, result.output + result.stderr
    return out


@pytest.mark.parametrize("name", ["stats.json", "stats.md", "stats.csv"])
def test_committed_figures_are_current(regenerated: Path, name: str) -> None:
    committed = REPORTS / name
    assert committed.is_file(), REGENERATE
    assert (regenerated / name).read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), REGENERATE


def test_committed_figures_are_independent_of_path_and_commit() -> None:
    text = (REPORTS / "stats.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["sources"] == {"current": {"label": "工作区", "commit": None, "head": None}, "baseline": None}
    assert str(ROOT) not in text and not re.search(r"\b[0-9a-f]{40}\b", text)
    assert doc["skipped"] == {"current": []}


def _stamp(svg: str) -> str | None:
    found = re.search(r"<dc:title>(mattercli stats; [^<]*)</dc:title>", svg)
    return found.group(1) if found else None


@pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")
def test_committed_charts_are_current(regenerated: Path) -> None:
    committed = REPORTS / "charts"
    assert (committed / MANIFEST).is_file(), REGENERATE
    manifest = (regenerated / "charts" / MANIFEST).read_text(encoding="utf-8")
    assert manifest == (committed / MANIFEST).read_text(encoding="utf-8"), REGENERATE
    files = [f for chart in json.loads(manifest)["charts"] for f in chart["files"]]
    assert files and all((committed / f).is_file() for f in files), REGENERATE
    for name in files:
        if not name.endswith(".svg"):
            continue
        new = (regenerated / "charts" / name).read_text(encoding="utf-8")
        old = (committed / name).read_text(encoding="utf-8")
        if _stamp(new) != _stamp(old):
            continue  # another matplotlib or font draws other bytes: the numbers (charts.json) matched
        assert new == old, f"{name}: {REGENERATE}"
        png = name.removesuffix(".svg") + ".png"
        assert (regenerated / "charts" / png).read_bytes() == (committed / png).read_bytes(), f"{png}: {REGENERATE}"
