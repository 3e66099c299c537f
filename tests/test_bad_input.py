"""Bad input never stops a run: each broken file gives exactly one finding at the right place, the other files are
still checked, and neither the library nor the CLI prints a traceback.

Every case copies tests/fixtures/mini, adds one bad file under base/, and runs both validate() and the CLI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mattercli.check.engine import validate
from mattercli.check.findings import Severity
from mattercli.cli import app

MINI = Path(__file__).parent / "fixtures" / "mini"
MINI_FILES = 4  # matter files in the mini catalogue (2 base + 2 impl)
BAD = "base/bad.yaml"


def make_catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def run_cli(root: Path) -> tuple[int, dict[str, Any], str]:
    """Exit code, parsed JSON report and all output of `mattercli validate ROOT --format json`."""
    result = CliRunner().invoke(app, ["validate", str(root), "--format", "json"])
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, json.loads(result.stdout), output


@dataclass
class Case:
    """One bad file: how to write it, and the single finding it must produce."""

    id: str
    write: Callable[[Path], None]
    rule: str
    line: int
    column: int | None = None
    message_has: str | None = None


def _text(content: str) -> Callable[[Path], None]:
    return lambda p: p.write_text(content, encoding="utf-8")


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(content)


def _gbk(p: Path) -> None:
    p.write_bytes('# "gbk"\n基本编码: "000104009000"\n事项名称: 食品经营许可\n事项类型: 行政许可\n'.encode("gbk"))


def _alias_bomb(p: Path) -> None:
    # The classic billion laughs: 9 levels of 9 aliases = 9**9 "lol"s if expanded.
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        this, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        levels.append(f"{this}: &{this} [{','.join([f'*{prev}'] * 9)}]")
    p.write_text('基本编码: "000104009000"\n事项名称: 笑\n' + "\n".join(levels) + "\n", encoding="utf-8")


def _huge(p: Path) -> None:
    with p.open("wb") as f:
        f.write('基本编码: "000104009000"\n'.encode())
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing 50 MB


CASES = [
    Case(
        "yaml-syntax",
        _text('# 坏的 YAML\n基本编码: "000104009000"\n事项名称: 坏: 事项\n事项类型: 行政许可\n'),
        "yaml-syntax",
        line=3,
        column=8,
    ),
    Case("gbk", _gbk, "encoding", line=2, message_has="GBK"),
    Case(
        "conflict-marker",
        _text(
            '基本编码: "000104009000"\n'
            "<<<<<<< HEAD\n事项名称: 甲\n=======\n事项名称: 乙\n>>>>>>> feature\n事项类型: 行政许可\n"
        ),
        "conflict-marker",
        line=2,
        message_has="<<<<<<<",
    ),
    Case(
        "duplicate-key",
        _text('基本编码: "000104009000"\n事项名称: 甲\n事项类型: 行政许可\n事项名称: 乙\n'),
        "duplicate-key",
        line=4,
        column=1,
        message_has="事项名称",
    ),
    Case("alias-bomb", _alias_bomb, "yaml-alias", line=3),
    Case("file-too-large", _huge, "file-too-large", line=1, message_has=str(50 * 1024 * 1024)),
    Case("list", _text("- 基本编码: '000104009000'\n- 事项名称: 甲\n"), "not-a-mapping", line=1),
    Case("empty", _bytes(b""), "not-a-mapping", line=1),
    Case("comments-only", _text("# 只有注释\n\n"), "not-a-mapping", line=1),
    Case(
        "python-tag",
        _text('基本编码: "000104009000"\n事项名称: !!python/object:os.system {}\n'),
        "yaml-tag",
        line=2,
        message_has="python/object",
    ),
    Case(
        "python-apply-tag",
        _text('基本编码: "000104009000"\n事项名称: !!python/object/apply:os.system ["echo hi"]\n'),
        "yaml-tag",
        line=2,
    ),
    Case("nul-bytes", _bytes(b'a: 1\nb: 2\nc: "\x00\x01\x02\xff"\n'), "encoding", line=3),
    Case("binary", _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "encoding", line=3),
]


def _one_finding(findings: list[dict[str, Any]], case: Case) -> dict[str, Any]:
    mine = [f for f in findings if f["file"] == BAD]
    assert len(mine) == 1, mine
    assert [f for f in findings if f["file"] != BAD] == [], findings
    (finding,) = mine
    assert finding["rule"] == case.rule
    assert finding["line"] == case.line
    if case.column is not None:
        assert finding["column"] == case.column
    if case.message_has is not None:
        assert case.message_has in finding["message_zh"] or case.message_has in finding["message_en"]
    return finding


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_library(tmp_path: Path, case: Case) -> None:
    root = make_catalog(tmp_path)
    case.write(root / BAD)
    started = time.perf_counter()
    report = validate([root])
    assert time.perf_counter() - started < 10
    finding = _one_finding([f.to_dict() for f in report.findings], case)
    assert finding["severity"] == "error"
    assert report.files == MINI_FILES + 1
    assert report.matters == MINI_FILES  # every good file was still parsed and checked
    assert report.worst is Severity.ERROR


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_cli(tmp_path: Path, case: Case) -> None:
    root = make_catalog(tmp_path)
    case.write(root / BAD)
    code, doc, _ = run_cli(root)
    assert code == 1
    _one_finding(doc["findings"], case)
    assert doc["summary"]["files"] == MINI_FILES + 1
    assert doc["summary"]["matters"] == MINI_FILES
    assert doc["summary"]["errors"] == 1
    assert doc["summary"]["by_rule"] == {case.rule: 1}


def test_alias_bomb_is_not_expanded(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    _alias_bomb(root / BAD)
    started = time.perf_counter()
    report = validate([root])
    assert time.perf_counter() - started < 5
    assert [f.rule for f in report.findings] == ["yaml-alias"]


def test_huge_file_is_not_read(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    _huge(root / BAD)
    assert (root / BAD).stat().st_size == 50 * 1024 * 1024
    started = time.perf_counter()
    report = validate([root])
    assert time.perf_counter() - started < 5
    assert [(f.rule, f.file) for f in report.findings] == [("file-too-large", BAD)]


# ---------------------------------------------------------------------------------------------------------------
# BOM: a warning only, and the file is still validated
# ---------------------------------------------------------------------------------------------------------------

GOOD_BASE = (MINI / "base" / "000104001000.yaml").read_text(encoding="utf-8")


def _bom_matter(code: str) -> bytes:
    text = GOOD_BASE.replace("000104001000", code).replace("事项名称: 食品经营许可", "事项名称: 食品生产许可")
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def test_bom_is_a_warning_and_file_is_validated(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    name = "base/000104002000.yaml"
    (root / name).write_bytes(_bom_matter("000104002000"))

    report = validate([root])
    assert [(f.rule, f.severity, f.file, f.line) for f in report.findings] == [("bom", Severity.WARNING, name, 1)]
    assert report.findings[0].code == "000104002000"  # the content was read
    assert report.files == MINI_FILES + 1
    assert report.matters == MINI_FILES + 1  # ... and checked as a matter

    code, doc, _ = run_cli(root)
    assert code == 0
    assert [(f["rule"], f["severity"], f["file"], f["line"]) for f in doc["findings"]] == [("bom", "warning", name, 1)]
    assert doc["summary"]["files"] == MINI_FILES + 1
    assert doc["summary"]["matters"] == MINI_FILES + 1


def test_bom_file_content_rules_still_run(tmp_path: Path) -> None:
    # The file is named after one code but holds another: only a content check can notice.
    root = make_catalog(tmp_path)
    name = "base/000104002000.yaml"
    (root / name).write_bytes(_bom_matter("000104003000"))

    report = validate([root])
    assert sorted(f.rule for f in report.findings if f.file == name) == ["bom", "file-name"]

    code, doc, _ = run_cli(root)
    assert sorted(f["rule"] for f in doc["findings"] if f["file"] == name) == ["bom", "file-name"]
    assert code == 0  # both are warnings


# ---------------------------------------------------------------------------------------------------------------
# Deep nesting: run in a child process, because a crash in the C YAML parser would take pytest down with it.
# ---------------------------------------------------------------------------------------------------------------

_DEEP_CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from typer.testing import CliRunner
    from mattercli.cli import app
    from mattercli.check.engine import validate

    root = Path(sys.argv[1])
    report = validate([root])
    lib = {"files": report.files, "matters": report.matters,
           "findings": [f.to_dict() for f in report.findings]}
    result = CliRunner().invoke(app, ["validate", str(root), "--format", "json"])
    print(json.dumps({"lib": lib, "cli_code": result.exit_code, "cli_output": result.output}))
    """
)


