"""Importing a published 行政许可事项清单 (the national 2022 edition, or a provincial, city or district list) from
XLSX or CSV into `registry/license-list.yaml`, each item matched to the 基本编码 it corresponds to.

Matching: an entry of the editor's confirmed mapping file (by the row's 序号, else its 事项名称) wins; otherwise the
base entry whose 事项名称 (or 别名) is the row's name after NFKC and without white space (行政许可 base entries
first). Rows that match nothing are kept in the registry without 基本编码 and reported with their sheet row number
and the closest base entries, never dropped. Section rows ("一、中央设定的行政许可事项目录(共198项)") set the
设定类别 of the rows under them; repeated header rows are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from mattercli.catalogue.catalog import REGISTRY_DIR, YAML_SUFFIXES, find_root, iter_matter_files, relpath
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.snapshot import parse_matter
from mattercli.catalogue.yamlio import load_file
from mattercli.check.index import drift_key
from mattercli.edit.fmt import format_data
from mattercli.edit.importer.convert import parse_legal_bases
from mattercli.edit.importer.sheets import Sheet, SheetError, SheetRow, header_key, read_sheet
from mattercli.model import BaseEntry
from mattercli.model.codes import Level, MatterType
from mattercli.model.registry import LicenseListEntry, LicenseOrigin

LICENSE_FILE = "license-list.yaml"

#: Column headers of the published lists, by element (compared with header_key: no spaces, NFKC, upper case).
#: 西湖区 2022: 序号 | 中央行政许可事项清单(2022年版)序号 | 区级主管部门 | 事项名称 | 实施机关 | 设定和实施依据 | 备注;
#: the national list: 序号 | 主管部门 | 许可事项名称 | 实施机关 | 设定和实施依据 | 备注; 西昌 2025 splits 设定依据/实施依据.
HEADERS: dict[str, tuple[str, ...]] = {
    "序号": ("序号",),
    "事项名称": ("事项名称", "许可事项名称", "行政许可事项名称", "许可事项"),
    "主管部门": ("主管部门", "区级主管部门", "县级主管部门", "市级主管部门", "省级主管部门"),
    "实施机关": ("实施机关", "实施主体"),
    "设定依据": ("设定依据", "设定和实施依据", "设定及实施依据"),
    "实施依据": ("实施依据",),
    "备注": ("备注",),
    "基本编码": ("基本编码", "事项编码"),
    "行使层级": ("行使层级", "实施层级"),
}
_PARENT_NUMBER = re.compile(r"清单.*序号$")
_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_MARKER = re.compile(r"[*＊]+$")
_DOC_NUMBER = re.compile(r"^[(（][^()（）]*[〔\[［(（]?\d{4}[〕\]］)）]?[^()（）]*号[)）]$")


class LicenseImportError(Exception):
    """The sheet, the mapping file or the catalogue cannot be used at all."""


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    name: str
    score: float


@dataclass(slots=True)
class ImportedRow:
    """One item of the sheet: where it is, what was read, and how it was matched."""

    row: int
    number: str
    name: str
    entry: dict[str, Any]
    code: str | None = None
    matched_by: str | None = None  # 名称 | 别名 | 映射 | None
    confirmed_none: bool = False  # the mapping says: no counterpart in this catalogue
    candidates: tuple[Candidate, ...] = ()


@dataclass(slots=True)
class RowProblem:
    row: int
    message: str
    message_en: str


@dataclass
class LicenseImport:
    """What an import read, matched and wrote."""

    source: str
    list_name: str
    header_row: int
    encoding: str
    target: str
    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    kept_other_lists: int = 0
    written: bool = False
    changed: bool = False

    @property
    def unmatched(self) -> list[ImportedRow]:
        return [r for r in self.rows if r.code is None and not r.confirmed_none]

    def count(self, how: str) -> int:
        return sum(1 for r in self.rows if r.matched_by == how)


@dataclass(frozen=True, slots=True)
class _Base:
    code: str
    name: str
    aliases: tuple[str, ...]
    licence: bool


def _catalogue_bases(root: Path) -> list[_Base]:
    out = []
    for path in iter_matter_files(root):
        matter = parse_matter(load_file(path, relpath(path, root)))
        if isinstance(matter, BaseEntry):
            out.append(_Base(matter.code, matter.name, tuple(matter.aliases), matter.type is MatterType.LICENSING))
    return out


@dataclass(frozen=True)
class ConfirmedMapping:
    """The editor's confirmed matches: by 序号 and by 事项名称 (normalised) -> 基本编码, or None for 无对应."""

    by_number: dict[str, str | None]
    by_name: dict[str, str | None]

    def lookup(self, number: str, name: str) -> tuple[bool, str | None]:
        if number in self.by_number:
            return True, self.by_number[number]
        key = drift_key(name)
        if key in self.by_name:
            return True, self.by_name[key]
        return False, None


