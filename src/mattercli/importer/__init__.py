"""`import`: a sheet of matters (one row each, optionally with a materials sheet joined by a key column) into
catalogue files, written through the same canonical formatter as `fmt`. Importing the same sheet twice changes
nothing: an existing file keeps its comments and the elements the sheet does not map, and is only rewritten when
its content changes. Every row that cannot be mapped is reported with its row and column."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mattercli.catalog import Registries, find_root
from mattercli.codes import Level, MatterType
from mattercli.fmt import canonical_document, format_data, kind_of
from mattercli.fsutil import atomic_write_text
from mattercli.identifiers import parse_basic_code, parse_implementation_code
from mattercli.importer.convert import LocalCode, as_text
from mattercli.importer.mapping import Mapping, MappingError, builtin_mappings, load_mapping, parse_path
from mattercli.importer.rows import RowData, RowProblem, apply_fixed, build_row, local_codes, row_kind
from mattercli.importer.sheets import MissingSheet, Sheet, SheetError, header_key, read_sheet
from mattercli.scaffold import ScaffoldError, UsedCodes, find_department, next_sequence, used_codes
from mattercli.snapshot import WorktreeSnapshot
from mattercli.yamlio import RoundTripError, RtEntry, RtMap, dump_rt_document, load_rt_document, rt_node, rt_plain

__all__ = [
    "ImportReport",
    "ImportedFile",
    "MappingError",
    "RowProblem",
    "SheetError",
    "builtin_mappings",
    "import_sheet",
    "load_mapping",
]


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A catalogue file the import writes (or would write): new, changed or unchanged, and the rows behind it."""

    file: str
    path: Path
    status: str  # new | changed | unchanged
    code: str
    rows: tuple[int, ...]
    text: str
    old_text: str | None = None


@dataclass
class ImportReport:
    source: str
    encoding: str = ""
    header_row: int = 0
    rows: int = 0
    files: list[ImportedFile] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed_rows(self) -> int:
        return len({(p.sheet, p.row) for p in self.problems})


