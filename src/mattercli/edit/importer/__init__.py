"""`import`: a sheet of matters (one row each, optionally with a materials sheet joined by a key column) into
catalogue files, written through the same canonical formatter as `fmt`. Importing the same sheet twice changes
nothing: an existing file keeps its comments and the elements the sheet does not map, and is only rewritten when
its content changes. Every row that cannot be mapped is reported with its row and column."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mattercli.catalogue.catalog import Registries, find_root
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.limits import load_limits
from mattercli.catalogue.snapshot import WorktreeSnapshot
from mattercli.catalogue.yamlio import (
    RoundTripError,
    RtEntry,
    RtMap,
    dump_rt_document,
    load_rt_document,
    load_text,
    rt_node,
    rt_plain,
)
from mattercli.edit.fmt import canonical_document, format_data, kind_of
from mattercli.edit.importer.claim import (
    DEFAULT_THRESHOLD,
    NEW_LOCAL,
    Choice,
    ClaimIndex,
    ClaimReportError,
    PendingClaim,
    department_line,
    index_from_documents,
    normal_name,
    read_choices,
    write_report,
)
from mattercli.edit.importer.convert import LocalCode, LocalCodes, as_text
from mattercli.edit.importer.mapping import (
    Mapping,
    MappingError,
    builtin_mappings,
    check_sheet_headers,
    load_mapping,
    parse_path,
)
from mattercli.edit.importer.rows import RowData, RowProblem, apply_fixed, build_row, local_codes, row_kind
from mattercli.edit.importer.sheets import MissingSheet, Sheet, SheetError, header_key, read_sheet, read_sheets
from mattercli.edit.scaffold import ScaffoldError, UsedCodes, find_department, next_sequence, used_codes
from mattercli.model.codes import Level, MatterType
from mattercli.model.identifiers import UsccProblem, check_uscc, parse_basic_code, parse_implementation_code

__all__ = [
    "NEW_LOCAL",
    "ClaimOptions",
    "ClaimReportError",
    "ImportReport",
    "ImportedFile",
    "MappingError",
    "RowProblem",
    "SheetError",
    "builtin_mappings",
    "import_sheet",
    "load_mapping",
    "read_choices",
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
    derived: bool = False  # a base entry made for a row's 新增地方事项 (the row's own file is counted)


@dataclass
class ImportReport:
    source: str
    encoding: str = ""
    header_row: int = 0
    rows: int = 0
    files: list[ImportedFile] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False
    #: 认领: rows claimed automatically / from the editor's report, and rows left for the editor
    claim_source: dict[int, str] = field(default_factory=dict)  # row -> "auto" | "report"
    pending: list[PendingClaim] = field(default_factory=list)
    claim_report: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed_rows(self) -> int:
        return len({(p.sheet, p.row) for p in self.problems})

    def _claimed_rows(self, source: str) -> int:
        imported = {r for f in self.files if not f.derived for r in f.rows}
        return sum(1 for row, how in self.claim_source.items() if how == source and row in imported)

    @property
    def claimed(self) -> int:
        """Rows claimed automatically and imported."""
        return self._claimed_rows("auto")

    @property
    def chosen(self) -> int:
        """Rows imported as the editor chose in the 认领 report."""
        return self._claimed_rows("report")

    def accounted_rows(self, sheet_label: str | None = None) -> int:
        """Distinct rows of the matters sheet that were imported, failed or left for 认领: equal to `rows` when no
        row was lost."""
        rows = {r for f in self.files for r in f.rows if not f.derived}
        rows |= {p.row for p in self.problems if sheet_label is None or p.sheet == sheet_label}
        rows |= {p.row for p in self.pending}
        return len(rows)


@dataclass(frozen=True)
class ClaimOptions:
    """`--claim`: rows without a national 基本编码 claim a base entry (above `threshold`), or go to the report;
    `choices`: the editor's filled-in report from an earlier run; `report`: where to write the new report."""

    threshold: float = DEFAULT_THRESHOLD
    choices: dict[int, Choice] = field(default_factory=dict)
    report: Path | None = None


