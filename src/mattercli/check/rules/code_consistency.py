"""Rule `code-consistency`: the digits of a code agree with the matter's own elements (事项同码).

基本编码 TT = code of 事项类型 and DD = 业务指导部门代码 of the 主管部门; 实施编码 = 实施主体's USCC +
行使层级 digit + 基本编码. Passing: 事项类型 行政许可 with 基本编码 "000104002000". Failing: the same code on a
行政确认 matter (TT would be 07), or 实施编码 "…4000104002000" on a matter whose 行使层级 is 地市级 (3).
A type without a confirmed national code (行政备案) is checked against registry/local-codes.yaml, and not at all
when the catalogue gives it no code there.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.codes import Level
from mattercli.model.identifiers import parse_basic_code, parse_implementation_code


class CodeConsistencyRule(Rule):
    id = "code-consistency"
    title, title_en = "编码与事项要素不一致", "code disagrees with the matter's elements"
    messages = {
        "type": Message(
            "基本编码第 3-4 位为「{digits}」,与事项类型「{type}」(代码 {expected})不一致",
            "basic code type digits '{digits}' do not match 事项类型 '{type}' ({expected})",
        ),
        "department": Message(
            "基本编码第 5-6 位为「{digits}」,与主管部门「{department}」的业务指导部门代码 {expected} 不一致",
            "basic code department digits '{digits}' do not match {department} ({expected})",
        ),
        "level": Message(
            "实施编码第 19 位为「{digit}」({digit_label}),与行使层级「{level}」(代码 {expected})不一致",
            "implementation code level digit '{digit}' does not match 行使层级 '{level}' ({expected})",
        ),
        "body": Message(
            "实施编码前 18 位「{prefix}」与实施主体统一社会信用代码「{uscc}」不一致",
            "implementation code prefix '{prefix}' does not match the body's USCC '{uscc}'",
        ),
        "basic": Message(
            "实施编码后 12 位「{suffix}」与基本编码「{basic}」不一致",
            "implementation code suffix '{suffix}' does not match 基本编码 '{basic}'",
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        basic = parse_basic_code(matter.basic_code)
        type_code = ctx.registries.code_of(matter.type)
        if basic is not None and type_code is not None and basic.type_code != type_code:
            yield self.hit("type", ("基本编码",), digits=basic.type_code, type=matter.type.value, expected=type_code)
        if isinstance(matter, BaseEntry):
            department = ctx.registries.department_by_name.get(matter.guiding_department)
            if (
                basic is not None
                and department is not None
                and department.guiding_code
                and department.guiding_code != basic.department
            ):
                yield self.hit(
                    "department",
                    ("基本编码",),
                    digits=basic.department,
                    department=department.name,
                    expected=department.guiding_code,
                )
            return
        impl = parse_implementation_code(matter.implementation_code)
        if impl is None:
            return
        if impl.level_code != matter.level.code:
            digit_level = Level.from_code(impl.level_code)
            yield self.hit(
                "level",
                ("实施编码",),
                digit=impl.level_code,
                digit_label=digit_level.value if digit_level else "?",
                level=matter.level.value,
                expected=matter.level.code,
            )
        if impl.uscc != matter.body.uscc:
            yield self.hit("body", ("实施编码",), prefix=impl.uscc, uscc=matter.body.uscc)
        if impl.basic.text != matter.basic_code:
            yield self.hit("basic", ("实施编码",), suffix=impl.basic.text, basic=matter.basic_code)
