"""One sheet row to one matter's data: each mapped cell converted and put at its element path, problems kept with
the row and column they come from (Excel-style: 第 12 行 D 列)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mattercli.edit.importer.convert import (
    ConvertError,
    LocalCode,
    LocalCodes,
    SharedBasis,
    as_text,
    convert,
    to_time_limit,
)
from mattercli.edit.importer.mapping import ColumnSpec, ElementType, PathPart, element_type, parse_path
from mattercli.edit.importer.sheets import Formula, Sheet, SheetRow
from mattercli.model.powers import fill_basis
from mattercli.model.schema import matter_schema


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row (or one cell of it) that could not be imported."""

    sheet: str
    row: int
    column: str | None
    header: str | None
    message: str
    message_en: str

    def where(self, lang: str = "zh") -> str:
        if lang == "en":
            cell = f", column {self.column}" if self.column else ""
            head = f" ({self.header})" if self.header else ""
            return f"{self.sheet} row {self.row}{cell}{head}"
        cell = f" {self.column} 列" if self.column else ""
        head = f"({self.header})" if self.header else ""
        return f"{self.sheet} 第 {self.row} 行{cell}{head}"


@dataclass(slots=True)
class RowData:
    """A row's matter data so far, where each element came from, and what went wrong."""

    row: SheetRow
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, tuple[str, str]] = field(default_factory=dict)  # top-level element -> (column, header)
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, sheet: Sheet, column: str | None, header: str | None, zh: str, en: str) -> None:
        self.problems.append(RowProblem(sheet.label, self.row.number, column, header, zh, en))


@cache
def implementation_only_elements() -> frozenset[str]:
    defs = matter_schema()["$defs"]
    return frozenset(defs["ImplementationEntry"]["properties"]) - frozenset(defs["BaseEntry"]["properties"])


def row_kind(row: SheetRow, specs: dict[str, ColumnSpec], default: str, fixed: dict[str, Any]) -> str:
    """base or implementation: as the mapping says, or (auto) implementation when an element only implementation
    entries have is filled in."""
    if default != "auto":
        return default
    impl_only = implementation_only_elements()
    if any(parse_path(path)[0].name in impl_only for path in fixed):
        return "implementation"
    for header, spec in specs.items():
        if spec.element is None or spec.ignore:
            continue
        cell = _cell(row, header, spec)
        if cell is not None and cell.value is not None and parse_path(spec.element)[0].name in impl_only:
            return "implementation"
    return "base"


def _cell(row: SheetRow, header: str, spec: ColumnSpec) -> Any:
    for name in (header, *spec.aliases):
        cell = row.get(name)
        if cell is not None:
            return cell
    return None


def put(data: dict[str, Any], path: tuple[PathPart, ...], value: Any, label: str | None) -> str | None:
    """Place a value at an element path; a second text for the same element is appended (with its label).
    Returns an error message when the element already holds a different, non-text value."""
    target: dict[str, Any] = data
    for part in path[:-1]:
        if part.item:
            items = target.setdefault(part.name, [{}])
            target = items[0]
        else:
            target = target.setdefault(part.name, {})
    last = path[-1]
    if label and isinstance(value, str):
        value = f"{label}:{value}"
    if last.item:
        target.setdefault(last.name, []).append(value)
        return None
    if last.name not in target:
        target[last.name] = value
        return None
    existing = target[last.name]
    if isinstance(existing, str) and isinstance(value, str):
        target[last.name] = f"{existing}\n{value}"
        return None
    if isinstance(existing, list) and isinstance(value, list):
        existing.extend(v for v in value if v not in existing)
        return None
    if isinstance(existing, dict) and isinstance(value, dict):
        # 时限 「24个小时」 and a 单位 column: the parts of one element from two columns
        for key, part in value.items():
            if key in existing and existing[key] != part and not (key == "单位" and part == "工作日"):
                return f"「{last.name}.{key}」已由另一列填写为「{existing[key]}」,与「{part}」矛盾"
            existing.setdefault(key, part)
        return None
    if existing != value:
        return f"「{last.name}」已由另一列填写为「{existing}」"
    return None