class _Catalogue:
    """What allocation and lookups need of the target catalogue, loaded on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._registries: Registries | None = None
        self._used: UsedCodes | None = None
        self._by_identity: dict[tuple[str, str, str, str], str] = {}
        self._by_code: dict[str, str] | None = None
        self._claim_index: ClaimIndex | None = None

    @property
    def registries(self) -> Registries:
        if self._registries is None:
            self._registries = WorktreeSnapshot(self.root).registries()
        return self._registries

    @property
    def local_codes(self) -> LocalCodes:
        """The catalogue's own codes for local code tables (registry/local-codes.yaml); empty without a catalogue."""
        if not (self.root / "registry").is_dir():
            return {}
        return self.registries.codes_by_table

    @property
    def claim_index(self) -> ClaimIndex:
        """The target catalogue's 在用 base entries, for 认领."""
        if self._claim_index is None:
            snapshot = WorktreeSnapshot(self.root)
            documents = []
            for rel in snapshot.matter_files():
                doc = snapshot.document(rel)
                if doc is not None and isinstance(doc.data, dict):
                    documents.append(doc.data)
            self._claim_index = index_from_documents(documents)
        return self._claim_index

    def guiding_department_for(self, name: str) -> Any:
        """The registry department with a 业务指导部门代码 in the same line of business as `name` (the department
        itself when it has one)."""
        registries = self.registries
        own = registries.department_by_name.get(name)
        if own is not None and own.guiding_code:
            return own
        line = department_line(name)
        for department in registries.departments:
            if department.guiding_code and department_line(department.name) == line:
                return department
        return None

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
                    key = (
                        str(d.get("事项名称")),
                        str(d.get("事项类型")),
                        str(d.get("主管部门")),
                        str(d.get("子项") or ""),
                    )
                    self._by_identity.setdefault(key, d["基本编码"])
        return self._by_code

    def file_of(self, code: str, default: str) -> str:
        """Where the matter with this code already is (a file may live elsewhere than the layout says), else
        `default`: an import updates the existing file rather than adding a second one with the same code."""
        return self._index().get(code, default)

    def remember_base(self, name: str, type_: str, department: str, code: str, sub_item: str = "") -> None:
        """A code allocated in this import, found by the next row with the same name, type, department and 子项."""
        self._index()
        self._by_identity.setdefault((name, type_, department, sub_item), code)

    def existing_base(self, name: str, type_: str, department: str, sub_item: str = "") -> str | None:
        """The code of a base entry already in the catalogue with this name, type, 主管部门 and 子项."""
        self._index()
        return self._by_identity.get((name, type_, department, sub_item))


