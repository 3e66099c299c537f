"""`mattercli diff A B --format request --output DIR` on a real git repository: a merge of three matters, a split,
a 下放 and a 取消 give per department a 调整申请表 (XLSX and DOCX, read back here) and one 新旧编码对照表 (CSV, XLSX)
— golden rows; 依据/理由/监管措施 from the `调整` element or from commit trailers; `--strict` fails on the 取消 that
names no 监管措施."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from diff_repo import (
    LICENCE,
    LICENCE_FILE,
    PENALTY,
    PENALTY_FILE,
    STREET_OFFICE,
    XIHU_BUREAU,
    CatalogRepo,
    impl_code,
    impl_yaml,
    make_uscc,
)
from mattercli.cli import app
from mattercli.diff.requests import MAPPING_HEADER, REQUEST_HEADER, parse_trailers, rows_text

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden" / "diff"
POLICE = ("杭州市西湖区公安分局", make_uscc("330106", "00250003"))
BUREAU = XIHU_BUREAU[0]

MERGED = [impl_code(XIHU_BUREAU, "区县级", f"00010400{n}000") for n in (2, 3, 4)]
MERGED_INTO = impl_code(XIHU_BUREAU, "区县级", "000104005000")
SPLIT_SOURCE = impl_code(POLICE, "区县级", "000104006000")
SPLIT_PRODUCTS = [impl_code(POLICE, "区县级", f"00010400{n}000") for n in (7, 8)]
DELEGATED = impl_code(STREET_OFFICE, "乡镇(街道)级")


def _file(code: str) -> str:
    return f"impl/330106/{code}.yaml"


ADJUSTMENT_MERGE = "调整:\n  依据: 浙政办发〔2025〕1号\n  理由: 同一办理对象的三项许可合并办理,减少申请次数\n"
ADJUSTMENT_DELEGATE = (
    "调整:\n  依据: 《浙江省人民政府关于向街道下放部分行政许可事项的决定》\n  理由: 方便群众就近办理\n"
    "  监管措施: 区市场监管局每季度抽查街道办理的许可,纳入双随机一公开\n  生效日期: 2025-03-01\n"
    "  涉及部门意见: 区司法局无异议\n"
)


def build_repo(tmp_path: Path) -> CatalogRepo:
    repo = CatalogRepo(tmp_path)
    for n, code in zip((2, 3, 4), MERGED, strict=True):
        repo.write(_file(code), impl_yaml(name=f"食品经营许可事项{n}", basic=f"00010400{n}000"))
    repo.write(_file(SPLIT_SOURCE), impl_yaml(name="娱乐场所治安许可", basic="000104006000", body=POLICE))
    repo.commit("v1")
    repo.git("tag", "v1")
    # 合并: three matters into one, the reasons in the 调整 element of the result
    for code in MERGED:
        repo.delete(_file(code))
    repo.write(
        _file(MERGED_INTO),
        impl_yaml(name="食品经营许可(合并)", basic="000104005000", merged_from=MERGED) + ADJUSTMENT_MERGE,
    )
    repo.commit("合并三项食品经营许可")
    # 拆分: the reasons as commit trailers
    repo.delete(_file(SPLIT_SOURCE))
    for n, code in zip((7, 8), SPLIT_PRODUCTS, strict=True):
        name = "娱乐场所治安许可(新办)" if n == 7 else "娱乐场所治安许可(变更)"
        repo.write(_file(code), impl_yaml(name=name, basic=f"00010400{n}000", body=POLICE, split_from=SPLIT_SOURCE))
    repo.commit("拆分娱乐场所治安许可\n\n调整依据: 《娱乐场所管理条例》第十一条\n调整理由: 按办理情形分设,便于办理\n")
    # 下放: 区县级 → 街道, recoded (原事项编码), everything in the 调整 element
    text = repo.read(LICENCE_FILE)
    repo.delete(LICENCE_FILE)
    for old, new in (
        (LICENCE, DELEGATED),
        (f"名称: {BUREAU}", f"名称: {STREET_OFFICE[0]}"),
        (XIHU_BUREAU[1], STREET_OFFICE[1]),
        ("行使层级: 区县级", "行使层级: 乡镇(街道)级"),
    ):
        text = text.replace(old, new)
    repo.write(_file(DELEGATED), text + f'原事项编码: ["{LICENCE}"]\n' + ADJUSTMENT_DELEGATE)
    repo.commit("食品经营许可下放至北山街道")
    # 取消: 依据 and 理由 as trailers, no 监管措施
    repo.edit(PENALTY_FILE, "事项类型: 行政处罚\n", "事项类型: 行政处罚\n事项状态: 已取消\n")
    repo.commit("取消一项处罚\n\n调整依据: 国发〔2025〕2号\n调整理由: 上位法已废止该处罚\n")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> CatalogRepo:
    return build_repo(tmp_path)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MATTERCLI_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
        return
    assert path.read_text(encoding="utf-8") == text, name


def _run(repo: CatalogRepo, out: Path, *extra: str) -> object:
    return runner.invoke(
        app, ["diff", "v1", "HEAD", "--catalog", str(repo.catalog), "--format", "request", "--output", str(out), *extra]
    )


def _xlsx_rows(path: Path, skip: int) -> list[list[str]]:
    book = load_workbook(path, read_only=True)
    rows = [["" if v is None else str(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
    return rows[skip:]


def _docx_rows(path: Path) -> list[list[str]]:
    doc = Document(str(path))
    (table,) = doc.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_request_documents_per_department_and_code_mapping(repo: CatalogRepo, tmp_path: Path) -> None:
    out = tmp_path / "requests"
    result = _run(repo, out)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(
        [
            f"调整申请表-{BUREAU}.xlsx",
            f"调整申请表-{BUREAU}.docx",
            f"调整申请表-{POLICE[0]}.xlsx",
            f"调整申请表-{POLICE[0]}.docx",
            "新旧编码对照表.csv",
            "新旧编码对照表.xlsx",
        ]
    )
    for department in (BUREAU, POLICE[0]):
        rows = _xlsx_rows(out / f"调整申请表-{department}.xlsx", 2)
        assert rows[0] == list(REQUEST_HEADER)
        assert _docx_rows(out / f"调整申请表-{department}.docx") == rows  # the DOCX holds the same table
        check_golden(f"request-{department}.tsv", rows_text(rows))
    bureau = {r[1]: r for r in _xlsx_rows(out / f"调整申请表-{BUREAU}.xlsx", 3)}
    assert set(bureau) == {"合并", "下放", "取消"}
    assert bureau["合并"][2].split("\n") == MERGED and bureau["合并"][4] == MERGED_INTO
    assert bureau["合并"][7] == "浙政办发〔2025〕1号"
    assert bureau["下放"][9].startswith("区市场监管局每季度抽查") and bureau["下放"][10] == "区司法局无异议"
    assert bureau["下放"][11].endswith("本级人民政府批准(生效日期 2025-03-01)")
    assert bureau["取消"][7] == "国发〔2025〕2号" and bureau["取消"][9] == ""  # trailers; no 监管措施
    police = _xlsx_rows(out / f"调整申请表-{POLICE[0]}.xlsx", 3)
    assert [r[1] for r in police] == ["拆分"] and police[0][8] == "按办理情形分设,便于办理"
    assert "本级人民政府" not in police[0][11]  # 合并及分设: 审改 and 法制 review only
    table = list(csv.reader(io.StringIO((out / "新旧编码对照表.csv").read_bytes().decode("utf-8-sig"))))
    assert table[0] == list(MAPPING_HEADER)
    assert table[1:] == _xlsx_rows(out / "新旧编码对照表.xlsx", 1)
    check_golden("request-mapping.tsv", rows_text(table))
    relations = [(r[0], r[2], r[4]) for r in table[1:]]
    assert sorted(r for r in relations if r[2] == "合并") == sorted((code, MERGED_INTO, "合并") for code in MERGED)
    assert sorted(r for r in relations if r[2] == "拆分") == sorted((SPLIT_SOURCE, c, "拆分") for c in SPLIT_PRODUCTS)
    assert (LICENCE, DELEGATED, "下放") in relations and (PENALTY, "", "取消") in relations
    assert len(relations) == 3 + 2 + 1 + 1


def test_strict_fails_on_the_cancellation_without_supervision(repo: CatalogRepo, tmp_path: Path) -> None:
    result = _run(repo, tmp_path / "requests", "--strict")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("错误")]
    assert errors == [
        f"错误: {PENALTY_FILE}:1: {PENALTY} 对未取得食品经营许可从事食品经营活动的行政处罚: 调整申请缺少监管措施"
    ]
    repo.edit(PENALTY_FILE, "事项状态: 已取消\n", "事项状态: 已取消\n调整:\n  监管措施: 纳入日常检查\n")
    repo.commit("补充监管措施")
    assert _run(repo, tmp_path / "again", "--strict").exit_code == 0


def test_strict_names_every_missing_reason(repo: CatalogRepo, tmp_path: Path) -> None:
    repo.edit(_file(MERGED_INTO), "  理由: 同一办理对象的三项许可合并办理,减少申请次数\n", "")
    repo.commit("删去理由")
    result = _run(repo, tmp_path / "requests", "--strict")
    assert result.exit_code == 1
    assert f"{MERGED_INTO} 食品经营许可(合并): 调整申请缺少理由" in result.output


def test_request_needs_an_output_directory(repo: CatalogRepo) -> None:
    result = runner.invoke(app, ["diff", "v1", "HEAD", "--catalog", str(repo.catalog), "--format", "request"])
    assert result.exit_code == 2


def test_trailers_are_read_from_the_message_body() -> None:
    message = "拆分\n\n说明文字\n调整依据: 《条例》第十一条\n调整理由：按情形分设\n生效日期: 2025-05-01\n"
    assert parse_trailers(message) == {"basis": "《条例》第十一条", "reason": "按情形分设", "effective": "2025-05-01"}


def test_control_characters_in_a_name_cannot_break_the_documents(repo: CatalogRepo, tmp_path: Path) -> None:
    repo.edit(_file(MERGED_INTO), "事项名称: 食品经营许可(合并)", '事项名称: "食品\\x1b[31m经营\\x07许可"')
    repo.commit("名称中有控制字符")
    out = tmp_path / "requests"
    result = _run(repo, out, "--strict")
    assert result.exit_code == 1  # the 取消 still lacks 监管措施
    assert "\x1b" not in result.output and "\x07" not in result.output
    cells = [c for row in _xlsx_rows(out / f"调整申请表-{BUREAU}.xlsx", 3) for c in row]
    assert "食品\\x1b[31m经营\\x07许可" in cells
    assert any("食品\\x1b[31m经营\\x07许可" in c for row in _docx_rows(out / f"调整申请表-{BUREAU}.docx") for c in row)


def test_work_tree_side_reads_the_committed_trailers_and_the_files_on_disk(repo: CatalogRepo, tmp_path: Path) -> None:
    repo.edit(
        PENALTY_FILE, "事项状态: 已取消\n", "事项状态: 已取消\n调整:\n  监管措施: 纳入日常检查\n"
    )  # not committed
    out = tmp_path / "requests"
    result = runner.invoke(
        app, ["diff", "v1", "--catalog", str(repo.catalog), "--format", "request", "--output", str(out), "--strict"]
    )
    assert result.exit_code == 0, result.output
    bureau = {r[1]: r for r in _xlsx_rows(out / f"调整申请表-{BUREAU}.xlsx", 3)}
    assert bureau["取消"][7] == "国发〔2025〕2号" and bureau["取消"][9] == "纳入日常检查"
    assert "工作区" in _xlsx_rows(out / f"调整申请表-{BUREAU}.xlsx", 0)[1][0]
