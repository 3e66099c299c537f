"""`mattercli new`: the next free code (gaps, cancelled codes, references and git history never reused), sub-items,
implementation entries pre-filled from their base, and TODO markers the validator reports line by line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.check.engine import ValidateOptions, validate
from mattercli.cli import app
from mattercli.edit.scaffold import (
    NewMatterRequest,
    ScaffoldError,
    next_sequence,
    plan_new_matter,
    sequence_at,
    sequence_rank,
    write_new_matter,
)

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
GOLDEN = HERE / "golden" / "new"
runner = CliRunner()
SAMR = "国家市场监督管理总局"  # guiding code 04 in the mini registry
POLICE_USCC = "113301060025000253"  # 杭州市西湖区公安分局, 区县级, 330106


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(MINI, root)
    return root


def _base_copy(root: Path, code: str, **changes: str) -> Path:
    """A base entry with `code`, made from the mini fixture's 食品经营许可."""
    text = (root / "base/000104001000.yaml").read_text(encoding="utf-8").replace("000104001000", code)
    for old, new in changes.items():
        text = text.replace(old, new)
    path = root / f"base/{code}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _new_base(root: Path, history: bool = True, **kwargs: str) -> str:
    request = NewMatterRequest(type="01", dept=SAMR, name="测试许可", level="区县级", **kwargs)
    return plan_new_matter(root, request, history=history).code


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True, capture_output=True
    )


def test_sequence_order_continues_with_letters_after_999() -> None:
    assert sequence_rank("001") == 1 and sequence_rank("999") == 999
    assert sequence_at(1000) == "A00" and sequence_rank("A00") == 1000
    assert next_sequence(["998", "999"]) == "A00"
    assert next_sequence(["A99"]) == "B00"
    assert next_sequence(["H99"]) == "J00"  # no I
    assert next_sequence([]) == "001"
    assert sequence_rank("I00") is None and sequence_rank("0A1") is None


def test_base_code_after_the_highest_ever_used_never_filling_gaps(catalog: Path) -> None:
    assert _new_base(catalog) == "000104002000"
    _base_copy(catalog, "000104003000")  # 002 is a gap: it may have existed once
    assert _new_base(catalog) == "000104004000"
    _base_copy(catalog, "000104005000", **{"事项类型: 行政许可": "事项类型: 行政许可\n事项状态: 已取消"})
    assert _new_base(catalog) == "000104006000"  # a cancelled matter still holds its code
    _base_copy(catalog, "000104006000", **{"主管部门:": '原事项编码: ["000104009000"]\n主管部门:'})
    assert _new_base(catalog) == "000104010000"  # a previous code is used too
    # other sequences (type 02, other departments) are independent
    assert plan_new_matter(catalog, NewMatterRequest(type="02", dept=SAMR, name="处罚")).code == "000204002000"


def test_implementation_codes_and_merges_count_as_used(catalog: Path) -> None:
    impl = catalog / "impl/330106/1133010600250001784000104001000.yaml"
    text = impl.read_text(encoding="utf-8")
    impl.write_text(text + '合并自: ["1133010600250001784000104007000"]\n', encoding="utf-8")
    assert _new_base(catalog) == "000104008000"


def test_codes_freed_by_deletion_in_git_history_are_not_reused(catalog: Path) -> None:
    _git(catalog, "init", "-q")
    _git(catalog, "add", "-A")
    _git(catalog, "commit", "-q", "-m", "initial")
    _base_copy(catalog, "000104002000")
    _base_copy(catalog, "000104003000")
    _git(catalog, "add", "-A")
    _git(catalog, "commit", "-q", "-m", "two matters")
    (catalog / "base/000104002000.yaml").unlink()
    (catalog / "base/000104003000.yaml").unlink()
    _git(catalog, "add", "-A")
    _git(catalog, "commit", "-q", "-m", "delete them")
    assert _new_base(catalog, history=False) == "000104002000"  # what the work tree alone would give
    assert _new_base(catalog) == "000104004000"
    # a deletion not yet committed is seen too
    _base_copy(catalog, "000104004000")
    _git(catalog, "add", "-A")
    _git(catalog, "commit", "-q", "-m", "004")
    (catalog / "base/000104004000.yaml").unlink()
    assert _new_base(catalog) == "000104005000"