class _Catalogue:
    """What allocation and lookups need of the target catalogue, loaded on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._registries: Registries | None = None
        self._used: UsedCodes | None = None
        self._by_identity: dict[tuple[str, str, str], str] = {}
        self._by_code: dict[str, str] | None = None

    @property
    def registries(self) -> Registries:
        if self._registries is None:
            self._registries = WorktreeSnapshot(self.root).registries()
        return self._registries

    @property
    def used(self) -> UsedCodes:
        if self._used is None:
            self._used = used_codes(self.root, self.registries)
        return self._used

    def _index(self) -> dict[str, str]:
        if self._by_code is None:
            self._by_code = {}
            snapshot = WorktreeSnapshot(self.root)
            for rel in snapshot.matter_files():
                doc = snapshot.document(rel)
                d = doc.data if doc is not None else None
                if not isinstance(d, dict):
                    continue
                code = d.get("实施编码") or d.get("基本编码")
                if isinstance(code, str):
                    self._by_code.setdefault(code, rel)
                if "实施编码" not in d and isinstance(d.get("基本编码"), str):
                    key = (str(d.get("事项名称")), str(d.get("事项类型")), str(d.get("主管部门")))
                    self._by_identity.setdefault(key, d["基本编码"])
        return self._by_code

    def file_of(self, code: str, default: str) -> str:
        """Where the matter with this code already is (a file may live elsewhere than the layout says), else
        `default`: an import updates the existing file rather than adding a second one with the same code."""
        return self._index().get(code, default)

    def existing_base(self, name: str, type_: str, department: str) -> str | None:
        """The code of a base entry already in the catalogue with this name, type and 主管部门."""
        self._index()
        return self._by_identity.get((name, type_, department))


def import_sheet(
    source: Path,
    mapping: Mapping,
    catalog: Path,
    dry_run: bool = False,
    materials_file: Path | None = None,
) -> ImportReport:
    """Import `source` (XLSX or CSV) into the catalogue at `catalog` as `mapping` says."""
    specs = mapping.specs()
    sheet = read_sheet(source, mapping.sheet, _wanted(specs), mapping.header_row)
    report = ImportReport(str(source), sheet.encoding, sheet.header_row, len(sheet.rows), written=not dry_run)
    root = find_root(catalog) if catalog.exists() else catalog.resolve()
    catalogue = _Catalogue(root)
    materials = _materials(source, mapping, materials_file, report)
    planned: dict[str, tuple[RowData, dict[str, Any]]] = {}
    for row in sheet.rows:
        kind = row_kind(row, specs, mapping.kind, mapping.set)
        data = build_row(sheet, row, specs, kind)
        for message in apply_fixed(data.data, mapping.set, kind):
            data.problem(sheet, None, None, message, message)
        if materials is not None:
            _join_materials(sheet, row, data, mapping, materials, report)
        rel = None if data.problems else _complete(sheet, data, mapping, catalogue)
        if data.problems or rel is None:
            report.problems.extend(data.problems)
            continue
        if rel in planned:
            first = planned[rel][0].row.number
            report.problems.append(
                RowProblem(
                    sheet.label,
                    row.number,
                    None,
                    None,
                    f"与第 {first} 行是同一事项({rel}),已忽略",
                    f"same matter as row {first} ({rel}); ignored",
                )
            )
            continue
        planned[rel] = (data, data.data)
    for rel, (data, content) in planned.items():
        outcome = _render(root, rel, content, (data.row.number,), sheet, report)
        if outcome is None:
            continue
        report.files.append(outcome)
        if not dry_run and outcome.status != "unchanged":
            atomic_write_text(outcome.path, outcome.text)
    report.problems.sort(key=lambda p: (p.sheet, p.row, p.column or ""))
    return report


def _wanted(specs: dict[str, Any]) -> list[str]:
    names = []
    for header, spec in specs.items():
        names.append(header)
        names.extend(spec.aliases)
    return names


# ---- materials ------------------------------------------------------------------------------------------------------


@dataclass
class _Materials:
    sheet: Sheet
    by_key: dict[str, list[Any]]


def _materials(source: Path, mapping: Mapping, override: Path | None, report: ImportReport) -> _Materials | None:
    spec = mapping.materials
    if spec is None:
        return None
    path = override or (source.parent / spec.file if spec.file else source)
    if path == source and source.suffix.lower() != ".xlsx":
        return None  # a CSV holds one table: materials come from --materials or materials.file
    columns = spec.specs()
    try:
        sheet = read_sheet(path, spec.sheet, [*_wanted(columns), spec.key], spec.header_row)
    except MissingSheet:
        if override is not None or spec.file is not None:
            raise
        return None  # the workbook has no materials sheet: matters only
    by_key: dict[str, list[Any]] = defaultdict(list)
    for row in sheet.rows:
        key_cell = row.get(spec.key)
        if key_cell is None or key_cell.value is None:
            report.problems.append(
                RowProblem(
                    sheet.label,
                    row.number,
                    sheet.columns.get(header_key(spec.key)),
                    spec.key,
                    f"材料行缺少关联列「{spec.key}」的值",
                    f"material row has no '{spec.key}'",
                )
            )
            continue
        by_key[as_text(key_cell.value)].append(row)
    order_by = spec.order_by
    if order_by:
        for rows in by_key.values():
            rows.sort(key=lambda r: _order(r, order_by))
    return _Materials(sheet, by_key)


def _order(row: Any, column: str) -> tuple[int, float]:
    cell = row.get(column)
    value = cell.value if cell is not None else None
    return (0, float(value)) if isinstance(value, (int, float)) else (1, float(row.number))


def _join_materials(
    sheet: Sheet, row: Any, data: RowData, mapping: Mapping, materials: _Materials, report: ImportReport
) -> None:
    spec = mapping.materials
    assert spec is not None
    key_cell = row.get(spec.matter_key or spec.key)
    if key_cell is None or key_cell.value is None:
        return
    prefix = parse_path(spec.element + "[]")
    items = []
    for material_row in materials.by_key.get(as_text(key_cell.value), []):
        built = build_row(materials.sheet, material_row, spec.specs(), data.kind, prefix)
        if built.problems:
            data.problems.extend(built.problems)
            continue
        items.append(built.data)
    if items:
        data.data[spec.element] = items


# ---- codes and where the file goes ---------------------------------------------------------------------------------


def _complete(sheet: Sheet, row: RowData, mapping: Mapping, catalogue: _Catalogue) -> str | None:
    """Fill what the catalogue layout needs (codes, region), resolving local codes; the file's relative path."""
    if row.kind == "implementation":
        return _complete_implementation(sheet, row, mapping, catalogue)
    return _complete_base(sheet, row, mapping, catalogue)


