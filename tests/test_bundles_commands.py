"""一件事 through the commands: the 一件事事项清单 export (golden rows in CSV, the same rows in XLSX and HTML, bundle
pages linking member matters), `diff` of bundle changes, `stats` against a baseline, `new --bundle`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
from tests.export_helpers import check_golden, read_csv
from typer.testing import CliRunner

from mattercli.check.engine import validate
from mattercli.cli import app
from mattercli.export import ExportFormat, ExportOptions, export_catalog
from mattercli.stats.run import compute_stats

ROOT = Path(__file__).parent.parent
CATALOG = ROOT / "catalog"
HEADERS = ["序号", "一件事名称", "牵头部门", "配合部门", "涉及事项", "承诺时限", "跑动次数", "减材料", "减时限"]


def git(root: Path, *args: str) -> str:
    run = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-C", str(root), *args]
    return subprocess.run(run, check=True, capture_output=True, text=True).stdout


def copy_catalog(tmp: Path) -> Path:
    root = tmp / "catalog"
    shutil.copytree(CATALOG, root, ignore=shutil.ignore_patterns(".mattercli-cache"))
    return root


def test_the_bundle_list_exports_in_csv_xlsx_and_html(tmp_path: Path) -> None:
    out = tmp_path / "out"
    formats = (ExportFormat.csv, ExportFormat.xlsx, ExportFormat.html)
    result = export_catalog(ExportOptions(CATALOG, out, formats=formats))
    assert "一件事事项清单" in [x.name for x in result.lists]
    csv_text = (out / "csv" / "一件事事项清单.csv").read_text(encoding="utf-8-sig")
    check_golden("catalog/一件事事项清单.csv", csv_text)  # the same golden as test_export's
    rows = read_csv(out / "csv" / "一件事事项清单.csv")
    assert rows[0] == HEADERS
    assert rows[3] == [
        "3", "退休一件事", "杭州市西湖区人力资源和社会保障局", "国家税务总局杭州市西湖区税务局",
        "城镇职工基本养老保险关系转移接续；个人参保证明打印；城镇职工基本养老保险待遇申领", "15工作日", "0", "2", "5",
    ]  # fmt: skip
    sheet = openpyxl.load_workbook(out / "xlsx" / "一件事事项清单.xlsx")["一件事事项清单"]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    header_at = next(i for i, r in enumerate(cells) if r[:2] == ["序号", "一件事名称"])
    assert cells[header_at] == HEADERS
    assert [[str(v) for v in r] for r in cells[header_at + 1 : header_at + 4]] == rows[1:]
    page = (out / "html" / "lists" / "一件事事项清单.html").read_text(encoding="utf-8")
    assert all(f"<th>{h}</th>" in page for h in HEADERS)
    assert 'href="../bundles/330106-YJS-002.html">企业开办一件事</a>' in page
    bundle = (out / "html" / "bundles" / "330106-YJS-001.html").read_text(encoding="utf-8")
    for impl in ("11330106003042839L4000701001000", "11330106003052009U4002009002000"):
        assert f'href="../matters/{impl}.html"' in bundle
        assert (out / "html" / "matters" / f"{impl}.html").is_file()
    assert "一件事事项清单" in (out / "html" / "index.html").read_text(encoding="utf-8")


def test_the_bundle_list_alone_with_l(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = export_catalog(ExportOptions(CATALOG, out, lists=["一件事事项清单"], formats=(ExportFormat.csv,)))
    assert [x.name for x in result.lists] == ["一件事事项清单"]
    assert sorted(p.name for p in (out / "csv").iterdir()) == ["一件事事项清单.csv"]


def test_diff_reports_bundle_changes(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    (root / "bundles" / "330106-YJS-001.yaml").unlink()
    path = root / "bundles" / "330106-YJS-003.yaml"
    text = path.read_text(encoding="utf-8").replace(
        '  - 基本编码: "333103002000"\n    事项名称: 个人参保证明打印\n', ""
    )
    text = text.replace('"002003002000", "333103002000", "002003003000"', '"002003002000", "002003003000"')
    path.write_text(text.replace("时限: 15", "时限: 12"), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", "--catalog", str(root), "--format", "json", "--exit-code"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert [(b["kind"], b["code"]) for b in doc["bundles"]] == [("删除", "330106-YJS-001"), ("变更", "330106-YJS-003")]
    changed = doc["bundles"][1]
    assert changed["members_removed"] == [{"basic_code": "333103002000", "name": "个人参保证明打印"}]
    assert changed["elements"] == [{"element": "承诺时限", "old": "15工作日", "new": "12工作日"}]
    assert not [o for o in doc["other_files"] if o["file"].startswith("bundles/")]
    text_out = CliRunner().invoke(app, ["diff", "--catalog", str(root)]).stdout
    assert "一件事删除 1 项、变更 1 项" in text_out and "减少事项 333103002000 个人参保证明打印" in text_out


def test_stats_against_a_baseline_pins_bundle_figures(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path)
    kept = root.parent / "kept"
    shutil.move(root / "bundles", kept)
    (root / "bundles").mkdir()
    shutil.copy(kept / "330106-YJS-003.yaml", root / "bundles")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "baseline: 退休一件事 only")
    for f in kept.iterdir():
        shutil.copy(f, root / "bundles")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "two more bundles")
    report = compute_stats(root, rev="HEAD", baseline="HEAD~1", use_cache=False)
    section = report.bundles
    assert section is not None and section.baseline is not None
    assert section.current.totals.bundles == 3 and section.baseline.totals.bundles == 1
    assert section.baseline.totals.fewer_steps == 7 and section.current.totals.fewer_steps == 10
    assert section.current_from.startswith("HEAD(") and section.baseline_from.startswith("HEAD~1(")
    result = CliRunner().invoke(
        app, ["stats", str(root), "--rev", "HEAD", "--baseline", "HEAD~1", "-f", "json", "--no-cache"]
    )
    doc = json.loads(result.stdout)["bundles"]
    assert doc["baseline"]["totals"]["bundle_count"] == 1 and doc["current"]["totals"]["bundle_fewer_materials"] == 6
    markdown = CliRunner().invoke(
        app, ["stats", str(root), "--rev", "HEAD", "--baseline", "HEAD~1", "-f", "markdown", "--no-cache"]
    )
    assert "| 减环节 | 10 | 7 | +3 |" in markdown.stdout


def test_new_bundle_scaffolds_a_valid_bundle(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path)
    args = ["new", "--catalog", str(root), "--bundle", "--name", "社保卡一件事", "--region", "330106",
            "--dept", "杭州市西湖区人力资源和社会保障局", "--member", "333103001000", "--member", "333103002000"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    written = root / "bundles" / "330106-YJS-004.yaml"
    text = written.read_text(encoding="utf-8")
    assert '来源事项: ["333103001000", "333103002000"]  # 多个成员事项共同要求' in text  # 居民身份证, asked by both
    assert "社会保障卡补换申请表" not in text  # replaced by the integrated form
    report = validate([root])
    assert not [f for f in report.findings if f.file == "bundles/330106-YJS-004.yaml"]
    again = CliRunner().invoke(app, [*args, "--code", "330106-YJS-004"])
    assert again.exit_code == 2 and "文件已存在" in again.output
    bad = CliRunner().invoke(app, ["new", "--catalog", str(root), "--bundle", "--name", "x", "--region", "330106",
                                   "--dept", "杭州市西湖区人力资源和社会保障局", "--member", "999999999000",
                                   "--member", "333103002000"])  # fmt: skip
    assert bad.exit_code == 2 and "999999999000" in bad.output