def import_sheet(
    source: Path,
    mapping: Mapping,
    catalog: Path,
    dry_run: bool = False,
    materials_file: Path | None = None,
    claim: ClaimOptions | None = None,
    formula_values: bool = False,
) -> ImportReport:
    """Import `source` (XLSX or CSV) into the catalogue at `catalog` as `mapping` says; with `claim`, rows without
    a national 基本编码 claim a base entry or are left in the 认领 report — every row is imported, updated,
    reported as a problem, or pending in the report. Formula cells are reported unless `formula_values` says to
    take the result Excel showed."""
    specs = mapping.specs()
    limits = load_limits(find_root(catalog) if catalog.exists() else catalog.resolve())
    sheets = read_sheets(source, mapping.sheet, _wanted(specs), mapping.header_row, limits, formula_values)
    for one in sheets:
        check_sheet_headers(mapping, one.headers, one.label)
    first_sheet = sheets[0]
    report = ImportReport(
        str(source),
        first_sheet.encoding,
        first_sheet.header_row,
        sum(len(one.rows) for one in sheets),
        written=not dry_run,
    )
    root = find_root(catalog) if catalog.exists() else catalog.resolve()
    catalogue = _Catalogue(root)
    materials = _materials(source, mapping, materials_file, report)
    planned: dict[str, tuple[RowData, dict[str, Any], Sheet]] = {}
    derived: dict[str, tuple[RowData, dict[str, Any], Sheet]] = {}  # base entries made for 新增地方事项 rows
    for sheet, row in ((one, row) for one in sheets for row in one.rows):
        kind = row_kind(row, specs, mapping.kind, mapping.set)
        data = build_row(sheet, row, specs, kind, tables=catalogue.local_codes, formula_values=formula_values)
        for message in apply_fixed(data.data, mapping.set, kind):
            data.problem(sheet, None, None, message, message)
        if materials is not None:
            _join_materials(sheet, row, data, mapping, materials, catalogue.local_codes)
        if claim is not None and kind == "implementation" and not data.problems:
            claimed = _claim(sheet, data, claim, catalogue, report)
            if isinstance(claimed, PendingClaim):
                report.pending.append(claimed)
                continue
            if claimed is not None:
                base_rel, base_data = claimed
                derived.setdefault(base_rel, (data, base_data, sheet))
        rel = None if data.problems else _complete(sheet, data, mapping, catalogue)
        if data.problems or rel is None:
            report.problems.extend(data.problems)
            continue
        if rel in planned:
            first, first_in = planned[rel][0].row.number, planned[rel][2]
            where = f"第 {first} 行" if first_in is sheet else f"{first_in.label} 第 {first} 行"
            where_en = f"row {first}" if first_in is sheet else f"{first_in.label} row {first}"
            report.problems.append(
                RowProblem(
                    sheet.label,
                    row.number,
                    None,
                    None,
                    f"与{where}是同一事项({rel}),已忽略",
                    f"same matter as {where_en} ({rel}); ignored",
                )
            )
            continue
        planned[rel] = (data, data.data, sheet)
    for group, is_derived in ((derived, True), (planned, False)):
        for rel, (data, content, sheet) in group.items():
            if is_derived and data.problems:
                continue  # the row behind a new local base entry failed: no orphan base entry
            if not is_derived:
                _complete_from_fallbacks(root / rel, content, mapping)
            outcome = _render(root, rel, content, (data.row.number,), sheet, report)
            if outcome is None:
                continue
            if is_derived:
                outcome = replace(outcome, derived=True)
            report.files.append(outcome)
            if not dry_run and outcome.status != "unchanged":
                atomic_write_text(outcome.path, outcome.text)
    report.problems.sort(key=lambda p: (p.sheet, p.row, p.column or ""))
    if claim is not None and claim.report is not None and report.pending:
        report.claim_report = str(claim.report)
        if not dry_run:
            write_report(claim.report, report.pending)
    return report


def _complete_from_fallbacks(path: Path, content: dict[str, Any], mapping: Mapping) -> None:
    """The mapping's `fill_new` (a new file takes a missing element from another) and `fallback` (a cell that only
    showed another element is not written into an existing file without that element)."""
    if not path.exists():
        for target, origin in mapping.fill_new.items():
            if target not in content and content.get(origin) not in (None, [], ""):
                content[target] = content[origin]
    elif mapping.fallback:
        _drop_fallback_values(path, content, mapping.fallback)


def _basis_keys(value: Any) -> Any:
    """A value for comparison: legal bases by law + article (条款内容 is not on a list), anything else as it is."""
    if isinstance(value, list) and all(isinstance(v, dict) and "法律法规名称" in v for v in value):
        return sorted((str(v["法律法规名称"]), str(v.get("条款号") or "")) for v in value)
    return value


def _drop_fallback_values(path: Path, content: dict[str, Any], fallback: dict[str, str]) -> None:
    """The list showed `fallback[element]` where `element` was empty: a value equal to it, for a file without the
    element, is not new data (so export → import changes nothing)."""
    try:
        existing = load_text(path.read_text(encoding="utf-8-sig"), str(path)).data
    except (OSError, UnicodeDecodeError):
        return
    if not isinstance(existing, dict):
        return
    for element, shown in fallback.items():
        same = (
            element in content and shown in existing and _basis_keys(content[element]) == _basis_keys(existing[shown])
        )
        if same and element not in existing:
            del content[element]


# ---- 认领 -----------------------------------------------------------------------------------------------------------