def load_confirmed(path: Path | None) -> ConfirmedMapping:
    """The mapping file: `匹配: [{序号 | 事项名称, 基本编码 (null: 确认无对应)}]`."""
    if path is None:
        return ConfirmedMapping({}, {})
    if not path.is_file():
        raise LicenseImportError(f"映射文件不存在: {path}")
    doc = load_file(path, path.as_posix())
    if doc.problems or not isinstance(doc.data, dict) or not isinstance(doc.data.get("匹配"), list):
        raise LicenseImportError(f"{path}: 映射文件须为 YAML 映射,顶层键「匹配」为列表")
    by_number: dict[str, str | None] = {}
    by_name: dict[str, str | None] = {}
    for i, item in enumerate(doc.data["匹配"]):
        line, _ = doc.locate(("匹配", i))
        where = f"{path}:{line or 1}"
        if not isinstance(item, dict) or "基本编码" not in item or not ({"序号", "事项名称"} & set(item)):
            raise LicenseImportError(f"{where}: 每一项须有「序号」或「事项名称」,以及「基本编码」(无对应时写 null)")
        code = item["基本编码"]
        if code is not None and not (isinstance(code, str) and re.fullmatch(r"[0-9A-Z]{12}", code)):
            raise LicenseImportError(f"{where}: 基本编码须为加引号的 12 位编码,或 null: {code!r}")
        if "序号" in item:
            by_number[str(item["序号"]).strip()] = code
        else:
            by_name[drift_key(str(item["事项名称"]))] = code
    return ConfirmedMapping(by_number, by_name)


def _column_keys(sheet: Sheet) -> dict[str, str]:
    """Element -> header_key of the sheet's column for it."""
    present = set(sheet.columns)
    out: dict[str, str] = {}
    for element, names in HEADERS.items():
        for name in names:
            if header_key(name) in present:
                out[element] = header_key(name)
                break
    for key in sheet.columns:
        if key != header_key("序号") and _PARENT_NUMBER.search(key):
            out["上级清单序号"] = key
            break
    return out


def _text(row: SheetRow, key: str | None) -> str | None:
    if key is None:
        return None
    cell = row.cells.get(key)
    if cell is None or cell.value is None:
        return None
    text = str(cell.value).strip()
    return text or None


def _bases(text: str | None) -> list[dict[str, str]]:
    if not text:
        return []
    out = []
    for basis in parse_legal_bases(text):
        content = basis.get("条款内容")
        if content is not None and _DOC_NUMBER.match(content):
            del basis["条款内容"]  # 《…的通知》(国发〔2016〕72号): the document number, not an article's text
        out.append(basis)
    return out


def _levels(text: str | None) -> list[str]:
    if not text:
        return []
    found = []
    for part in re.split(r"[、,，;；\s]+", text):
        for level in Level:
            if part in (level.value, level.code) or part.rstrip("级") + "级" == level.value:
                found.append(level.value)
    return list(dict.fromkeys(found))


