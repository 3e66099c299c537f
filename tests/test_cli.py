"""The validate command as CI and editors use it: exit codes, formats, language, golden text output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.cli import app

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
GOLDEN = HERE / "golden"
runner = CliRunner()


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini catalogue with one error (a promised time longer than the legal one) and one warning."""
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    impl = root / "impl/330106/1133010600250001784000104001000.yaml"
    impl.write_text(impl.read_text(encoding="utf-8").replace("  时限: 5\n", "  时限: 25\n"), encoding="utf-8")
    base = root / "base/000104001000.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace("结果类型: 出证办结", "结果类型: 审批办结"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return root


def test_clean_catalogue_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "全部通过" in result.output


def test_findings_exit_1_with_file_line_rule_and_matter(broken: Path) -> None:
    result = runner.invoke(app, ["validate", "catalog"])
    assert result.exit_code == 1
    assert (GOLDEN / "validate-text.txt").read_text(encoding="utf-8") == _strip_timing(result.output)


def test_english_messages(broken: Path) -> None:
    result = runner.invoke(app, ["validate", "catalog", "--lang", "en"])
    assert result.exit_code == 1
    assert (GOLDEN / "validate-text-en.txt").read_text(encoding="utf-8") == _strip_timing(result.output)


def test_fail_on_levels(broken: Path) -> None:
    assert runner.invoke(app, ["validate", "catalog", "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["validate", "catalog", "--disable", "time-limit"]).exit_code == 0
    assert runner.invoke(app, ["validate", "catalog", "--disable", "time-limit", "--fail-on", "warning"]).exit_code == 1


def test_json_is_parseable_and_complete(broken: Path) -> None:
    result = runner.invoke(app, ["validate", "catalog", "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["summary"]["errors"] == 1 and doc["summary"]["warnings"] == 1
    assert doc["summary"]["files"] == 4 and doc["summary"]["matters"] == 4
    by_rule = {f["rule"]: f for f in doc["findings"]}
    assert set(by_rule) == {"time-limit", "result-type"}
    f = by_rule["time-limit"]
    assert f["file"] == "impl/330106/1133010600250001784000104001000.yaml"
    assert f["path"] == "catalog/impl/330106/1133010600250001784000104001000.yaml"
    assert (f["line"], f["column"], f["severity"]) == (26, 7, "error")
    assert f["code"] == "1133010600250001784000104001000" and f["name"] == "食品经营许可"


def test_output_file_is_written(broken: Path) -> None:
    result = runner.invoke(app, ["validate", "catalog", "--format", "json", "--output", "out/report.json"])
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((broken.parent / "out/report.json").read_text(encoding="utf-8"))["summary"]["errors"] == 1


def test_one_file_is_still_checked_against_the_whole_catalogue(broken: Path) -> None:
    copy = broken / "base/extra.yaml"
    shutil.copy(broken / "base/000204001000.yaml", copy)
    result = runner.invoke(app, ["validate", "catalog/base/extra.yaml", "--format", "json"])
    rules = sorted(f["rule"] for f in json.loads(result.output)["findings"])
    assert rules == ["duplicate-code", "file-name"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["validate", "no/such/dir"], "路径不存在"),
        (["validate", "catalog", "--disable", "no-such-rule"], "未知规则"),
        (["validate", "catalog", "--format", "xml"], "xml"),
    ],
)
def test_usage_errors_exit_2(broken: Path, args: list[str], needle: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_parallel_run_matches_serial() -> None:
    """Worker processes give the same findings as one process (forced even for a small catalogue)."""
    from mattercli.check import engine as validation

    catalog = HERE.parent / "catalog"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(validation, "PARALLEL_MIN_FILES", 1)
    try:
        one = json.loads(runner.invoke(app, ["validate", str(catalog), "--format", "json", "--jobs", "1"]).output)
        two = json.loads(runner.invoke(app, ["validate", str(catalog), "--format", "json", "--jobs", "2"]).output)
    finally:
        monkeypatch.undo()
    assert one["summary"]["files"] > 128
    assert one["findings"] == two["findings"] != []


def test_rules_lists_every_rule() -> None:
    result = runner.invoke(app, ["rules", "--json"])
    ids = [r["id"] for r in json.loads(result.output)]
    assert {"only-reduce", "uscc", "suppression-reason"} <= set(ids) and len(ids) == len(set(ids))


def test_schema_check_detects_stale(tmp_path: Path) -> None:
    assert runner.invoke(app, ["schema", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["schema", str(tmp_path), "--check"]).exit_code == 0
    (tmp_path / "matter.schema.json").write_text("{}", encoding="utf-8")
    assert runner.invoke(app, ["schema", str(tmp_path), "--check"]).exit_code == 1


def _strip_timing(text: str) -> str:
    import re

    return re.sub(r"\d+\.\d\ds", "X.XXs", re.sub(r"用时 \d+\.\d\d 秒", "用时 X.XX 秒", text))


def test_entry_point_imports_only_the_command_it_runs() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.argv=['mattercli','rules','--json']\n"
        "from mattercli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('mattercli.cli.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "LOADED ['mattercli.cli.commands.rules']"


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    """`mattercli proofs … | head`: the closed pipe ends the command quietly with 141, as SIGPIPE would."""
    import fcntl
    import os
    import subprocess
    import sys

    catalog = Path(__file__).resolve().parent.parent / "catalog"
    code = "import sys; from mattercli.cli import main; sys.exit(main())"
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 4096)  # the 25 KB report cannot fit in the pipe
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "proofs", str(catalog), "--format", "json"],
        stdout=write_end, stderr=subprocess.PIPE,
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read(10) == b'{\n  "tool"'
    _, err = proc.communicate(timeout=120)
    stderr = err.decode("utf-8")
    assert proc.returncode == 141
    assert "Traceback" not in stderr and "Broken pipe" not in stderr and "错误" not in stderr
