"""`mattercli stats` from the command line: formats (golden Markdown and table output), options, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app
from mattercli.stats.charts import find_cjk_font
from mattercli.stats.run import FIGURES
from stats_fixture import git, make_repo

GOLDEN = Path(__file__).parent / "golden" / "stats"
UPDATE = os.environ.get("MATTERCLI_UPDATE_GOLDEN") == "1"
runner = CliRunner()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("stats-cli") / "catalog")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["stats", *args])
    return result.exit_code, result.output


def pinned(text: str, repo: Path) -> str:
    """Commit ids in place of <v1>/<v2>, so the golden files do not depend on the registry files' bytes."""
    for tag in ("v1", "v2"):
        sha = git(repo, "rev-parse", tag)
        text = text.replace(sha, f"<{tag}>").replace(sha[:10], f"<{tag}>")
    return text


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def test_markdown_against_baseline_matches_golden(repo: Path) -> None:
    code, out = run(str(repo), "--baseline", "v1", "--reproducible", "--format", "markdown")
    assert code == 0, out
    check_golden("compare.md", pinned(out, repo))


def test_table_in_english_matches_golden(repo: Path) -> None:
    code, out = run(str(repo), "--baseline", "v1", "--reproducible", "--lang", "en", "--by", "type")
    assert code == 0, out
    check_golden("compare-by-type-en.txt", pinned(out, repo))


def test_table_names_the_head_of_the_work_tree(repo: Path) -> None:
    code, out = run(str(repo))
    assert code == 0
    assert f"工作区(所在提交 HEAD {git(repo, 'rev-parse', 'HEAD')[:10]})" in out
    assert "实施清单事项数" in out and "最多跑一次占比" in out


def test_json_states_sources_populations_and_fractions(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "stats.json"
    code, out = run(str(repo), "--baseline", "v1", "--rev", "v2", "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    v1, v2 = git(repo, "rev-parse", "v1"), git(repo, "rev-parse", "v2")
    assert doc["sources"] == {
        "current": {"label": f"v2({v2[:10]})", "commit": v2},
        "baseline": {"label": f"v1({v1[:10]})", "commit": v1},
    }
    figures = {f["id"]: f for f in doc["figures"]}
    assert list(figures) == [f.id for f in FIGURES]
    share = figures["max_one_visit_share"]
    assert share["population"] == "依申请的实施清单事项(事项状态为在用)"
    assert share["practice"].startswith("最多跑一次 = 0 或 1 次")
    assert share["current"] == {"value": 1.0, "numerator": 3, "denominator": 3, "from": [f"v2({v2[:10]})"]}
    assert share["baseline"] == {"value": 0.75, "numerator": 3, "denominator": 4, "from": [f"v1({v1[:10]})"]}
    # 办件量 at v2: I1 300 and I6 100 in their files, I7 50 in registry/case-volumes.yaml (2025, the latest year)
    assert doc["volume_basis"] == {"year": 2025, "min_coverage": 0.8}
    cancelled = figures["impl_cancelled"]
    assert cancelled["needs_baseline"] and cancelled["baseline"] is None
    assert cancelled["current"]["from"] == [f"v1({v1[:10]})", f"v2({v2[:10]})"]
    assert doc["skipped"] == {"current": ["impl/330106/broken.yaml"], "baseline": []}
    region = next(b for b in doc["breakdowns"] if b["dimension"] == "region")
    assert [g["key"] for g in region["groups"]] == ["330106", "330100", "330108"]
    assert region["groups"][1]["figures"]["impl_count"]["baseline"]["value"] == 3


def test_csv_long_format(repo: Path) -> None:
    code, out = run(str(repo), "--baseline", "v1", "--format", "csv", "--where", "层级=地市级")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    summary = {(r["figure"], r["side"]): r for r in rows if r["dimension"] == ""}
    assert summary[("impl_count", "current")]["value"] == "0"
    assert summary[("impl_count", "baseline")]["value"] == "3"
    assert summary[("impl_delegated", "change")]["value"] == "1"
    assert {r["dimension"] for r in rows} == {"", "type", "department", "region", "nature", "level"}


def test_html_is_escaped_and_complete(repo: Path) -> None:
    code, out = run(str(repo), "--format", "html", "--where", "部门=杭州市西湖区市场监督管理局")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "部门 = 杭州市西湖区市场监督管理局" in out
    assert out.count("<table>") == 7  # summary + populations explained + five breakdowns
    assert "<h2>统计范围说明</h2>" in out and "不计入服务类比例" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--where", "颜色=红"], "未知的筛选键"),
        (["--where", "事项类型=许可"], "未知事项类型"),
        (["--by", "colour"], "未知分组维度"),
        (["--baseline", "no-such-tag"], "no-such-tag"),
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["stats", str(repo), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "路径不存在" in result.stderr


def test_baseline_outside_git_exits_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "registry").mkdir(parents=True)
    result = runner.invoke(app, ["stats", str(plain), "--baseline", "HEAD"])
    assert result.exit_code == 2 and "git" in result.stderr


@pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")
def test_charts_go_to_reports_charts_by_default(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["stats", str(repo), "--baseline", "v1", "--charts", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "reports/charts/charts.json").read_text(encoding="utf-8"))
    assert "reform-changes" in [c["id"] for c in manifest["charts"]]
    assert "已生成 14 个图表文件" in result.stderr
    assert json.loads(result.stdout)["command"] == "stats"


@pytest.mark.parametrize(
    ("where", "suggested"),
    [
        ("部门=XYZ", "现有的如"),
        ("部门=杭州市西湖区市场监督局", "杭州市西湖区市场监督管理局"),
        ("区划=999999", "现有的如"),
        ("区划=330107", "330106"),
    ],
)
def test_a_filter_that_matches_nothing_is_exit_2_with_the_closest_values(
    where: str, suggested: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22 item 6: before, these printed zeros and exited 0."""
    monkeypatch.chdir(Path(__file__).parent.parent / "catalog")
    result = CliRunner().invoke(app, ["stats", "--no-cache", "--where", where])
    assert result.exit_code == 2 and suggested in result.stderr, result.output


def test_a_department_short_name_filters_by_the_registered_name(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = Path(__file__).parent.parent / "catalog"
    monkeypatch.chdir(catalog)
    short = CliRunner().invoke(app, ["stats", "--no-cache", "-f", "json", "--where", "部门=住房城乡建设部"])
    full = CliRunner().invoke(app, ["stats", "--no-cache", "-f", "json", "--where", "部门=住房和城乡建设部"])
    assert short.exit_code == full.exit_code == 0, short.output
    assert json.loads(short.stdout)["figures"] == json.loads(full.stdout)["figures"]