def _origin(section: str) -> LicenseOrigin | None:
    if "中央" in section:
        return LicenseOrigin.CENTRAL
    if "地方性法规" in section:
        return LicenseOrigin.LOCAL_REGULATION
    if "规章" in section:
        return LicenseOrigin.PROVINCIAL_RULE
    return None


def _is_section(row: SheetRow) -> str | None:
    """The title of a section row: one text across the row (merged cells repeat it), starting 一、 二、 …"""
    values = {str(c.value).strip() for c in row.cells.values() if c.value is not None}
    if len(values) == 1:
        (only,) = values
        if _SECTION.match(only):
            return only
    return None


class _Matcher:
    def __init__(self, bases: Sequence[_Base]) -> None:
        self.by_key: dict[str, list[tuple[_Base, str]]] = {}
        for base in bases:
            self.by_key.setdefault(drift_key(base.name), []).append((base, "名称"))
            for alias in base.aliases:
                self.by_key.setdefault(drift_key(alias), []).append((base, "别名"))
        self.choices = {base.code: base.name for base in bases}
        self.names = {base.code: base.name for base in bases}

    def match(self, name: str) -> tuple[str | None, str | None, list[str]]:
        """(code, how, other codes with the same name) — 行政许可 entries preferred, name before 别名."""
        found = self.by_key.get(drift_key(name), [])
        if not found:
            return None, None, []
        found = sorted(found, key=lambda item: (not item[0].licence, item[1] != "名称", item[0].code))
        best = found[0]
        same = [b.code for b, how in found[1:] if b.licence == best[0].licence and how == best[1]]
        return best[0].code, best[1], same

    def candidates(self, name: str, limit: int = 3) -> tuple[Candidate, ...]:
        hits = process.extract(name, self.choices, scorer=fuzz.ratio, limit=limit, score_cutoff=50)
        return tuple(Candidate(code, self.names[code], round(score / 100, 2)) for _, score, code in hits)


def read_rows(
    sheet: Sheet, list_name: str, default_origin: LicenseOrigin | None
) -> tuple[list[ImportedRow], list[RowProblem]]:
    """The items of a sheet in the published layout, as registry entries (not yet matched)."""
    keys = _column_keys(sheet)
    if "事项名称" not in keys:
        raise LicenseImportError(f"{sheet.label}: 找不到事项名称列(列名: {', '.join(sheet.headers)})")
    rows: list[ImportedRow] = []
    problems: list[RowProblem] = []
    origin = default_origin
    for title in sheet.above:  # the first section's title is above the header row
        if _SECTION.match(title):
            origin = _origin(title) or origin
    for row in sheet.rows:
        section = _is_section(row)
        if section is not None:
            origin = _origin(section) or origin
            continue
        name = _text(row, keys["事项名称"])
        if name is not None and header_key(name) in {header_key(n) for n in HEADERS["事项名称"]}:
            continue  # the header again, under a section title
        number = _text(row, keys.get("序号"))
        if name is None:
            problems.append(RowProblem(row.number, "没有事项名称,未导入", "no 事项名称: not imported"))
            continue
        remarks = _text(row, keys.get("备注"))
        if _MARKER.search(name):  # 「……项目核准*」: a footnote mark of the published list, not part of the name
            mark = _MARKER.search(name)
            assert mark is not None
            name = name[: mark.start()].rstrip()
            remarks = "; ".join(x for x in (remarks, f"原表事项名称带「{mark.group(0)}」标记") if x)
        entry: dict[str, Any] = {"清单": list_name, "序号": number or str(row.number), "事项名称": name}
        for element in ("主管部门", "实施机关"):
            if (value := _text(row, keys.get(element))) is not None:
                entry[element] = value
        if levels := _levels(_text(row, keys.get("行使层级"))):
            entry["行使层级"] = levels
        for element in ("设定依据", "实施依据"):
            if found := _bases(_text(row, keys.get(element))):
                entry[element] = found
        if origin is not None:
            entry["设定类别"] = origin.value
        if remarks:
            entry["备注"] = remarks
        if (parent := _text(row, keys.get("上级清单序号"))) is not None:
            entry["上级清单序号"] = parent
        code = _text(row, keys.get("基本编码"))
        imported = ImportedRow(row.number, entry["序号"], name, entry)
        if code is not None:
            imported.code, imported.matched_by = code.zfill(12) if code.isdigit() else code, "表内编码"
        rows.append(imported)
    return rows, problems