def _origin(row: RowData, element: str) -> tuple[str | None, str | None]:
    column, header = row.origin.get(element, (None, None))
    return column or None, header


def _resolve_local_codes(sheet: Sheet, row: RowData) -> None:
    """Sichuan-style codes: body USCC and region taken from their parts, the code kept under 原事项编码, and the
    national 实施编码 built from USCC + 行使层级 + 基本编码 when the row has those."""
    data = row.data
    for element, local in local_codes(data):
        column, header = _origin(row, element)
        previous = [v for v in data.get("原事项编码", []) if not isinstance(v, LocalCode)]
        if local.text not in previous:
            previous.append(local.text)
        data["原事项编码"] = previous
        if element == "实施编码":
            del data["实施编码"]
        elif isinstance(data.get(element), list):
            data[element] = [v.text if isinstance(v, LocalCode) else v for v in data[element]]
        body = data.setdefault("实施主体", {})
        body.setdefault("统一社会信用代码", local.uscc)
        data.setdefault("行政区划代码", local.region)
        if element == "实施编码" and not _national_code_possible(data):
            row.problem(
                sheet,
                column,
                header,
                f"地方编码「{local.text}」无法转换为全国实施编码:缺少全国基本编码(12 位)或行使层级",
                f"local code '{local.text}' cannot become a national code: no 12-character basic code or level",
            )


def _national_code_possible(data: dict[str, Any]) -> bool:
    return parse_basic_code(str(data.get("基本编码", ""))) is not None and _level(data.get("行使层级")) is not None


def _level(value: Any) -> Level | None:
    for member in Level:
        if value == member.value:
            return member
    return None


def _complete_implementation(sheet: Sheet, row: RowData, mapping: Mapping, catalogue: _Catalogue) -> str | None:
    data = row.data
    _resolve_local_codes(sheet, row)
    if row.problems:
        return None
    body = data.get("实施主体") if isinstance(data.get("实施主体"), dict) else None
    uscc = body.get("统一社会信用代码") if body else None
    code = data.get("实施编码")
    parsed = parse_implementation_code(code) if isinstance(code, str) else None
    if parsed is not None:
        data.setdefault("基本编码", parsed.basic.text)
        level = next((m for m in Level if m.code == parsed.level_code), None)
        if level is not None:
            data.setdefault("行使层级", level.value)
        if body is not None:
            body.setdefault("统一社会信用代码", parsed.uscc)
        else:
            data["实施主体"] = body = {"统一社会信用代码": parsed.uscc}
        uscc = body["统一社会信用代码"]
    elif code is None and uscc and _national_code_possible(data):
        level = _level(data.get("行使层级"))
        assert level is not None
        data["实施编码"] = code = f"{uscc}{level.code}{data['基本编码']}"
    if not isinstance(code, str) or parse_implementation_code(code) is None:
        column, header = _origin(row, "实施编码")
        shown = (
            f"「{code}」不是合法的 31 位实施编码"
            if code
            else "没有实施编码,也无法由 实施主体统一社会信用代码 + 行使层级 + 基本编码 组成"
        )
        row.problem(sheet, column, header, shown, "no valid 31-character implementation code")
        return None
    if body is not None and "名称" not in body:
        department = catalogue.registries.department_by_uscc.get(str(body.get("统一社会信用代码")))
        if department is not None:
            body["名称"] = department.name
    region = data.get("行政区划代码") or mapping.region or (uscc[2:8] if isinstance(uscc, str) else None)
    if not (isinstance(region, str) and len(region) == 6 and region.isdigit()):
        column, header = _origin(row, "行政区划代码")
        row.problem(sheet, column, header, "无法确定行政区划代码", "no region code")
        return None
    data["行政区划代码"] = region
    return catalogue.file_of(code, f"impl/{region}/{code}.yaml")


