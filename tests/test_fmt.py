"""`mattercli fmt`: canonical order and quoting, every comment kept, idempotent, validate results unchanged."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mattercli.catalogue.yamlio import (
    dump_rt_document,
    dump_rt_document_ruamel,
    load_rt_document,
    load_text,
    scan_comments,
)
from mattercli.check.engine import ValidateOptions, validate
from mattercli.cli import app
from mattercli.edit import fmt as fmt_module
from mattercli.edit.fmt import canonical_document, format_paths, format_text, kind_of

HERE = Path(__file__).parent
MINI = HERE / "fixtures" / "mini"
CATALOG = HERE.parent / "catalog"
MESSY = HERE / "fixtures" / "fmt" / "messy.yaml"
GOLDEN = HERE / "golden" / "fmt"
IMPL_REL = "impl/330106/1133010600250001784000104001000.yaml"
runner = CliRunner()


def _catalogue_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if not any(part.startswith(".") for part in p.parts))


def _comment_texts(text: str) -> Counter[str]:
    return scan_comments(text).texts()


def _findings(root: Path) -> list[tuple[str, str | None, str | None, str]]:
    report = validate([root], ValidateOptions(jobs=1))
    return sorted((f.rule, f.file, f.code, f.message) for f in report.findings)


def _copy(src: Path, tmp_path: Path) -> Path:
    root = tmp_path / src.name
    shutil.copytree(src, root, ignore=shutil.ignore_patterns(".*"))
    return root


CATALOGUES = [pytest.param(MINI, id="mini")]
if (CATALOG / "registry").is_dir():
    CATALOGUES.append(pytest.param(CATALOG, id="catalog"))


@pytest.mark.parametrize("source", CATALOGUES)
def test_every_catalogue_file_keeps_its_comments_and_data_and_is_idempotent(source: Path, tmp_path: Path) -> None:
    root = _copy(source, tmp_path)
    before = {p: p.read_text(encoding="utf-8") for p in _catalogue_files(root)}
    findings_before = _findings(root)
    report = format_paths([root])
    assert not report.problems, [(o.file, o.problem) for o in report.problems]
    for path, old in before.items():
        new = path.read_text(encoding="utf-8")
        assert _comment_texts(new) == _comment_texts(old), path
        assert load_text(new, "x").data == load_text(old, "x").data, path
        again = format_text(new, path.relative_to(root).as_posix())
        assert again.problem is None and again.text == new, f"fmt is not idempotent on {path}"
    assert _findings(root) == findings_before
    assert not format_paths([root], check=True).changed


def test_canonical_layout_golden() -> None:
    result = format_text(MESSY.read_text(encoding="utf-8"), IMPL_REL)
    assert result.problem is None and result.changed
    assert result.text == (GOLDEN / "messy.yaml").read_text(encoding="utf-8")
    assert [(r.key, r.code) for r in result.restored] == [
        ("实施编码", "1133010600250001784000104001000"),
        ("基本编码", "000104001000"),
        ("行政区划代码", "330106"),
    ]


def test_golden_output_is_a_fixed_point_and_keeps_every_comment() -> None:
    golden = (GOLDEN / "messy.yaml").read_text(encoding="utf-8")
    assert format_text(golden, IMPL_REL).text == golden
    assert _comment_texts(golden) == _comment_texts(MESSY.read_text(encoding="utf-8"))


def test_order_follows_the_schema_and_unknown_keys_come_last() -> None:
    text = format_text(MESSY.read_text(encoding="utf-8"), IMPL_REL).text
    assert text is not None
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith(("#", " "))]
    assert keys[:5] == ["实施编码", "基本编码", "事项名称", "事项类型", "行政区划代码"]
    assert keys[-1] == "自定义要素"
    # nested mappings follow their own definitions: 实施主体, 办结时限, each 申请材料 item
    assert "实施主体:\n  名称: 杭州市西湖区市场监督管理局\n  统一社会信用代码:" in text
    assert "承诺办结时限:\n  时限: 5\n  单位: 工作日\n" in text
    assert "  - 材料名称: 食品经营许可申请书\n    材料类别: 申请表\n" in text


def test_codes_are_always_double_quoted_strings() -> None:
    text = format_text(MESSY.read_text(encoding="utf-8"), IMPL_REL).text
    assert text is not None
    data = load_text(text, "x").data
    assert data["基本编码"] == "000104001000" and data["行政区划代码"] == "330106"
    for key in ("实施编码", "基本编码", "行政区划代码", "统一社会信用代码"):
        assert f'{key}: "' in text


def test_registry_codes_are_restored_to_their_width(tmp_path: Path) -> None:
    root = _copy(MINI, tmp_path)
    departments = root / "registry/departments.yaml"
    text = departments.read_text(encoding="utf-8")
    departments.write_text(text.replace('业务指导部门代码: "04"', "业务指导部门代码: 04"), encoding="utf-8")
    assert any(f[0] == "schema" for f in _findings(root))
    report = format_paths([departments])
    assert [(r.key, r.code) for o in report.outcomes for r in o.restored] == [("业务指导部门代码", "04")]
    assert '业务指导部门代码: "04"' in departments.read_text(encoding="utf-8")
    assert _findings(root) == []


def test_long_chinese_lines_are_not_folded() -> None:
    text = format_text(MESSY.read_text(encoding="utf-8"), IMPL_REL).text
    assert text is not None
    (line,) = [line for line in text.splitlines() if line.startswith("备注:")]
    assert line.endswith("保持规定的距离。") and len(line) > 100
    spaced = "说明: " + " ".join(["食品经营许可 申请人 应当 具备 相应的 场所"] * 12) + "\n"
    assert format_text(spaced, "lists/x.yaml").text == spaced


def test_strings_that_would_read_as_other_types_stay_strings() -> None:
    source = '名称: "yes"\n日期: 2015-10-01\n数字: "0571"\n真假: "true"\n空: ""\n引号: \'a: b\'\n问: 什么?\n键: "? x"\n'
    text = format_text(source, "lists/x.yaml").text
    assert text == (
        '名称: "yes"\n日期: "2015-10-01"\n数字: "0571"\n真假: "true"\n空: ""\n引号: "a: b"\n问: 什么?\n键: "? x"\n'
    )
    assert load_text(text, "x").data == load_text(source, "x").data


def test_comments_in_awkward_places_survive() -> None:
    source = (
        "---  # 文档开始\n"
        "a: [x,  # 第一项\n"
        "  y]\n"
        "b: |  # 块标量说明\n"
        "  第一行\n"
        "  # 这是内容不是注释\n"
        "c:  # 空值\n"
        "d:\n"
        "  # 嵌套映射的第一个键之前\n"
        "  e: 1\n"
    )
    result = format_text(source, "lists/x.yaml")
    assert result.problem is None and result.text is not None
    assert _comment_texts(result.text) == _comment_texts(source)
    assert "# 这是内容不是注释" not in _comment_texts(source)
    assert load_text(result.text, "x").data == load_text(source, "x").data
    assert format_text(result.text, "lists/x.yaml").text == result.text


def test_unparseable_file_is_reported_with_its_line_and_left_untouched(tmp_path: Path) -> None:
    root = _copy(MINI, tmp_path)
    bad = root / "base/000204001000.yaml"
    broken = bad.read_text(encoding="utf-8").replace("事项类型: 行政处罚", "事项类型: [行政处罚")
    bad.write_text(broken, encoding="utf-8")
    dup = root / "base/000104001000.yaml"
    dup.write_text(dup.read_text(encoding="utf-8") + "事项名称: 重复\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(root)])
    assert result.exit_code == 1
    assert bad.read_text(encoding="utf-8") == broken
    lines = [line for line in result.output.splitlines() if "无法格式化" in line and ".yaml:" in line]
    assert len(lines) == 2
    assert any("000204001000.yaml:5:" in line or "000204001000.yaml:6:" in line for line in lines)
    assert any("000104001000.yaml:33:1" in line and "[duplicate-key]" in line for line in lines)


def test_check_lists_files_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    root = _copy(MINI, tmp_path)
    target = root / "base/000104001000.yaml"
    messy = target.read_text(encoding="utf-8").replace('基本编码: "000104001000"', "基本编码: 000104001000")
    target.write_text(messy, encoding="utf-8")
    format_paths([root])  # everything canonical …
    target.write_text(messy.replace('基本编码: "000104001000"', "基本编码: 000104001000"), encoding="utf-8")
    snapshot = {p: p.read_bytes() for p in _catalogue_files(root)}
    result = runner.invoke(app, ["fmt", str(root), "--check"])
    assert result.exit_code == 1
    assert "需要格式化" in result.output and "000104001000.yaml" in result.output
    assert {p: p.read_bytes() for p in _catalogue_files(root)} == snapshot
    assert runner.invoke(app, ["fmt", str(root)]).exit_code == 0
    clean = runner.invoke(app, ["fmt", str(root), "--check", "--lang", "en"])
    assert clean.exit_code == 0 and "0 would reformat" in clean.output


def test_json_output(tmp_path: Path) -> None:
    root = _copy(MINI, tmp_path)
    format_paths([root])
    target = root / "impl/330106/1133010600250001784000104001000.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace('"330106"', "330106"), encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(target), "--check", "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["command"] == "fmt" and doc["check"] is True
    assert doc["summary"] == {"files": 1, "changed": 1, "errors": 0}
    (entry,) = doc["files"]
    assert entry["status"] == "changed"
    assert entry["restored"] == [{"line": 6, "key": "行政区划代码", "number": 330106, "code": "330106"}]


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    root = _copy(MINI, tmp_path)
    format_paths([root])
    target = root / "base/000204001000.yaml"
    clean = target.read_bytes()
    target.write_bytes(b"\xef\xbb\xbf" + clean.replace(b"\n", b"\r\n"))
    report = format_paths([target])
    assert [o.changed for o in report.outcomes] == [True]
    assert target.read_bytes() == clean


def test_worker_processes_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, many = _copy(MINI, tmp_path / "one"), _copy(MINI, tmp_path / "many")
    monkeypatch.setattr(fmt_module, "PARALLEL_MIN_FILES", 2)
    serial = format_paths([one], jobs=1)
    parallel = format_paths([many], jobs=2)
    assert [(o.file.split("mini/")[-1], o.changed) for o in serial.outcomes] == [
        (o.file.split("mini/")[-1], o.changed) for o in parallel.outcomes
    ]
    for path in _catalogue_files(one):
        assert path.read_bytes() == (many / path.relative_to(one)).read_bytes()


def test_a_folder_formats_only_catalogue_files_but_a_named_file_is_formatted(tmp_path: Path) -> None:
    root = _copy(MINI, tmp_path / "repo" / "data")
    stray = tmp_path / "repo" / "ci.yaml"
    stray.write_text("steps:   [a]\n", encoding="utf-8")
    report = format_paths([tmp_path / "repo"], check=True)
    assert stray.as_posix() not in {o.path.as_posix() for o in report.outcomes}
    assert len(report.outcomes) == len(_catalogue_files(root))
    (named,) = format_paths([stray]).outcomes
    assert named.changed and stray.read_text(encoding="utf-8") == "steps: [a]\n"


@pytest.mark.parametrize("source", CATALOGUES)
def test_direct_writer_matches_ruamels_serializer(source: Path) -> None:
    """dump_rt_document writes the house layout itself; ruamel's serializer is the reference it must agree with."""
    for path in _catalogue_files(source):
        rel = path.relative_to(source).as_posix()
        doc = load_rt_document(path.read_text(encoding="utf-8"))
        canonical_document(doc, kind_of(rel), path.name)
        assert dump_rt_document(doc) == dump_rt_document_ruamel(doc), rel
    golden = load_rt_document((GOLDEN / "messy.yaml").read_text(encoding="utf-8"))
    assert dump_rt_document(golden) == dump_rt_document_ruamel(golden)
