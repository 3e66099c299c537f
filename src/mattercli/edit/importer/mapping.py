"""Import mappings: which sheet column fills which element, how its values translate, and the element types the
schema gives each target (so "01" becomes 行政许可 and "是" becomes true without being spelled out)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mattercli.catalogue.yamlio import load_text
from mattercli.model.schema import matter_schema

MAPPINGS_PACKAGE = "mattercli.data"
MAPPINGS_DIR = "mappings"

Convert = Literal[
    "legal-basis", "time-limit", "text", "local-code", "responsibilities", "accountability", "accountability-basis"
]


class MappingError(Exception):
    """A mapping file that cannot be used; the message names the file and what is wrong."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ColumnSpec(_Spec):
    """One column: the element it fills (`实施主体.名称`, `办理结果[].结果名称`) and how its values translate."""

    element: str | None = None
    values: dict[str, Any] = Field(default_factory=dict, description="值翻译:表格中的值 → 要素值")
    split: bool | str | None = Field(None, description="列表要素的分隔符(正则);默认按 , , 、 ; ; 换行 拆分")
    convert: Convert | None = None
    label: str | None = Field(None, description="几列合并到同一文本要素时,该列内容前的标签")
    required: bool = False
    ignore: bool = Field(False, description="有意不导入的列")
    aliases: list[str] = Field(default_factory=list, description="同一列在其他表格中的列名")


class SheetSpec(_Spec):
    sheet: str | None = Field(None, description="XLSX 工作表名;默认第一个")
    header_row: int | None = Field(None, ge=1, description="列名所在行;默认自动识别")
    columns: dict[str, str | ColumnSpec]

    def specs(self) -> dict[str, ColumnSpec]:
        return {
            header: spec if isinstance(spec, ColumnSpec) else ColumnSpec(element=spec)
            for header, spec in self.columns.items()
        }


class MaterialsSpec(SheetSpec):
    """A second sheet (or CSV file) of materials, one row each, joined to its matter by a key column."""

    file: str | None = Field(None, description="材料表 CSV/XLSX 文件(相对于事项表);默认同一工作簿")
    key: str = Field(description="材料表中指向事项的列")
    matter_key: str | None = Field(None, description="事项表中被指向的列;默认与 key 同名")
    element: str = "申请材料"
    order_by: str | None = Field(None, description="按该列(数字)排序材料")


class Mapping(SheetSpec):
    """A whole mapping file."""

    name: str = ""
    description: str = ""
    kind: Literal["auto", "base", "implementation"] = "auto"
    set: dict[str, Any] = Field(default_factory=dict, description="每行都写入的固定要素值")
    region: str | None = Field(None, pattern=r"^[0-9]{6}$", description="缺省行政区划代码")
    materials: MaterialsSpec | None = None
    fill_new: dict[str, str] = Field(
        default_factory=dict,
        description="新建的文件缺少某要素时,从同一行的另一要素复制(如 设定依据: 实施依据);已有文件不受影响",
    )
    fallback: dict[str, str] = Field(
        default_factory=dict,
        description="清单中该要素为空时显示的备选要素(如 实施依据: 设定依据):已有文件没有该要素、导入值与备选要素相同"
        "(法律法规名称 + 条款号)时不写入",
    )
    source: str = Field("", exclude=True)
    lines: dict[str, int] = Field(default_factory=dict, exclude=True)  # column -> line in the mapping file
    material_lines: dict[str, int] = Field(default_factory=dict, exclude=True)