def _claim(
    sheet: Sheet, row: RowData, claim: ClaimOptions, catalogue: _Catalogue, report: ImportReport
) -> PendingClaim | tuple[str, dict[str, Any]] | None:
    """Give a row without a national 基本编码 one: the editor's choice from the report, else the best candidate
    when it scores at or above the threshold (and clearly above the next). Returns the pending claim for the
    report, a new local base entry to write (rel, data) for 新增地方事项, or None (claimed, or nothing to claim)."""
    data = row.data
    basic = data.get("基本编码")
    code = data.get("实施编码")
    if isinstance(basic, str) and parse_basic_code(basic) is not None:
        return None
    if isinstance(code, str) and parse_implementation_code(code) is not None:
        return None
    name = str(data.get("事项名称") or "")
    department = _row_department(data, catalogue)
    local = next((lc.text for _, lc in local_codes(data)), str(code or ""))
    choice = claim.choices.get(row.row.number)
    if choice is not None:
        if normal_name(choice.name) != normal_name(name):
            row.problem(
                sheet,
                None,
                None,
                f"认领报告第 {choice.report_row} 行的事项名称「{choice.name}」与本行「{name}」不同:报告已过期,请重新生成",
                f"the claim report's row {choice.report_row} names '{choice.name}', not '{name}': regenerate it",
            )
            return None
        report.claim_source[row.row.number] = "report"
        if choice.new_local:
            if choice.type and not data.get("事项类型"):
                data["事项类型"] = choice.type
            return _new_local_base(sheet, row, catalogue, department)
        assert choice.code is not None
        if not catalogue.claim_index.has(choice.code):
            row.problem(
                sheet,
                None,
                None,
                f"认领报告选定的基本编码「{choice.code}」不在基本目录中(或不是在用事项)",
                f"the chosen basic code '{choice.code}' is not an active base entry",
            )
            return None
        data["基本编码"] = choice.code
        return None
    type_ = data.get("事项类型")
    scored = catalogue.claim_index.candidates(name, department, str(type_) if type_ else None)
    best = scored[0] if scored else None
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    if best is not None and best.score >= claim.threshold and (best.exact or best.score - runner_up >= 0.02):
        data["基本编码"] = best.candidate.code
        report.claim_source[row.row.number] = "auto"
        return None
    if best is None:
        reason = "基本目录中没有相近的事项"
    elif best.score < claim.threshold:
        reason = f"最高得分 {best.score:.2f} 低于阈值 {claim.threshold:.2f}"
        if normal_name(best.candidate.name) == normal_name(name):
            reason += f"(名称相同,但部门「{department}」与主管部门「{best.candidate.department}」不是同一条线)"
    else:
        reason = f"前两个候选得分相近({best.score:.2f}、{runner_up:.2f}),请选择"
    return PendingClaim(sheet.label, row.row.number, name, department, local, tuple(scored), reason)


def _row_department(data: dict[str, Any], catalogue: _Catalogue) -> str:
    """The implementing department's name: from the row, else from the registry by the USCC (also the one in a
    Sichuan-style local code)."""
    found = data.get("实施主体")
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    if body.get("名称"):
        return str(body["名称"])
    uscc = body.get("统一社会信用代码") or next((lc.uscc for _, lc in local_codes(data)), None)
    department = catalogue.registries.department_by_uscc.get(str(uscc)) if uscc else None
    return department.name if department is not None else ""