def test_deep_nesting_is_a_syntax_error_not_a_crash(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    (root / BAD).write_text('基本编码: "000104009000"\n事项名称: ' + "[" * 100_000 + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", _DEEP_CHILD, str(root)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, f"child died with {proc.returncode}: {proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    lib = out["lib"]
    mine = [f for f in lib["findings"] if f["file"] == BAD]
    assert [f["rule"] for f in mine] == ["yaml-syntax"]
    assert lib["files"] == MINI_FILES + 1
    assert lib["matters"] == MINI_FILES
    assert out["cli_code"] == 1
    assert "Traceback" not in out["cli_output"]
    cli = json.loads(out["cli_output"])
    assert [f["rule"] for f in cli["findings"] if f["file"] == BAD] == ["yaml-syntax"]


def test_moderate_nesting_is_a_syntax_error(tmp_path: Path) -> None:
    # Below the depth where the C composer crashes: unclosed brackets are a plain syntax error.
    root = make_catalog(tmp_path)
    (root / BAD).write_text('基本编码: "000104009000"\n事项名称: ' + "[" * 5_000 + "\n", encoding="utf-8")
    report = validate([root])
    assert [(f.rule, f.file) for f in report.findings] == [("yaml-syntax", BAD)]
    assert report.matters == MINI_FILES
    code, doc, _ = run_cli(root)
    assert code == 1
    assert [(f["rule"], f["file"]) for f in doc["findings"]] == [("yaml-syntax", BAD)]


# ---------------------------------------------------------------------------------------------------------------
# A broken registry file is reported and the run goes on
# ---------------------------------------------------------------------------------------------------------------

BROKEN_LAWS = "法律法规:\n  - 名称: 中华人民共和国食品安全法\n    效力级别: 法律: 坏\n"


def test_broken_registry_is_reported_and_run_continues(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    (root / "registry" / "laws.yaml").write_text(BROKEN_LAWS, encoding="utf-8")

    report = validate([root])
    laws = [f for f in report.findings if f.file == "registry/laws.yaml"]
    assert [(f.rule, f.line) for f in laws] == [("yaml-syntax", 3)]
    assert report.files == MINI_FILES
    assert report.matters == MINI_FILES

    code, doc, _ = run_cli(root)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in doc["findings"] if f["file"] == "registry/laws.yaml"] == [
        ("yaml-syntax", 3)
    ]
    assert doc["summary"]["files"] == MINI_FILES
    assert doc["summary"]["matters"] == MINI_FILES


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("法律法规:\n  - 名称: 甲\n  - 名称: 乙\n".encode("gbk"), "encoding"),
        (b"", "not-a-mapping"),
        ("法律法规: []\n法律法规: []\n".encode(), "duplicate-key"),
    ],
    ids=["gbk", "empty", "duplicate-key"],
)
def test_registry_file_problems(tmp_path: Path, content: bytes, rule: str) -> None:
    root = make_catalog(tmp_path)
    (root / "registry" / "laws.yaml").write_bytes(content)
    report = validate([root])
    assert [f.rule for f in report.findings if f.file == "registry/laws.yaml"] == [rule]
    assert report.matters == MINI_FILES
    code, doc, _ = run_cli(root)
    assert code == 1
    assert [f["rule"] for f in doc["findings"] if f["file"] == "registry/laws.yaml"] == [rule]


def test_several_bad_files_each_reported_once(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    wanted = {}
    for case in CASES:
        name = f"base/bad-{case.id}.yaml"
        case.write(root / name)
        wanted[name] = case.rule
    report = validate([root])
    got = {}
    for f in report.findings:
        assert f.file not in got, f"two findings for {f.file}"
        got[f.file] = f.rule
    assert got == wanted
    assert report.files == MINI_FILES + len(CASES)
    assert report.matters == MINI_FILES
    code, doc, _ = run_cli(root)
    assert code == 1
    assert {f["file"]: f["rule"] for f in doc["findings"]} == wanted
    assert doc["summary"]["files"] == MINI_FILES + len(CASES)