def builtin_mappings() -> list[str]:
    """Names of the mappings shipped with mattercli (`--mapping national`)."""
    folder = resources.files(MAPPINGS_PACKAGE) / MAPPINGS_DIR
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_mapping(ref: str | Path) -> Mapping:
    """A mapping from a YAML file, or a shipped one by name (`national`, `power-list`)."""
    path = Path(ref)
    if path.is_file():
        text, source = path.read_text(encoding="utf-8-sig"), str(path)
    elif str(ref) in builtin_mappings():
        resource = resources.files(MAPPINGS_PACKAGE) / MAPPINGS_DIR / f"{ref}.yaml"
        text, source = resource.read_text(encoding="utf-8"), f"{MAPPINGS_DIR}/{ref}.yaml"
    else:
        raise MappingError(f"映射文件不存在: {ref}(内置映射: {', '.join(builtin_mappings())})")
    doc = load_text(text, source)
    if doc.data is None:
        problem = doc.problems[-1] if doc.problems else None
        where = f":{problem.line}" if problem and problem.line else ""
        raise MappingError(f"{source}{where}: 映射文件无法解析({problem.rule if problem else 'yaml'})")
    try:
        mapping = Mapping.model_validate(doc.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part in _UNION_TAGS))
        line, _ = doc.locate(loc)
        place = ".".join(map(str, loc))
        raise MappingError(f"{source}:{line}: 映射文件「{place}」有误: {pydantic_message_zh(error)}") from exc
    mapping.source = source
    mapping.lines = {header: doc.locate(("columns", header))[0] or 0 for header in mapping.columns}
    if mapping.materials is not None:
        mapping.material_lines = {h: doc.locate(("materials", "columns", h))[0] or 0 for h in mapping.materials.columns}
    _check_elements(mapping)
    return mapping


#: pydantic's names for the members of `str | ColumnSpec`, which appear in error locations
_UNION_TAGS = {"str", "ColumnSpec"}