def _new_local_base(
    sheet: Sheet, row: RowData, catalogue: _Catalogue, department_name: str
) -> tuple[str, dict[str, Any]] | None:
    """新增地方事项: a local base entry (RR = the province of the row's region) for the row to implement; its code is
    allocated as `mattercli new` does, under the guiding code of the department's line of business."""
    data = row.data
    type_ = data.get("事项类型")
    level = data.get("行使层级")
    if not type_ or not level:
        row.problem(
            sheet,
            None,
            None,
            "新增地方事项需要该行的 事项类型 和 行使层级",
            "a new local matter needs 事项类型 and 行使层级 in the row",
        )
        return None
    guiding = catalogue.guiding_department_for(department_name)
    if guiding is None:
        row.problem(
            sheet,
            None,
            None,
            f"找不到与「{department_name}」同一业务条线、有业务指导部门代码的部门,无法为新增地方事项分配基本编码",
            f"no department of the line of '{department_name}' with a guiding code: cannot allocate a basic code",
        )
        return None
    region = str(data.get("行政区划代码") or next((lc.region for _, lc in local_codes(data)), ""))[:6]
    if not (len(region) == 6 and region.isdigit()):
        row.problem(sheet, None, None, "新增地方事项需要行政区划代码", "a new local matter needs a region code")
        return None
    type_code = next((t.code for t in MatterType if t.value == type_), None)
    if type_code is None:
        row.problem(sheet, None, None, f"事项类型「{type_}」不在代码表中", f"unknown 事项类型 '{type_}'")
        return None
    prefix = f"{region[:2]}{type_code}{guiding.guiding_code}"
    code = f"{prefix}{next_sequence(catalogue.used.sequences(prefix))}000"
    catalogue.used.codes.add(code)
    data["基本编码"] = code
    base: dict[str, Any] = {
        "基本编码": code,
        "事项名称": data.get("事项名称"),
        "事项类型": type_,
        "主管部门": department_name or guiding.name,
        "行使层级": [level],
    }
    for element in ("设定依据", "实施依据", "服务对象", "受理条件", "法定办结时限"):
        if element in data:
            base[element] = data[element]
    return f"base/{code}.yaml", base


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
    check_sheet_headers(mapping, sheet.headers, sheet.label, materials=True)
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
    sheet: Sheet, row: Any, data: RowData, mapping: Mapping, materials: _Materials, tables: LocalCodes
) -> None:
    spec = mapping.materials
    assert spec is not None
    key_cell = row.get(spec.matter_key or spec.key)
    if key_cell is None or key_cell.value is None:
        return
    prefix = parse_path(spec.element + "[]")
    items = []
    for material_row in materials.by_key.get(as_text(key_cell.value), []):
        built = build_row(materials.sheet, material_row, spec.specs(), data.kind, prefix, tables)
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
        if element == "实施编码":
            del data["实施编码"]
        elif isinstance(data.get(element), list):
            data[element] = [v.text if isinstance(v, LocalCode) else v for v in data[element]]
        else:
            data[element] = local.text
        # local codes are data of their own, not 原事项编码 (which diff reads as lineage)
        data.setdefault("地方实施编码", local.text)
        data.setdefault("地方基本编码", local.local if len(local.local) >= 3 else local.text.split("-")[0])
        body = data.setdefault("实施主体", {})
        body.setdefault("统一社会信用代码", local.uscc)
        data.setdefault("行政区划代码", local.region12 or local.region)
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
        if not _blame_code_parts(sheet, row):
            column, header = _origin(row, "实施编码")
            if code:
                row.problem(
                    sheet,
                    column,
                    header,
                    f"「{code}」不是合法的 31 位实施编码(应为 18 位统一社会信用代码 + 1 位行使层级 + 12 位基本编码,"
                    f"实为 {len(str(code))} 位)",
                    f"'{code}' is not a valid 31-character implementation code ({len(str(code))} characters)",
                )
            else:
                row.problem(
                    sheet,
                    column,
                    header,
                    "没有实施编码,也无法由 实施主体统一社会信用代码 + 行使层级 + 基本编码 组成",
                    "no implementation code, and none can be made of USCC + level + basic code",
                )
        return None
    if body is not None and "名称" not in body:
        department = catalogue.registries.department_by_uscc.get(str(body.get("统一社会信用代码")))
        if department is not None:
            body["名称"] = department.name
    region = _region(sheet, row, mapping, uscc)
    if region is None:
        return None
    data["行政区划代码"] = region
    return catalogue.file_of(code, f"impl/{region}/{code}.yaml")