def _complete_base(sheet: Sheet, row: RowData, mapping: Mapping, catalogue: _Catalogue) -> str | None:
    data = row.data
    for element, local in local_codes(data):
        column, header = _origin(row, element)
        row.problem(
            sheet,
            column,
            header,
            f"基本目录事项不能使用地方实施编码「{local.text}」",
            f"local code '{local.text}' on a base entry",
        )
    if row.problems:
        return None
    code = data.get("基本编码")
    if code is None:
        code = _allocate(sheet, row, mapping, catalogue)
        if code is None:
            return None
        data["基本编码"] = code
    if parse_basic_code(str(code)) is None:
        column, header = _origin(row, "基本编码")
        row.problem(
            sheet, column, header, f"「{code}」不是合法的 12 位基本编码", f"'{code}' is not a 12-character basic code"
        )
        return None
    return catalogue.file_of(str(code), f"base/{code}.yaml")


def _allocate(sheet: Sheet, row: RowData, mapping: Mapping, catalogue: _Catalogue) -> str | None:
    """A row without 基本编码 (a 权责清单 has none): the code of the same matter already in the catalogue, else the
    next free code, as `mattercli new` allocates it."""
    data = row.data
    name, type_, department_name = data.get("事项名称"), data.get("事项类型"), data.get("主管部门")
    if not (name and type_ and department_name):
        row.problem(
            sheet,
            None,
            None,
            "没有基本编码;要自动分配编码,需要 事项名称、事项类型 和 主管部门",
            "no basic code; allocating one needs 事项名称, 事项类型 and 主管部门",
        )
        return None
    existing = catalogue.existing_base(str(name), str(type_), str(department_name))
    if existing is not None:
        return existing
    column, header = _origin(row, "主管部门")
    try:
        department = find_department(catalogue.registries, str(department_name))
    except ScaffoldError as exc:
        row.problem(sheet, column, header, f"{exc};无法分配基本编码", f"{exc}; cannot allocate a basic code")
        return None
    if not department.guiding_code:
        row.problem(
            sheet, column, header, f"部门「{department.name}」没有业务指导部门代码,无法分配基本编码", "no guiding code"
        )
        return None
    region = mapping.region or department.region
    rr = "00" if department.level is Level.NATIONAL and not mapping.region else (region or "")[:2]
    member = next(t for t in MatterType if t.value == type_)
    type_code = catalogue.registries.code_of(member)
    if type_code is None:
        column, header = _origin(row, "事项类型")
        row.problem(
            sheet, column, header,
            f"事项类型「{member.value}」没有国家代码,须在 registry/local-codes.yaml 中给出本地代码,才能分配基本编码",
            f"事项类型 '{member.value}' has no national code; give one in registry/local-codes.yaml",
        )  # fmt: skip
        return None
    prefix = f"{rr}{type_code}{department.guiding_code}"
    code = f"{prefix}{next_sequence(catalogue.used.sequences(prefix))}000"
    catalogue.used.codes.add(code)
    return code


# ---- writing --------------------------------------------------------------------------------------------------------


def _merge(node: RtMap, content: dict[str, Any]) -> None:
    """Imported elements replace the file's; a mapping (实施主体, 办结时限) is merged key by key, so the parts the sheet
    does not map stay; lists (申请材料) are replaced whole. Entries whose value is unchanged keep their comments."""
    for key, value in content.items():
        entry = node.get(key)
        if entry is None:
            node.entries.append(RtEntry(key, rt_node(value)))
        elif isinstance(value, dict) and isinstance(entry.value, RtMap):
            _merge(entry.value, value)
        elif rt_plain(entry.value) != value:
            entry.value = rt_node(value)


def _render(
    root: Path, rel: str, content: dict[str, Any], rows: tuple[int, ...], sheet: Sheet, report: ImportReport
) -> ImportedFile | None:
    """The file's new text: new content, or the existing file with the imported elements replaced (its comments and
    other elements kept), both in canonical form."""
    path = root / rel
    code = str(content.get("实施编码") or content.get("基本编码"))
    if not path.exists():
        return ImportedFile(rel, path, "new", code, rows, format_data(content, rel))
    old = path.read_text(encoding="utf-8-sig")
    try:
        doc = load_rt_document(old)
    except RoundTripError as exc:
        report.problems.append(
            RowProblem(
                sheet.label,
                rows[0],
                None,
                None,
                f"目标文件 {rel} 第 {exc.line} 行无法解析,未覆盖",
                f"existing {rel} cannot be read (line {exc.line}); not overwritten",
            )
        )
        return None
    _merge(doc.root, content)
    canonical_document(doc, kind_of(rel), Path(rel).name)
    text = dump_rt_document(doc)
    return ImportedFile(rel, path, "unchanged" if text == old else "changed", code, rows, text, old)
