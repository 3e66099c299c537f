"""Element paths (实施主体.名称, 申请材料.材料名称, 基本目录.主管部门 …): checked against the models once, then
resolved on each matter and rendered as the text a published list shows."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Union

from pydantic import BaseModel

from mattercli.model import (
    Accountability,
    BaseEntry,
    BusinessItem,
    Consultation,
    FeeItem,
    ImplementationBody,
    ImplementationEntry,
    IntermediaryService,
    LegalBasis,
    LicenseListEntry,
    Material,
    ProcessStep,
    Responsibility,
    Result,
    SpecialProcedure,
    TimeLimit,
)
from mattercli.model.codes import CodedEnum, OnlineDepth
from mattercli.model.lists import RowUnit
from mattercli.model.powers import format_accountability, format_responsibilities

Matter = BaseEntry | ImplementationEntry
#: A cell: text, or a whole number (序号, counts) that spreadsheets keep numeric.
Value = str | int

#: Several values in one cell are joined with this (full-width semicolon, as published lists do).
JOIN = "；"
CODE_SUFFIX = "代码"  # 事项类型.代码 -> "01": the national code of a code-table value

# Computed elements (not stored in a matter file).
ROW_NUMBER = "序号"
CODE = "编码"
DEPARTMENT = "部门"
REGION_NAME = "区划名称"
FULLY_ONLINE = "全程网办"
BASE_PREFIX = "基本目录"
MATERIAL_PREFIX = "材料"
RESPONSIBILITY_PREFIX = "责任"
PROOF_LIST_MODE = "清单办理方式"
BASES_TOGETHER = "设定和实施依据"  # 设定依据 then 实施依据, run together as the 2022 lists print them
CENTRAL_NUMBER = "中央清单序号"  # the item's 序号 on the central 行政许可事项清单 (from registry/license-list.yaml)
LICENCE_PREFIX = "许可清单"  # 许可清单.<element>: the reference-list entry of the matter's 基本编码
COMPUTED = frozenset({ROW_NUMBER, CODE, DEPARTMENT, REGION_NAME, FULLY_ONLINE, BASES_TOGETHER, CENTRAL_NUMBER})
#: Several values of one column in a row per 许可事项 (several 实施机关 in one cell) are joined with this.
MERGE_JOIN = "、"


#: Elements a matter may leave out because other elements imply them: the cell shows the implied value.
DERIVED: dict[str, Callable[[RowContext], Value]] = {}


class PathError(ValueError):
    """An element path names no element (`en`: the message in English)."""

    def __init__(self, message: str, en: str) -> None:
        super().__init__(message)
        self.en = en


def is_fully_online(matter: Matter) -> bool:
    """全程网办: 网上办理深度 reaches 办理 (as rule online-visits reads it)."""
    return isinstance(matter, ImplementationEntry) and OnlineDepth.HANDLE in matter.online_depth


def department_of(matter: Matter) -> str:
    """The department a matter is listed under: its 实施主体 (implementation) or 主管部门 (base)."""
    return matter.body.name if isinstance(matter, ImplementationEntry) else matter.guiding_department


# --- static checking -------------------------------------------------------------------------------------------


def _inner(annotation: Any) -> Any:
    """The element type behind list[...], X | None and Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


@cache
def _aliases(cls: type[BaseModel]) -> dict[str, tuple[str, Any]]:
    """Chinese element name -> (attribute name, element type) of a model."""
    return {(f.alias or name): (name, _inner(f.annotation)) for name, f in cls.model_fields.items()}


def _check_model_path(classes: Iterable[type[BaseModel]], parts: list[str], full: str) -> None:
    current: list[Any] = list(classes)
    for i, part in enumerate(parts):
        nxt = []
        for cls in current:
            if isinstance(cls, type) and issubclass(cls, BaseModel) and part in _aliases(cls):
                nxt.append(_aliases(cls)[part][1])
            elif isinstance(cls, type) and issubclass(cls, CodedEnum) and part == CODE_SUFFIX and i == len(parts) - 1:
                nxt.append(str)
        if not nxt:
            raise PathError(
                f"要素路径「{full}」中的「{part}」不是要素", f"'{part}' in the element path '{full}' is no element"
            )
        current = nxt