def test_code_changed_in_place_in_history_is_not_reused(catalog: Path) -> None:
    path = _base_copy(catalog, "000104002000")
    _git(catalog, "init", "-q")
    _git(catalog, "add", "-A")
    _git(catalog, "commit", "-q", "-m", "initial")
    path.write_text(path.read_text(encoding="utf-8").replace("000104002000", "000104001000"), encoding="utf-8")
    _git(catalog, "commit", "-q", "-am", "re-code")
    path.unlink()
    _git(catalog, "commit", "-q", "-am", "drop")
    assert _new_base(catalog) == "000104003000"


def test_sub_items_of_a_main_item(catalog: Path) -> None:
    _base_copy(catalog, "00010400200Y", **{"食品经营许可": "食品经营许可(含子项)"})
    first = plan_new_matter(catalog, NewMatterRequest(parent="00010400200Y", name="食品经营许可(新办)"))
    assert first.code == "000104002001" and first.file == "base/000104002001.yaml"
    write_new_matter(first)
    second = plan_new_matter(catalog, NewMatterRequest(parent="00010400200Y", name="食品经营许可(变更)"))
    assert second.code == "000104002002"
    # the child takes over the parent's elements
    assert "主管部门: 国家市场监督管理总局" in first.text and "申请材料:" in first.text
    # a new main item's sequence skips the one the main item uses
    assert _new_base(catalog) == "000104003000"
    # a cancelled sub-item's number is never reused
    _base_copy(catalog, "000104002005", **{"事项类型: 行政许可": "事项类型: 行政许可\n事项状态: 已取消"})
    assert plan_new_matter(catalog, NewMatterRequest(parent="00010400200Y", name="x")).code == "000104002006"


def test_parent_must_be_a_main_item(catalog: Path) -> None:
    with pytest.raises(ScaffoldError, match="00Y"):
        plan_new_matter(catalog, NewMatterRequest(parent="000104001000", name="x"))
    result = runner.invoke(app, ["new", "--catalog", str(catalog), "--parent", "000104001000", "--name", "x"])
    assert result.exit_code == 2 and "00Y" in result.output


def test_base_entry_scaffold_golden_and_todo_lines_are_reported(catalog: Path) -> None:
    planned = plan_new_matter(catalog, NewMatterRequest(type="01", dept=SAMR, name="测试许可", level="区县级"))
    assert planned.text == (GOLDEN / "base.yaml").read_text(encoding="utf-8")
    write_new_matter(planned)
    _assert_every_todo_line_is_reported(catalog, planned.file)


def test_penalty_scaffold_leaves_required_text_for_the_validator(catalog: Path) -> None:
    planned = plan_new_matter(catalog, NewMatterRequest(type="02", dept=SAMR, name="对某行为的处罚"))
    write_new_matter(planned)
    findings = _findings(catalog, planned.file)
    messages = " ".join(f.message for f in findings)
    assert "处罚的行为" in messages and "处罚的幅度" in messages
    text = (catalog / planned.file).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert {n for n, line in enumerate(lines, 1) if line.startswith(("行使层级", "处罚的种类"))} <= {
        f.line for f in findings
    }
    # once the schema-level gaps are filled, the law placeholder is reported at its own line
    text = text.replace("行使层级: [待填写]", "行使层级: [区县级]").replace(
        "处罚的种类: [待填写]", "处罚的种类: [罚款]"
    )
    (catalog / planned.file).write_text(text + "处罚的行为: 某行为\n处罚的幅度: 一万元以下\n", encoding="utf-8")
    _assert_every_todo_line_is_reported(catalog, planned.file)


def test_implementation_entry_prefilled_from_its_base(catalog: Path) -> None:
    planned = plan_new_matter(catalog, NewMatterRequest(base="000104001000", dept=POLICE_USCC))
    assert planned.code == f"{POLICE_USCC}4000104001000"
    assert planned.file == f"impl/330106/{planned.code}.yaml"
    assert planned.text == (GOLDEN / "implementation.yaml").read_text(encoding="utf-8")
    write_new_matter(planned)
    findings = _findings(catalog, planned.file)
    assert {f.rule for f in findings} == {"schema", "placeholder-value", "todo-comment"}
    _assert_every_todo_line_is_reported(catalog, planned.file)
    # filling the two TODOs and removing the notes makes the file valid
    path = catalog / planned.file
    text = path.read_text(encoding="utf-8")
    text = text.replace("办件类型: 待填写", "办件类型: 即办件").replace("到办事现场次数: 待填写", "到办事现场次数: 0")
    path.write_text(text, encoding="utf-8")
    assert {f.rule for f in _findings(catalog, planned.file)} == {"todo-comment"}
    text = "".join(line.split("  # TODO")[0] + "\n" for line in text.splitlines() if not line.startswith("# TODO"))
    path.write_text(text, encoding="utf-8")
    assert [f.rule for f in _findings(catalog, planned.file)] == []


