"""`mattercli proofs` from the command line: exit codes, --kind, --rev on a real git repository, every output format
(golden text and Markdown, JSON structure, CSV with BOM, XLSX sheets)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from mattercli.cli import app

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "proofs"
MINI = HERE / "fixtures" / "mini"
GOLDEN = HERE / "golden" / "proofs"
UPDATE = os.environ.get("MATTERCLI_UPDATE_GOLDEN") == "1"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["proofs", *args, "--jobs", "1"])
    return result.exit_code, result.output


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE, root)
    monkeypatch.chdir(tmp_path)
    return root


def test_text_output_matches_golden(catalogue: Path) -> None:
    code, out = invoke(str(catalogue))
    assert code == 1
    check_golden("text.txt", out)


def test_english_text_output_matches_golden(catalogue: Path) -> None:
    code, out = invoke(str(catalogue), "--lang", "en", "--kind", "duplicates", "--kind", "baseless")
    assert code == 1
    check_golden("text-en.txt", out)


def test_markdown_matches_golden(catalogue: Path) -> None:
    code, out = invoke(str(catalogue), "--format", "markdown")
    assert code == 1
    check_golden("report.md", out)


def test_no_findings_exit_0() -> None:
    code, out = invoke(str(MINI), "--kind", "cycles", "--no-cache")  # no cache in the repository's fixture
    assert code == 0, out
    assert "循环证明 (0)" in out and "未发现" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nowhere"], "路径不存在"),
        (["--format", "xlsx"], "--output"),
        (["--kind", "everything"], "everything"),
        (["--threshold", "0.2"], "threshold"),
    ],
)
def test_usage_errors_exit_2(catalogue: Path, args: list[str], needle: str) -> None:
    code, out = invoke(*(args if args[0] == "nowhere" else [str(catalogue), *args]))
    assert code == 2
    assert needle in out


def test_json_document(catalogue: Path) -> None:
    code, out = invoke(str(catalogue), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert (doc["tool"], doc["command"], doc["format_version"]) == ("mattercli", "proofs", 1)
    assert doc["summary"] == {
        "files": 4,
        "matters": 4,
        "materials": 20,
        "proofs": 16,
        "skipped": 0,
        "duplicates": 4,
        "cycles": 1,
        "shareable": 2,
        "baseless": 3,
        "review": 2,
    }
    # the 证明事项 review: the fixture's 健康证明 is cancelled (数据共享) yet still 申请人自备, and 生产场所使用证明
    # rests only on a 部门规章
    assert [(r["id"], r["rule"], r["severity"]) for r in doc["review"]] == [
        ("R1", "proof-list-mismatch", "error"),
        ("R2", "proof-basis-rank", "warning"),
    ]
    assert doc["review"][0]["refs"][0]["material"] == "健康证明"
    assert "数据共享" in doc["review"][0]["message"] and doc["review"][0]["message_en"]
    first = doc["duplicates"][0]
    assert first["id"] == "D1" and first["canonical"] == "居民身份证"
    assert first["kinds"] == ["name-variance", "several-matters", "same-matter"]
    assert first["repeated_in"] == ["base/000104002000.yaml"]
    assert {"file", "line", "code", "basic_code", "name", "department", "material"} == set(first["refs"][0])
    register = next(d for d in doc["duplicates"] if d["canonical"] == "户口簿")
    assert register["similar"] == [{"a": "居民户口簿", "b": "居民户口薄", "similarity": 0.8, "rule": "edit-similarity"}]
    (cycle,) = doc["cycles"]
    assert cycle["matters"] == ["000104001000", "002004001000"]
    assert [s["proof"] for s in cycle["steps"]] == ["健康证明", "食品经营许可证"]
    assert [p["id"] for g in doc["shareable"] for p in g["proofs"]] == ["S1", "S2"]
    assert doc["shareable"][1]["issuer"] is None
    assert doc["baseless"][1]["reasons"] == ["no-basis", "not-listed"]


def test_kind_selects_sections_and_the_others_are_null(catalogue: Path) -> None:
    code, out = invoke(str(catalogue), "--format", "json", "--kind", "cycles")
    doc = json.loads(out)
    assert code == 1
    assert doc["options"]["sections"] == ["cycles"]
    assert doc["duplicates"] is None and doc["shareable"] is None and doc["baseless"] is None
    assert doc["summary"]["duplicates"] is None and doc["summary"]["cycles"] == 1


def test_csv_has_a_bom_and_one_row_per_place(catalogue: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "proofs.csv"
    code, _ = invoke(str(catalogue), "--format", "csv", "--output", str(target), "--kind", "baseless")
    assert code == 1
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["分析", "编号", "证明名称", "问题类型", "材料名称(原文)", "事项编码", "事项名称", "部门", "文件",
                       "行", "说明"]  # fmt: skip
    assert [(r[1], r[4], r[8], r[9]) for r in rows[1:]] == [
        ("B1", "健康体检合格证明", "base/002004001000.yaml", "20"),
        ("B2", "无犯罪证明", "base/000104002000.yaml", "21"),
        ("B3", "生产场所使用证明", "base/000104002000.yaml", "23"),
    ]


def test_xlsx_has_a_sheet_per_section_and_the_evidence(catalogue: Path, tmp_path: Path) -> None:
    target = tmp_path / "proofs.xlsx"
    code, _ = invoke(str(catalogue), "--format", "xlsx", "--output", str(target))
    assert code == 1
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["结论", "重复证明", "循环证明", "可共享证明", "无依据证明", "证明事项审查", "明细"]
    cycles = [list(r) for r in book["循环证明"].iter_rows(values_only=True)]
    assert cycles[0] == ["编号", "环路", "环长"]
    assert cycles[1][0] == "C1" and cycles[1][2] == 2
    evidence = list(book["明细"].iter_rows(values_only=True))
    assert len(evidence) == 1 + 9 + 3 + 3 + 3 + 2  # header + places: duplicates, cycle, shareable, baseless, review
    book.close()


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_rev_reads_the_catalogue_as_committed(catalogue: Path) -> None:
    _git(catalogue, "init", "-q")
    _git(catalogue, "add", ".")
    _git(catalogue, "commit", "-q", "-m", "v1")
    # In the work tree the cycle is broken: 健康证明开具 no longer asks for 食品经营许可证.
    path = catalogue / "base" / "002004001000.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - 材料名称: 食品经营许可证\n    材料类别: 证照\n", ""), encoding="utf-8")
    code, out = invoke(str(catalogue), "--kind", "cycles", "--format", "json")
    assert code == 0 and json.loads(out)["cycles"] == []
    code, out = invoke(str(catalogue), "--kind", "cycles", "--format", "json", "--rev", "HEAD")
    doc = json.loads(out)
    assert code == 1
    assert doc["source"]["commit"] == _git(catalogue, "rev-parse", "HEAD").strip()
    assert [c["matters"] for c in doc["cycles"]] == [["000104001000", "002004001000"]]


def test_unknown_rev_is_a_usage_error(catalogue: Path) -> None:
    _git(catalogue, "init", "-q")
    code, out = invoke(str(catalogue), "--rev", "no-such-rev")
    assert code == 2
    assert "no-such-rev" in out


def test_cached_runs_give_the_same_bytes(catalogue: Path) -> None:
    # Change one file between runs, so the second run mixes cached and parsed files.
    outputs = [
        invoke(str(catalogue), "--format", "json", "--no-cache")[1],
        invoke(str(catalogue), "--format", "json")[1],
    ]
    assert (catalogue / ".mattercli-cache" / "store.sqlite3").is_file()
    path = catalogue / "base" / "000104002000.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("无犯罪证明", "无犯罪记录证明"), encoding="utf-8")
    outputs += [
        invoke(str(catalogue), "--format", "json")[1],
        invoke(str(catalogue), "--format", "json", "--no-cache")[1],
    ]
    assert outputs[0] == outputs[1]
    assert outputs[2] == outputs[3] != outputs[0]