def check_path(path: str, row_unit: RowUnit = RowUnit.MATTER) -> None:
    """Raise PathError when `path` names no element (for a list of matters, of materials or of 责任事项)."""
    material_rows = row_unit is RowUnit.MATERIAL
    parts = path.split(".")
    head = parts[0]
    if head in COMPUTED:
        if len(parts) > 1:
            raise PathError(f"计算要素「{head}」没有下级要素", f"the computed element '{head}' has no sub-elements")
        return
    if head == MATERIAL_PREFIX:
        if not material_rows:
            raise PathError(
                f"「{path}」只能用于按申请材料成行的清单(每行: 申请材料)",
                f"'{path}' is only for lists with one row per material (每行: 申请材料)",
            )
        if parts[1:] == [PROOF_LIST_MODE]:
            return
        if len(parts) == 1:
            raise PathError(
                "「材料」后须写材料要素,如 材料.材料名称", "材料 needs a material element, e.g. 材料.材料名称"
            )
        _check_model_path([Material], parts[1:], path)
        return
    if head == RESPONSIBILITY_PREFIX:
        if row_unit is not RowUnit.RESPONSIBILITY:
            raise PathError(
                f"「{path}」只能用于按责任事项成行的清单(每行: 责任事项)",
                f"'{path}' is only for lists with one row per 责任事项 (每行: 责任事项)",
            )
        if len(parts) == 1:
            raise PathError("「责任」后须写责任事项的要素,如 责任.环节", "责任 needs an element, e.g. 责任.环节")
        _check_model_path([Responsibility], parts[1:], path)
        return
    if head == BASE_PREFIX:
        if len(parts) == 1:
            raise PathError(
                "「基本目录」后须写要素,如 基本目录.主管部门", "基本目录 needs an element, e.g. 基本目录.主管部门"
            )
        if parts[1:] == [BASES_TOGETHER]:
            return
        _check_model_path([BaseEntry], parts[1:], path)
        return
    if head == LICENCE_PREFIX:
        if len(parts) == 1:
            raise PathError("「许可清单」后须写要素,如 许可清单.序号", "许可清单 needs an element, e.g. 许可清单.序号")
        _check_model_path([LicenseListEntry], parts[1:], path)
        return
    _check_model_path([BaseEntry, ImplementationEntry], parts, path)


# --- rendering -------------------------------------------------------------------------------------------------


def _basis(b: LegalBasis) -> str:
    return f"《{b.law}》{b.article or ''}"


_RENDERERS: dict[type, Callable[[Any], str]] = {
    LegalBasis: _basis,
    TimeLimit: lambda t: t.describe(),
    Material: lambda m: m.name,
    FeeItem: lambda f: f"{f.name}({f.standard})",
    Result: lambda r: r.name,
    IntermediaryService: lambda s: s.name,
    ImplementationBody: lambda b: b.name,
    ProcessStep: lambda s: s.name,
    SpecialProcedure: lambda s: s.name,
    Consultation: lambda c: c.question,
    BusinessItem: lambda b: f"{b.code} {b.name}",
}