def test_implementation_entry_refusals(catalog: Path) -> None:
    cases = [
        (NewMatterRequest(base="000104009000", dept=POLICE_USCC), "没有基本编码"),
        (NewMatterRequest(base="000104001000", dept="113301060025000254"), "统一社会信用代码"),
        (NewMatterRequest(base="000104001000", dept=POLICE_USCC, level="省级"), "不允许"),
        (NewMatterRequest(base="000104001000", dept=POLICE_USCC, type="02"), "事项类型"),
        (NewMatterRequest(base="000104001000", dept="113301060025000178"), "文件已存在"),
    ]
    for request, message in cases:
        with pytest.raises(ScaffoldError, match=message):
            plan_new_matter(catalog, request)
    _base_copy(catalog, "000104002000", **{"事项类型: 行政许可": "事项类型: 行政许可\n事项状态: 已取消"})
    with pytest.raises(ScaffoldError, match="已取消"):
        plan_new_matter(catalog, NewMatterRequest(base="000104002000", dept=POLICE_USCC))


def test_cli_writes_the_file_and_reports_json(catalog: Path) -> None:
    args = ["new", "--catalog", str(catalog), "--type", "行政许可", "--dept", SAMR, "--name", "测试许可"]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0 and "将创建: base/000104002000.yaml" in dry.output
    assert not (catalog / "base/000104002000.yaml").exists()
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["written"] is True and doc["code"] == "000104002000" and doc["kind"] == "base"
    assert (catalog / doc["file"]).read_text(encoding="utf-8") == doc["text"]
    assert "行使层级: 待填写" in doc["todo"]
    again = runner.invoke(app, [*args, "--lang", "en"])
    assert again.exit_code == 0 and "created: base/000104003000.yaml" in again.output
    unknown = runner.invoke(
        app, ["new", "--catalog", str(catalog), "--type", "01", "--dept", "无此部门", "--name", "x"]
    )
    assert unknown.exit_code == 2 and "部门名录" in unknown.output


def _findings(root: Path, rel: str) -> list:
    report = validate([root / rel], ValidateOptions(jobs=1))
    return report.findings


def _assert_every_todo_line_is_reported(root: Path, rel: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    todo_lines = {n for n, line in enumerate(text.splitlines(), 1) if "待填写" in line and not line.startswith("#")}
    reported = {f.line for f in _findings(root, rel)}
    assert todo_lines and todo_lines <= reported, (todo_lines, reported)


def test_a_scaffold_left_unfilled_is_found_until_its_markers_are_gone(catalog: Path) -> None:
    """Issue 22: leftover `# TODO` / `待填写` markers are findings — also where the schema would accept the value."""
    plan = plan_new_matter(catalog, NewMatterRequest(base="000104001000", dept=POLICE_USCC))
    write_new_matter(plan)
    path = catalog / plan.file
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    placeholders = {n for n, line in enumerate(lines, 1) if "待填写" in line and not line.startswith("#")}
    comments = {n for n, line in enumerate(lines, 1) if "# TODO" in line}
    found = _findings(catalog, plan.file)
    assert {f.line for f in found if f.rule == "placeholder-value"} == placeholders
    assert {f.line for f in found if f.rule == "todo-comment"} == comments and min(comments) == 1
    assert all(f.severity.value == "warning" for f in found if f.rule == "todo-comment")
    # a text element the schema accepts as 待填写 is found only by placeholder-value
    path.write_text(text.replace("  名称: 杭州市西湖区公安分局", "  名称: 待填写"), encoding="utf-8")
    assert "placeholder-value" in {f.rule for f in _findings(catalog, plan.file) if "实施主体" in f.message}
    # filled in, the notes left: only todo-comment
    filled = text.replace("办件类型: 待填写", "办件类型: 承诺件").replace("到办事现场次数: 待填写", "到办事现场次数: 0")
    path.write_text(filled, encoding="utf-8")
    rules = {f.rule for f in _findings(catalog, plan.file)}
    assert "todo-comment" in rules and "placeholder-value" not in rules and "schema" not in rules
    # the notes removed: neither
    clean = "\n".join(line.split("  # TODO")[0] for line in filled.splitlines() if not line.startswith("# TODO"))
    path.write_text(clean + "\n", encoding="utf-8")
    assert not {"todo-comment", "placeholder-value"} & {f.rule for f in _findings(catalog, plan.file)}
