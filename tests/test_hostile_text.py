"""User text is data in every report (issue 25 item 7, issue 23 item 5, issue 22 item 9): a matter name holding
ESC, CR/LF, a right-to-left override, rich markup and an emoji code (`:100:`) reaches no terminal raw, keeps one
finding per line, keeps JUnit valid XML 1.0 and a Markdown row one row; a GBK console degrades `−` and `❌`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from mattercli.model.safetext import degrade, markdown_cell, terminal_safe, xml_safe

MINI = Path(__file__).parent / "fixtures" / "mini"
HOSTILE = "食品\\e[31m经营\\e]8;;http://x\\e\\\\链接\\r\\n许可\\u202e :100: [bold]x\\x85\\x07"
RAW_BAD = ("\x1b", "\r", "\u202e", "\x85", "\x07", "💯")


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "init")
    path = root / "base" / "000104001000.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("事项名称: 食品经营许可", f'事项名称: "{HOSTILE}"')
    text = text.replace("  时限: 20", "  时限: 20\n  坏: 1")  # a schema finding on line 29 of the hostile matter
    path.write_text(text, encoding="utf-8")
    return root


def run(root: Path, *args: str, encoding: str = "utf-8") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "mattercli"), *args], cwd=root, capture_output=True, env=env
    )
    assert done.returncode in (0, 1, 2), done.stderr
    assert b"internal error" not in done.stderr, done.stderr.decode(encoding, "replace")
    assert b"Traceback" not in done.stderr, done.stderr.decode(encoding, "replace")
    return done


def assert_terminal_safe(out: str) -> None:
    for char in RAW_BAD:
        assert char not in out, (char, out)


def test_helpers() -> None:
    assert terminal_safe("a\x1b[31mb\r\nc\u202ed") == "a\\x1b[31mb\\r\\nc\\u202ed"
    assert terminal_safe("多行\n文本", keep_newlines=True) == "多行\n文本"
    assert terminal_safe("x.yaml:100:7 \t ok") == "x.yaml:100:7 \t ok"
    assert xml_safe("a\x1bb\x00c\td\n") == "a\\x1bb\\x00c\td\n"
    assert markdown_cell("a|b\r\nc\rd<e") == "a\\|b c d&lt;e"
    assert degrade("− ❌ ✓ 事项 \U0001f4af", "gbk") == "- [x] v 事项 \\U0001f4af"


def test_text_report_is_one_line_per_finding_and_has_no_raw_controls(hostile: Path) -> None:
    done = run(hostile, "validate", ".")
    out = done.stdout.decode()
    assert_terminal_safe(out)
    lines = out.splitlines()
    finding = [line for line in lines if line.startswith("base/000104001000.yaml:29:3:")]
    assert len(finding) == 1, out
    assert "\\x1b[31m" in finding[0] and "\\r\\n" in finding[0] and "\\u202e" in finding[0]
    assert "[bold]x" in finding[0]  # markup in data is shown, not applied
    assert len(lines) == 2  # the finding, the summary


def test_emoji_codes_are_not_interpreted(tmp_path: Path) -> None:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    bad = root / "base" / "x.yaml"
    bad.write_text("\n" * 99 + "事项名称: [\n", encoding="utf-8")
    out = run(root, "validate", ".").stdout.decode()
    assert "💯" not in out
    assert "x.yaml:" in out


def test_junit_is_valid_xml(hostile: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    run(hostile, "validate", ".", "-f", "junit", "-o", str(report))
    doc = xml.dom.minidom.parse(str(report))  # raises on a character outside XML 1.0
    assert "\\x1b[31m" in doc.toxml()


def test_github_annotations_and_markdown(hostile: Path) -> None:
    github = run(hostile, "validate", ".", "-f", "github").stdout.decode()
    assert_terminal_safe(github)
    assert len([line for line in github.splitlines() if line.startswith("::error")]) == 1
    markdown = run(hostile, "validate", ".", "-f", "markdown").stdout.decode()
    assert "\r" not in markdown
    rows = [line for line in markdown.splitlines() if "000104001000" in line and line.startswith("| ")]
    assert len(rows) == 1 and rows[0].endswith(" |"), markdown


def test_json_keeps_the_data_exact(hostile: Path) -> None:
    doc = json.loads(run(hostile, "validate", ".", "-f", "json").stdout)
    names = {f["name"] for f in doc["findings"]}
    assert any("\x1b[31m" in (n or "") for n in names)  # JSON escapes it itself; the value stays the data


@pytest.mark.parametrize("args", [("diff", "HEAD"), ("log", "000104001000"), ("show", "000104001000")])
def test_diff_log_show_are_terminal_safe(hostile: Path, args: tuple[str, ...]) -> None:
    if args[0] == "log":
        _git(hostile, "commit", "-qam", "hostile \x1b[2J name")
    out = run(hostile, *args).stdout.decode()
    assert_terminal_safe(out.replace("\u202e", "") if args[0] == "show" else out)


def test_error_messages_name_files_safely(hostile: Path) -> None:
    done = run(hostile, "validate", "no\x1b[31msuch")
    err = done.stderr.decode()
    assert done.returncode == 2
    assert "\x1b" not in err and "no\\x1b[31msuch" in err


@pytest.mark.parametrize(
    "args", [("diff", "HEAD"), ("log", "000104001000"), ("validate", ".", "-f", "markdown"), ("validate", ".")]
)
def test_gbk_console_degrades_instead_of_crashing(hostile: Path, args: tuple[str, ...]) -> None:
    if args[0] == "log":
        _git(hostile, "commit", "-qam", "改名 − ❌")
    done = run(hostile, *args, encoding="gbk")
    out = done.stdout.decode("gbk")
    assert done.returncode in (0, 1), done.stderr.decode("gbk", "replace")
    assert "事项" in out or "000104001000" in out
    if args[-1] == "markdown":
        assert out.startswith("## [x] ")


def test_import_reports_are_terminal_safe(tmp_path: Path) -> None:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    sheet = tmp_path / "hostile.csv"
    sheet.write_bytes(
        'TASK_CODE,TASK_NAME,CATALOG_CODE\n"11330106\x1b[31mX","食品\x1b[2J经营\r\n许可\u202e",000104001000\n'.encode()
    )
    out = run(root, "import", str(sheet), "-m", "national", "--catalog", str(root), "--dry-run").stdout.decode()
    assert_terminal_safe(out)
    assert "11330106\\x1b[31mX" in out
