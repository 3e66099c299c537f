"""Rule `schema`: the document must match the national schema (schemas/*.schema.json).

Passing: `事项类型: 行政许可`. Failing: `事项类型: 许可` (not in the code table), `基本编码: 000104002000`
(unquoted, so a number), an unknown element such as `事项名: …`, a missing 事项名称.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.rules.base import Hit, Message, Rule
from mattercli.model.schema import SchemaError, validator_for

_CODE_HINTS = {
    "基本编码": ("12 位基本编码(RR TT DD SSS UUU)", "a 12-character basic code (RR TT DD SSS UUU)"),
    "实施编码": ("31 位实施编码(统一社会信用代码 + 行使层级 + 基本编码)", "a 31-character implementation code"),
    "业务办理项编码": ("33 位业务办理项编码", "a 33-character business item code"),
    "统一社会信用代码": ("18 位统一社会信用代码", "an 18-character unified social credit code"),
    "行政区划代码": ("6 位行政区划代码", "a 6-digit region code"),
    "上级": ("6 位行政区划代码", "a 6-digit region code"),
    "出具事项": ("12 位基本编码", "a 12-character basic code"),
    "施行日期": ("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD"),
}
_TYPE_NAMES = {
    "string": ("文本", "a string"),
    "integer": ("整数", "an integer"),
    "number": ("数字", "a number"),
    "boolean": ("true/false", "true/false"),
    "array": ("列表", "a list"),
    "object": ("映射", "a mapping"),
    "null": ("空值", "null"),
}


def show_path(path: tuple[str | int, ...]) -> str:
    """申请材料[2].材料名称 — a node path as an editor reads it."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(文件顶层)"


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


class SchemaRule(Rule):
    id = "schema"
    title, title_en = "不符合国家标准结构", "does not match the national schema"
    messages = {
        "required": Message("缺少必填要素「{prop}」{where}", "missing required element '{prop}'{where_en}"),
        "unknown": Message(
            "未知要素「{prop}」{where}(拼写错误,或不属于该类文件)", "unknown element '{prop}'{where_en}"
        ),
        "enum": Message(
            "「{field}」的值「{value}」不在代码表中,可选值: {options}",
            "'{field}' value '{value}' is not in the code table; allowed: {options}",
        ),
        "code-type": Message(
            "「{field}」应为加引号的{hint}文本,实际为{actual_zh}(未加引号的编码会被当作数字)",
            "'{field}' must be a quoted string ({hint_en}), found {actual_en}",
        ),
        "code-pattern": Message(
            "「{field}」的值「{value}」不是合法的{hint}", "'{field}' value '{value}' is not {hint_en}"
        ),
        "type": Message(
            "「{field}」应为{expected_zh},实际为{actual_zh}", "'{field}' must be {expected_en}, found {actual_en}"
        ),
        "pattern": Message(
            "「{field}」的值「{value}」格式不符(不能为空,首尾不能有空白)",
            "'{field}' value '{value}' has the wrong form",
        ),
        "range": Message(
            "「{field}」的值 {value} 超出范围({detail})", "'{field}' value {value} is out of range ({detail})"
        ),
        "size": Message("「{field}」不能为空(至少 {limit} 个)", "'{field}' must not be empty (at least {limit})"),
        "other": Message("「{field}」不符合结构要求: {detail}", "'{field}' does not match the schema: {detail}"),
    }

    def check_data(self, data: dict[str, Any], kind: str) -> Iterable[Hit]:
        for error in validator_for(kind).errors(data):
            yield from self._translate(error)

    def _translate(self, error: SchemaError) -> Iterable[Hit]:
        path, params, value = error.path, error.params, error.instance
        field = show_path(path)
        last = next((p for p in reversed(path) if isinstance(p, str)), "")
        where = "" if not path else f"(在 {field} 中)"
        where_en = "" if not path else f" (in {field})"
        keyword = error.keyword
        if keyword == "required":
            yield self.hit("required", path, prop=params["property"], where=where, where_en=where_en)
        elif keyword == "additionalProperties":
            for prop in params.get("unexpected", []):
                yield self.hit("unknown", (*path, prop), on_key=True, prop=prop, where=where, where_en=where_en)
        elif keyword == "enum":
            yield self.hit("enum", path, field=field, value=value, options=params.get("options", []))
        elif keyword == "type" and last in _CODE_HINTS:
            actual = _TYPE_NAMES[_type_of(value)]
            hint = _CODE_HINTS[last]
            yield self.hit(
                "code-type", path, field=field, hint=hint[0], hint_en=hint[1], actual_zh=actual[0], actual_en=actual[1]
            )
        elif keyword == "type":
            expected = params.get("types") or params.get("type") or []
            expected = [expected] if isinstance(expected, str) else list(expected)
            actual = _TYPE_NAMES[_type_of(value)]
            yield self.hit(
                "type",
                path,
                field=field,
                expected_zh="或".join(_TYPE_NAMES.get(t, (t, t))[0] for t in expected),
                expected_en=" or ".join(_TYPE_NAMES.get(t, (t, t))[1] for t in expected),
                actual_zh=actual[0],
                actual_en=actual[1],
            )
        elif keyword == "pattern" and last in _CODE_HINTS:
            hint = _CODE_HINTS[last]
            yield self.hit("code-pattern", path, field=field, value=value, hint=hint[0], hint_en=hint[1])
        elif keyword == "pattern":
            yield self.hit("pattern", path, field=field, value=value)
        elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            sign = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[keyword]
            yield self.hit("range", path, field=field, value=value, detail=f"{sign} {params.get('limit')}")
        elif keyword in ("minItems", "minLength"):
            yield self.hit("size", path, field=field, limit=params.get("limit"))
        else:
            yield self.hit("other", path, field=field, detail=keyword)
