"""Building blocks shared by matters and registries: legal bases, time limits, materials, results, steps."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mattercli.model.codes import (
    MaterialForm,
    MaterialKind,
    MaterialSource,
    Necessity,
    ResultType,
    TimeUnit,
)
from mattercli.model.identifiers import BUSINESS_ITEM_CODE_PATTERN

#: A non-empty string with no leading or trailing white space.
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"^\S(?:[\s\S]*\S)?$")]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+()\- ,、;；转]{3,60}$")]


def el(name: str, description: str = "", **kwargs: Any) -> Any:
    """A field whose YAML key and schema title are the national element name `name`."""
    return Field(alias=name, title=name, description=description or None, **kwargs)


class Element(BaseModel):
    """Base of every model: Chinese aliases, unknown keys refused, immutable."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        frozen=True,
        use_enum_values=False,
        validate_default=False,
    )


class LegalBasis(Element, title="设定依据"):
    """设定依据: a law or regulation, the article, and optionally its text."""

    law: Text = el("法律法规名称", "名称须与 registry/laws.yaml 中的一部法律法规一致")
    article: Text | None = el("条款号", "如 第十二条、第三十五条第一款", default=None)
    text: Text | None = el("条款内容", default=None)


class TimeLimit(Element, title="办结时限"):
    """办结时限: a number and a unit; 0 means 即办."""

    value: int = el("时限", "0 表示即办", ge=0, le=3650)
    unit: TimeUnit = el("单位", default=TimeUnit.WORKING_DAY)
    note: Text | None = el("说明", default=None)

    @property
    def working_days(self) -> float:
        """The limit in working days, so limits in different units compare: 7 自然日 = 5 工作日, 24 小时 = 1 自然日,
        1 周 = 5 工作日, 1 月 = 30 自然日 (an approximation: months differ; compare like units where it matters)."""
        if self.unit is TimeUnit.WORKING_DAY:
            return float(self.value)
        if self.unit is TimeUnit.WEEK:
            return float(self.value * 5)
        days = {TimeUnit.CALENDAR_DAY: 1.0, TimeUnit.HOUR: 1 / 24, TimeUnit.MONTH: 30.0}[self.unit] * self.value
        return days * 5 / 7

    def describe(self) -> str:
        return f"{self.value}{self.unit.value}"


class Material(Element, title="申请材料"):
    """申请材料."""

    name: Text = el("材料名称")
    kind: MaterialKind = el("材料类别", default=MaterialKind.DOCUMENT)
    form: MaterialForm | None = el("材料形式", default=None)
    paper_copies: int | None = el("纸质份数", ge=0, le=100, default=None)
    necessity: Necessity = el("必要性", default=Necessity.REQUIRED)
    source: MaterialSource = el("来源渠道", default=MaterialSource.APPLICANT)
    issuer: Text | None = el("出具单位", "出具该材料的单位名称(政府部门须在部门名录中)", default=None)
    legal_basis: list[LegalBasis] = el("设定依据", "要求提交该材料的法律依据", default_factory=list)
    pledge: bool = el("告知承诺", "申请人可选择以书面承诺代替提交该材料(告知承诺制)", default=False)
    instructions: Text | None = el("填报须知", default=None)
    acceptance_standard: Text | None = el("受理标准", default=None)
    blank_form: Text | None = el("空白表格", default=None)
    sample: Text | None = el("示例样表", default=None)


class Result(Element, title="办理结果"):
    """办理结果."""

    type: ResultType = el("结果类型")
    name: Text = el("结果名称")
    sample: Text | None = el("结果样本", default=None)


class ProcessStep(Element, title="办理环节"):
    """办理流程中的一个环节."""

    name: Text = el("环节名称")
    time_limit: TimeLimit | None = el("环节时限", default=None)
    description: Text | None = el("办理要求", default=None)


class SpecialProcedure(Element, title="特别程序"):
    """特别程序 (听证、检验、专家评审……), whose time is not counted in the time limit."""

    name: Text = el("名称")
    time_limit: TimeLimit | None = el("时限", default=None)
    description: Text | None = el("说明", default=None)


class IntermediaryService(Element, title="中介服务"):
    """中介服务."""

    name: Text = el("名称")
    required: bool = el("是否必须", default=True)
    legal_basis: list[LegalBasis] = el("设定依据", default_factory=list)


class FeeItem(Element, title="收费项目"):
    """收费项目."""

    name: Text = el("收费项目名称")
    standard: Text = el("收费标准")
    legal_basis: list[LegalBasis] = el("收费依据", min_length=1)


class Consultation(Element, title="常见问题"):
    """常见问题."""

    question: Text = el("问题")
    answer: Text = el("解答")


class Responsibility(Element, title="责任事项"):
    """责任事项: what the body is answerable for at one 环节 (受理, 审查, 决定 …) of exercising a power, and why.

    `依据` is the text of the basis as a list publishes it (「《中华人民共和国行政许可法》第三十二条」), not a
    structured 设定依据: power lists cite articles, regulations and normative documents alike.
    """

    stage: Text = el("环节", "如 受理、审查、决定、送达、事后监管;立案、调查取证、审理、告知、决定、送达、执行")
    content: Text = el("内容", "该环节的责任内容")
    basis: Text | None = el("依据", "该环节责任的依据(法律法规规章条款)", default=None)


class Accountability(Element, title="追责情形"):
    """追责情形: a situation in which the body or its staff are held accountable, and the basis for it."""

    situation: Text = el("情形", "如 对符合法定条件的申请不予受理的")
    basis: Text | None = el("依据", "追责依据(必填,见规则 accountability-basis)", default=None)


DateStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


class Adjustment(Element, title="调整"):
    """调整: why and on what grounds the matter's latest change (取消, 下放, 合并 …) was made, for the change request
    (`mattercli diff --format request`). Commit trailers `调整依据:` / `调整理由:` give the same when this is absent."""

    basis: Text | None = el("依据", "调整的依据(法律法规、国务院决定、上级文件)", default=None)
    reason: Text | None = el("理由", "调整的理由", default=None)
    supervision: Text | None = el("监管措施", "取消、下放后的事中事后监管措施", default=None)
    effective: DateStr | None = el("生效日期", "YYYY-MM-DD", default=None)
    opinions: Text | None = el("涉及部门意见", "征求相关部门意见的情况", default=None)


class BusinessItem(Element, title="业务办理项"):
    """业务办理项."""

    code: str = el("业务办理项编码", pattern=f"^{BUSINESS_ITEM_CODE_PATTERN}$")
    name: Text = el("名称")