def render_scalar(value: Any) -> Value:
    """One element value as the text a list shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    renderer = _RENDERERS.get(type(value))
    if renderer is not None:
        return renderer(value)
    if isinstance(value, BaseModel):  # any other element: its first element that has a value
        for name in type(value).model_fields:
            inner = getattr(value, name)
            if inner not in (None, [], ""):
                return render_value(inner)
        return ""
    return str(value)


def render_value(value: Any) -> Value:
    """A value or a list of values (joined with ；); 责任事项 and 追责情形 one item a line, as power lists print them."""
    if isinstance(value, list | tuple) and value and all(isinstance(v, Responsibility) for v in value):
        return format_responsibilities(value)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Accountability) for v in value):
        return format_accountability(value)
    if isinstance(value, list | tuple):
        texts = (str(render_scalar(v)) for v in value)
        return JOIN.join(t for t in texts if t)
    return render_scalar(value)


def bases_together(matter: Matter) -> str:
    """设定和实施依据: every 设定依据 then every 实施依据, 《名称》条款号 each, run together (a basis cited twice once)."""
    texts = [_basis(b) for b in (*matter.legal_basis, *matter.implementation_basis)]
    return "".join(dict.fromkeys(texts))


def central_number(entries: Iterable[LicenseListEntry]) -> str:
    """The 序号 on the central list: an entry's 上级清单序号 (a local list records it there), else the 序号 of an
    entry of the central list itself (设定类别 中央设定, or 中央 / 国务院决定 in the 清单's name)."""
    found = []
    for entry in entries:
        if entry.parent_number:
            found.append(entry.parent_number)
        elif (entry.origin is not None and entry.origin.value == "中央设定") or any(
            word in entry.list_name for word in ("中央", "国务院决定")
        ):
            found.append(entry.number)
    return MERGE_JOIN.join(dict.fromkeys(found))


def matter_value(matter: Matter, parts: list[str]) -> Value:
    """The cell of an element path (below 基本目录.) on a matter, computed elements included."""
    if parts == [BASES_TOGETHER]:
        return bases_together(matter)
    return render_value(walk(matter, parts))


def walk(obj: Any, parts: list[str]) -> Any:
    """Follow Chinese element names through models and lists; lists are mapped over and flattened."""
    values: list[Any] = [obj]
    many = False
    for part in parts:
        nxt: list[Any] = []
        for item in values:
            if isinstance(item, CodedEnum) and part == CODE_SUFFIX:
                nxt.append(item.code)
                continue
            if not isinstance(item, BaseModel):
                continue
            entry = _aliases(type(item)).get(part)
            if entry is None:
                continue
            got = getattr(item, entry[0])
            if isinstance(got, list):
                many = True
                nxt.extend(got)
            elif got is not None:
                nxt.append(got)
        values = nxt
    if many:
        return values
    return values[0] if values else None


@dataclass(frozen=True, slots=True)
class RowContext:
    """What one row's cells are read from."""

    matter: Matter
    base: BaseEntry | None
    material: Material | None
    row_number: int
    region_name: str
    proof_list_mode: str
    responsibility: Responsibility | None = None
    #: the reference-list entries (registry/license-list.yaml) of the matter's 基本编码
    licences: tuple[LicenseListEntry, ...] = ()


Resolver = Callable[[RowContext], Value]


def _base_of(ctx: RowContext) -> BaseEntry | None:
    if ctx.base is not None:
        return ctx.base
    return ctx.matter if isinstance(ctx.matter, BaseEntry) else None


def _direct(name: str) -> Resolver:
    """A top-level element of the matter (the common case), without the general walk."""

    def get(ctx: RowContext) -> Value:
        entry = _aliases(type(ctx.matter)).get(name)
        return render_value(getattr(ctx.matter, entry[0])) if entry is not None else ""

    return get


DERIVED.update(
    {
        "办理性质": lambda ctx: ctx.matter.nature.value,
        "就近办": lambda ctx: (
            ("是" if ctx.matter.is_nearby else "否") if isinstance(ctx.matter, ImplementationEntry) else ""
        ),
    }
)


def compile_path(path: str) -> Resolver:
    """A function giving the cell for `path` in a row (for a path that passed `check_path`)."""
    parts = path.split(".")
    head, rest = parts[0], parts[1:]
    computed: dict[str, Resolver] = {
        ROW_NUMBER: lambda ctx: ctx.row_number,
        CODE: lambda ctx: ctx.matter.code,
        DEPARTMENT: lambda ctx: department_of(ctx.matter),
        REGION_NAME: lambda ctx: ctx.region_name,
        FULLY_ONLINE: lambda ctx: "是" if is_fully_online(ctx.matter) else "否",
        BASES_TOGETHER: lambda ctx: bases_together(ctx.matter),
        CENTRAL_NUMBER: lambda ctx: central_number(ctx.licences),
    }
    if head in computed:
        return computed[head]
    if head in DERIVED and not rest:
        return DERIVED[head]
    if head == MATERIAL_PREFIX:
        if rest == [PROOF_LIST_MODE]:
            return lambda ctx: ctx.proof_list_mode
        return lambda ctx: render_value(walk(ctx.material, rest))
    if head == RESPONSIBILITY_PREFIX:
        return lambda ctx: render_value(walk(ctx.responsibility, rest))
    if head == BASE_PREFIX:
        return lambda ctx: matter_value(base, rest) if (base := _base_of(ctx)) is not None else ""
    if head == LICENCE_PREFIX:
        return lambda ctx: render_value(walk(ctx.licences[0], rest)) if ctx.licences else ""
    if not rest:
        return _direct(head)
    return lambda ctx: render_value(walk(ctx.matter, parts))


def resolve(path: str, ctx: RowContext) -> Value:
    """The cell for `path` in the row `ctx`."""
    return compile_path(path)(ctx)