def build_row(
    sheet: Sheet,
    row: SheetRow,
    specs: dict[str, ColumnSpec],
    kind: str,
    prefix: tuple[PathPart, ...] = (),
    tables: LocalCodes | None = None,
    formula_values: bool = False,
) -> RowData:
    """Convert every mapped cell of a row (prefix: `申请材料[]` for a materials sheet, whose columns name the
    elements of one material)."""
    result = RowData(row, kind)
    shared: list[tuple[tuple[PathPart, ...], SharedBasis, str | None, str]] = []
    for header, spec in specs.items():
        if spec.ignore or spec.element is None:
            continue
        cell = _cell(row, header, spec)
        column = cell.column if cell is not None else None
        if cell is None or cell.value is None:
            if spec.required:
                result.problem(
                    sheet,
                    column,
                    header,
                    f"必填列「{header}」为空",
                    f"required column '{header}' is empty",
                )
            continue
        value_in = cell.value
        if isinstance(value_in, Formula):
            if not formula_values:
                result.problem(
                    sheet,
                    column,
                    header,
                    f"单元格是公式「{value_in.text}」,导入不会把公式的显示结果当作值;请把该列改为值,"
                    "或用 --formula-values 导入 Excel 显示的结果",
                    f"the cell holds the formula '{value_in.text}'; paste it as a value, or import the shown result "
                    "with --formula-values",
                )
                continue
            value_in = value_in.shown
            if value_in is None:
                continue
        path = (*prefix, *parse_path(spec.element))
        etype = element_type(kind, path)
        if etype is None:
            where = "实施清单" if kind == "implementation" else "基本目录"
            result.problem(
                sheet,
                column,
                header,
                f"映射的要素「{spec.element}」不是{where}事项的要素",
                f"mapped element '{spec.element}' is not an element of a {kind} entry",
            )
            continue
        try:
            if _limit_with_unit(kind, path, etype, value_in):
                # 「24个小时」 in a 时限 column: the number and its unit, so the unit is not lost to 工作日
                limit = to_time_limit(value_in, etype)
                path, value = path[:-1], limit
            else:
                value = convert(value_in, spec, etype, path[-1].name, tables)
        except ConvertError as exc:
            result.problem(sheet, column, header, exc.zh, exc.en)
            continue
        if value in ([], "", None):
            continue
        if isinstance(value, SharedBasis):
            if value.text:
                shared.append((path[len(prefix) :], value, column, header))
            continue
        clash = put(result.data, path[len(prefix) :], value, spec.label)
        if clash is not None:
            result.problem(
                sheet,
                column,
                header,
                clash,
                f"'{spec.element}' is already filled by another column ('{as_text(cell.value)}' here)",
            )
            continue
        result.origin.setdefault(path[len(prefix)].name, (column or "", header))
        # the full path too (实施主体.统一社会信用代码), so a bad USCC is blamed on its own column
        result.origin.setdefault(".".join(p.name for p in path[len(prefix) :]), (column or "", header))
    for target, basis, column, header in shared:
        items = result.data.get(target[0].name)
        if not isinstance(items, list) or not items:
            result.problem(
                sheet,
                column,
                header,
                f"「{header}」有内容,但该行没有「{target[0].name}」",
                f"'{header}' is filled but the row has no '{target[0].name}'",
            )
            continue
        fill_basis(items, basis.text)
    return result


def _limit_with_unit(kind: str, path: tuple[PathPart, ...], etype: ElementType, value: Any) -> bool:
    """A 时限 cell that holds text such as 「30个自然日」 rather than a bare number."""
    if len(path) < 2 or path[-1].name != "时限" or etype.kind != "integer" or not isinstance(value, str):
        return False
    parent = element_type(kind, path[:-1])
    return parent is not None and parent.ref == "TimeLimit" and not value.strip().isdigit()


def apply_fixed(data: dict[str, Any], fixed: dict[str, Any], kind: str) -> list[str]:
    """Values the mapping sets on every row (its `set:`), converted like cells; returns messages for bad ones."""
    errors = []
    for element, value in fixed.items():
        path = parse_path(element)
        etype = element_type(kind, path)
        if etype is None or _has(data, path):
            continue  # an element only the other kind has, or one a column of this row filled
        try:
            converted = convert(value, ColumnSpec(element=element), etype, path[-1].name)
        except ConvertError as exc:
            errors.append(f"映射 set.{element}: {exc.zh}")
            continue
        put(data, path, converted, None)
    return errors


def _has(data: dict[str, Any], path: tuple[PathPart, ...]) -> bool:
    target: Any = data
    for part in path:
        if isinstance(target, list):
            target = target[0] if target else {}
        if not isinstance(target, dict) or part.name not in target:
            return False
        target = target[part.name]
    return True


def local_codes(data: dict[str, Any]) -> list[tuple[str, LocalCode]]:
    """Local codes left in the data (top-level elements holding one, or a list of them)."""
    found = []
    for key, value in data.items():
        if isinstance(value, LocalCode):
            found.append((key, value))
        elif isinstance(value, list):
            found.extend((key, v) for v in value if isinstance(v, LocalCode))
    return found