def pydantic_message_zh(error: Any) -> str:
    """A pydantic error in Chinese: its English text never reaches the user."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    given = error.get("input")
    shown = f"「{given}」" if isinstance(given, (str, int, float, bool)) else ""
    if kind == "extra_forbidden":
        return "未知的键(映射文件可用的键见 docs/import.md)"
    if kind == "missing":
        return "缺少必填的键"
    if kind == "literal_error":
        return f"值{shown}只能是 {ctx.get('expected', '')}".replace("'", "")
    if kind == "string_pattern_mismatch":
        return f"值{shown}格式不对(应匹配 {ctx.get('pattern', '')})"
    if kind in ("int_parsing", "int_type", "greater_than_equal", "int_from_float"):
        return f"值{shown}应为不小于 {ctx.get('ge', 1)} 的整数" if "ge" in ctx else f"值{shown}应为整数"
    if kind in ("bool_parsing", "bool_type"):
        return f"值{shown}应为 true 或 false"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为映射(键: 值)"
    if kind in ("list_type",):
        return "应为列表"
    if kind in ("string_type",):
        return f"值{shown}应为文本"
    return f"值{shown}不合要求({kind})"


def _check_elements(mapping: Mapping) -> None:
    """Every column names an element the schema has (for the kinds of entry the mapping imports), once per mapping
    file rather than once per row."""
    kinds = ("base", "implementation") if mapping.kind == "auto" else (mapping.kind,)
    where = {"base": "基本目录", "implementation": "实施清单", "auto": "基本目录或实施清单"}[mapping.kind]
    groups: list[tuple[SheetSpec, dict[str, int], tuple[PathPart, ...]]] = [(mapping, mapping.lines, ())]
    if mapping.materials is not None:
        groups.append((mapping.materials, mapping.material_lines, parse_path(mapping.materials.element + "[]")))
    for spec_group, lines, prefix in groups:
        for header, spec in spec_group.specs().items():
            line = lines.get(header, 0)
            if spec.ignore:
                continue
            if spec.element is None:
                raise MappingError(f"{mapping.source}:{line}: 列「{header}」没有指定 element(或写 ignore: true)")
            path = (*prefix, *parse_path(spec.element))
            if all(element_type(kind, path) is None for kind in kinds):
                raise MappingError(
                    f"{mapping.source}:{line}: 列「{header}」映射的要素「{spec.element}」不是{where}事项的要素"
                )


def check_sheet_headers(mapping: Mapping, headers: list[str], label: str, materials: bool = False) -> None:
    """The sheet has the columns the mapping requires, and at least one column the mapping knows: a mapping error,
    reported once, rather than the same problem on every row."""
    from mattercli.edit.importer.sheets import header_key  # sheets imports this module

    spec_group: SheetSpec | None = mapping.materials if materials else mapping
    assert spec_group is not None
    lines = mapping.material_lines if materials else mapping.lines
    present = {header_key(h) for h in headers}
    specs = spec_group.specs()
    known = [h for h, spec in specs.items() if any(header_key(n) in present for n in (h, *spec.aliases))]
    if not known:
        first = ", ".join(list(specs)[:5])
        raise MappingError(
            f"{mapping.source}: {label} 中没有一列与映射的列名吻合(映射的列名如 {first};表的列名为 "
            f"{', '.join(headers[:8]) or '(空)'});请检查工作表、header_row 或映射"
        )
    for header, spec in specs.items():
        if spec.required and not any(header_key(n) in present for n in (header, *spec.aliases)):
            raise MappingError(f"{mapping.source}:{lines.get(header, 0)}: {label} 中没有必填列「{header}」")


# ---- element paths and types ---------------------------------------------------------------------------------------

_PATH_PART = re.compile(r"^(?P<name>[^.\[\]]+)(?P<item>\[\])?$")


@dataclass(frozen=True, slots=True)
class PathPart:
    name: str
    item: bool  # `办理结果[]`: the row fills one item of this list


def parse_path(path: str) -> tuple[PathPart, ...]:
    parts = []
    for raw in path.split("."):
        m = _PATH_PART.fullmatch(raw.strip())
        if m is None:
            raise MappingError(f"要素路径「{path}」写法有误(如 实施主体.名称、办理结果[].结果名称)")
        parts.append(PathPart(m["name"], bool(m["item"])))
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class ElementType:
    """What the schema says an element holds."""

    title: str
    kind: str  # string, integer, number, boolean, enum, array, object
    enum: dict[str, str] = field(default_factory=dict)  # label -> national code
    items: ElementType | None = None
    properties: tuple[str, ...] = ()
    ref: str = ""  # the $defs name of an object (TimeLimit, LegalBasis …) or an enum (ResultType …)
    national: bool = True  # an enum's codes are the national exchange codes (else the tool's or the catalogue's)


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], str]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        return {**defs[name], **{k: v for k, v in schema.items() if k != "$ref"}}, name
    return schema, ""


def _element_type(schema: dict[str, Any], defs: dict[str, Any], title: str) -> ElementType:
    schema, ref = _resolve(schema, defs)
    if "enum" in schema:
        codes = schema.get("x-national-codes") or schema.get("x-codes") or {v: v for v in schema["enum"]}
        return ElementType(title, "enum", dict(codes), national="x-national-codes" in schema, ref=ref)
    kind = schema.get("type", "string")
    if kind == "array":
        return ElementType(title, "array", items=_element_type(schema.get("items", {}), defs, title))
    if kind == "object" or "properties" in schema:
        return ElementType(title, "object", properties=tuple(schema.get("properties", {})), ref=ref)
    return ElementType(title, str(kind))


@cache
def _entry_schema(kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = matter_schema()
    defs = schema["$defs"]
    return defs["ImplementationEntry" if kind == "implementation" else "BaseEntry"], defs


def element_type(kind: str, path: tuple[PathPart, ...]) -> ElementType | None:
    """The type of the element at `path` in a base or implementation entry; None if the schema has no such element."""
    schema, defs = _entry_schema(kind)
    current: dict[str, Any] = schema
    etype: ElementType | None = None
    for index, part in enumerate(path):
        current, _ = _resolve(current, defs)
        props = current.get("properties", {})
        if part.name not in props:
            return None
        current = props[part.name]
        etype = _element_type(current, defs, part.name)
        if part.item:
            if etype.kind != "array" or etype.items is None:
                return None
            current, _ = _resolve(current, defs)
            current = current.get("items", {})
            etype = etype.items
        elif index < len(path) - 1 and etype.kind == "array":
            return None
    return etype