def import_license_list(
    source: Path,
    catalog: Path,
    list_name: str,
    *,
    mapping: Path | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    origin: LicenseOrigin | None = None,
    levels: Iterable[Level] = (),
    dry_run: bool = False,
) -> LicenseImport:
    """Read the sheet, match every row, and (unless dry_run) replace this list's entries in license-list.yaml."""
    root = find_root(catalog)
    wanted = [name for names in HEADERS.values() for name in names]
    try:
        table = read_sheet(source, sheet, wanted, header_row)
    except SheetError as exc:
        raise LicenseImportError(str(exc)) from exc
    confirmed = load_confirmed(mapping)
    target = root / REGISTRY_DIR / LICENSE_FILE
    report = LicenseImport(str(source), list_name, table.header_row, table.encoding, relpath(target, root))
    rows, problems = read_rows(table, list_name, origin)
    report.problems.extend(problems)
    matcher = _Matcher(_catalogue_bases(root))
    default_levels = [level.value for level in levels]
    for row in rows:
        if default_levels and "行使层级" not in row.entry:
            row.entry["行使层级"] = default_levels
        known, code = confirmed.lookup(row.number, row.name)
        if known:
            row.code, row.matched_by, row.confirmed_none = code, "映射" if code else None, code is None
        elif row.code is None:
            code, how, same = matcher.match(row.name)
            row.code, row.matched_by = code, how
            if same:
                report.problems.append(
                    RowProblem(
                        row.row,
                        f"名称「{row.name}」同时对应 {'、'.join(same)},已取 {code};如不对,请在映射文件中确认",
                        f"the name also matches {', '.join(same)}; took {code} (confirm in the mapping file)",
                    )
                )
        if row.code is None and not row.confirmed_none:
            row.candidates = matcher.candidates(row.name)
        if row.code is not None:
            row.entry["基本编码"] = row.code
    report.rows = rows
    _check_entries(report)
    text, others = _registry_text(target, list_name, [r.entry for r in rows])
    report.kept_other_lists = others
    old = target.read_text(encoding="utf-8") if target.is_file() else None
    report.changed = old != text
    if not dry_run and report.changed:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, text)
        report.written = True
    return report


def _check_entries(report: LicenseImport) -> None:
    for row in report.rows:
        try:
            LicenseListEntry.model_validate(row.entry)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(map(str, error["loc"]))
                report.problems.append(RowProblem(row.row, f"{where}: {error['msg']}", f"{where}: {error['msg']}"))


def _registry_text(target: Path, list_name: str, entries: list[dict[str, Any]]) -> tuple[str, int]:
    """The new license-list.yaml: the entries of other lists as they were, then this list's, in sheet order."""
    kept: list[dict[str, Any]] = []
    if target.is_file() and target.suffix in YAML_SUFFIXES:
        doc = load_file(target, target.name)
        if doc.problems or not isinstance(doc.data, dict):
            raise LicenseImportError(f"{target}: 无法读取现有的行政许可事项清单,请先修复(mattercli validate)")
        kept = [e for e in doc.data.get("行政许可事项") or [] if isinstance(e, dict) and e.get("清单") != list_name]
    data = {"行政许可事项": [*kept, *entries]}
    header = [
        "# yaml-language-server: $schema=../../schemas/license-list.schema.json",
        "# 行政许可事项清单(参照清单):由 mattercli import-licenses 导入;基本编码按名称匹配或按映射文件确认。",
    ]
    return format_data(data, f"{REGISTRY_DIR}/{LICENSE_FILE}", header), len(kept)