def _blame_code_parts(sheet: Sheet, row: RowData) -> bool:
    """Why a national 实施编码 cannot be made, blamed on the column that holds the wrong part: the 基本编码, the
    统一社会信用代码 (which check fails) or the 行使层级. False when every part present looks right."""
    data, blamed = row.data, False
    basic = data.get("基本编码")
    if basic is not None and parse_basic_code(str(basic)) is None:
        column, header = _origin(row, "基本编码")
        row.problem(
            sheet,
            column,
            header,
            f"「{basic}」不是合法的 12 位基本编码(实为 {len(str(basic))} 位),无法组成实施编码",
            f"'{basic}' is not a 12-character basic code ({len(str(basic))} characters); no implementation code",
        )
        blamed = True
    body = data.get("实施主体")
    uscc = body.get("统一社会信用代码") if isinstance(body, dict) else None
    if uscc is not None:
        problem = check_uscc(str(uscc))
        if problem is not None:
            column, header = _origin(row, "实施主体.统一社会信用代码")
            zh, en = uscc_message(str(uscc), problem)
            row.problem(sheet, column, header, f"{zh},无法组成实施编码", f"{en}; no implementation code")
            blamed = True
    level = data.get("行使层级")
    if level is not None and _level(level) is None:
        column, header = _origin(row, "行使层级")
        row.problem(
            sheet, column, header, f"行使层级「{level}」不在代码表中", f"level '{level}' is not in the code table"
        )
        blamed = True
    return blamed


def uscc_message(uscc: str, problem: UsccProblem) -> tuple[str, str]:
    """What is wrong with a USCC, in Chinese and English, naming the value."""
    if problem.kind == "length":
        return (
            f"统一社会信用代码「{uscc}」应为 18 位,实为 {len(uscc)} 位",
            f"USCC '{uscc}' has {len(uscc)} characters, not 18",
        )
    if problem.kind == "alphabet":
        return (
            f"统一社会信用代码「{uscc}」含有不允许的字符(不用 I、O、S、V、Z)",
            f"USCC '{uscc}' has characters outside its alphabet (no I, O, S, V, Z)",
        )
    if problem.kind == "org-check":
        return (
            f"统一社会信用代码「{uscc}」的组织机构代码校验位(第 17 位)应为「{problem.expected}」",
            f"USCC '{uscc}': the organisation-code check character (17th) should be '{problem.expected}'",
        )
    return (
        f"统一社会信用代码「{uscc}」的校验位(第 18 位)应为「{problem.expected}」",
        f"USCC '{uscc}': the check character (18th) should be '{problem.expected}'",
    )


def _region(sheet: Sheet, row: RowData, mapping: Mapping, uscc: Any) -> str | None:
    """The 6-digit 行政区划代码: the row's (a 12-digit statistical code gives its first six digits, and is kept as
    实施地区划代码 when it names a township or village), else the mapping's `region`, else the USCC's digits 3–8."""
    data = row.data
    value = data.get("行政区划代码")
    if value is None:
        fallback = mapping.region or (uscc[2:8] if isinstance(uscc, str) and uscc[2:8].isdigit() else None)
        if fallback is None:
            column, header = _origin(row, "行政区划代码")
            row.problem(
                sheet,
                column,
                header,
                "无法确定行政区划代码:该行没有,映射没有 region,统一社会信用代码也不含区划",
                "no region code: none in the row, no mapping region, none in the USCC",
            )
        return fallback
    text = str(value).strip()
    if len(text) == 12 and text.isdigit():
        if text[6:] != "000000":
            data.setdefault("实施地区划代码", text)
        return text[:6]
    if len(text) == 6 and text.isdigit():
        return text
    column, header = _origin(row, "行政区划代码")
    row.problem(
        sheet,
        column,
        header,
        f"行政区划代码「{text}」应为 6 位(或 12 位统计用区划代码),实为 {len(text)} 位",
        f"region code '{text}' must have 6 (or 12) digits, not {len(text)}",
    )
    return None


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
            sheet,
            column,
            header,
            f"「{code}」不是合法的 12 位基本编码",
            f"'{code}' is not a 12-character basic code ({len(str(code))} characters)",
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
    sub_item = str(data.get("子项") or "")
    existing = catalogue.existing_base(str(name), str(type_), str(department_name), sub_item)
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
            sheet,
            column,
            header,
            f"部门「{department.name}」没有业务指导部门代码,无法分配基本编码",
            f"department '{department.name}' has no guiding code (业务指导部门代码): cannot allocate a basic code",
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
    # a second row for the same matter in this sheet gets this code, and so is reported as a duplicate now
    catalogue.remember_base(str(name), str(type_), str(department_name), code, sub_item)
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
