"""A matter file is either a 基本目录 entry (BaseEntry) or a 实施清单 entry (ImplementationEntry).

A document with the key 实施编码 is an implementation entry; any other matter document is a base entry.
Field order here is the canonical element order that `fmt` writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import StringConstraints, model_validator

from mattercli.model.codes import (
    BodyNature,
    CaseKind,
    HandlingForm,
    HandlingNature,
    Level,
    MatterStatus,
    MatterType,
    OnlineDepth,
    PenaltyKind,
    PowerSource,
    Scope,
    ServiceTarget,
    UnsuitableMode,
    nature_of_type,
)
from mattercli.model.common import (
    Accountability,
    Adjustment,
    BusinessItem,
    Consultation,
    Element,
    FeeItem,
    IntermediaryService,
    LegalBasis,
    Material,
    Phone,
    ProcessStep,
    Responsibility,
    Result,
    SpecialProcedure,
    Text,
    TimeLimit,
    el,
)
from mattercli.model.identifiers import (
    BASIC_CODE_PATTERN,
    IMPLEMENTATION_CODE_PATTERN,
    USCC_PATTERN,
)

BasicCodeStr = Annotated[str, StringConstraints(pattern=f"^{BASIC_CODE_PATTERN}$")]
ImplementationCodeStr = Annotated[str, StringConstraints(pattern=f"^{IMPLEMENTATION_CODE_PATTERN}$")]
UsccStr = Annotated[str, StringConstraints(pattern=f"^{USCC_PATTERN}$")]
RegionCodeStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
#: A local code as a province's system writes it: letters, digits and separators, no spaces.
LocalCodeStr = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z\-_.]{2,80}$")]
LocalRegionCodeStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]

#: Elements each matter type must carry beyond the common ones (schema `if/then`, see `_type_requirements`).
TYPE_REQUIRED_ELEMENTS: dict[MatterType, tuple[str, ...]] = {
    MatterType.PENALTY: ("处罚的行为", "处罚的种类", "处罚的幅度"),
    MatterType.LEVY: ("征收种类",),
}


#: The service elements: what an applicant is promised. Required of a 依申请 implementation entry; a 依职权 one
#: (处罚, 强制, 检查, 征收) is not applied for and need not carry them (rule `ex-officio-service-elements` warns).
SERVICE_ELEMENTS: tuple[str, ...] = ("办件类型", "承诺办结时限", "到办事现场次数", "办理形式", "网上办理深度")
#: The service elements every 依申请 implementation entry must carry.
REQUIRED_SERVICE_ELEMENTS: tuple[str, ...] = ("办件类型", "到办事现场次数")


def _on_application_condition() -> dict[str, Any]:
    """JSON Schema for "this matter is 依申请": 办理性质 says so, or it is absent and the type is not 依职权."""
    ex_officio = [t.value for t in MatterType if nature_of_type(t) is HandlingNature.EX_OFFICIO]
    return {
        "anyOf": [
            {"properties": {"办理性质": {"const": HandlingNature.ON_APPLICATION.value}}, "required": ["办理性质"]},
            {"not": {"required": ["办理性质"]}, "properties": {"事项类型": {"not": {"enum": ex_officio}}}},
        ]
    }


def _type_requirements(schema: dict[str, Any]) -> None:
    schema["allOf"] = [
        {
            "if": {"properties": {"事项类型": {"const": t.value}}, "required": ["事项类型"]},
            "then": {"required": list(required)},
        }
        for t, required in TYPE_REQUIRED_ELEMENTS.items()
    ]


def _implementation_requirements(schema: dict[str, Any]) -> None:
    _type_requirements(schema)
    schema["allOf"].append({"if": _on_application_condition(), "then": {"required": list(REQUIRED_SERVICE_ELEMENTS)}})


class MatterCommon(Element):
    """Elements that base and implementation entries share."""

    KIND: ClassVar[str] = ""

    basic_code: BasicCodeStr = el("基本编码", "12 位基本编码 RR TT DD SSS UUU,须加引号")
    name: Text = el("事项名称")
    sub_item: Text | None = el("子项", "权责清单中该事项下的子项名称", default=None)
    type: MatterType = el("事项类型")
    handling_nature: HandlingNature | None = el(
        "办理性质",
        "依申请 或 依职权;省略时按事项类型:行政处罚、行政强制、行政检查、行政征收为依职权,其余为依申请"
        "(其他行政权力在实践中两者皆有,宜写明)",
        default=None,
    )
    status: MatterStatus = el("事项状态", default=MatterStatus.ACTIVE)
    version: int | None = el("事项版本", ge=1, default=None)
    power_code: Text | None = el("权责编码", "地方权责清单的编码(本地编码,非全国编码)", default=None)
    legal_basis: list[LegalBasis] = el("设定依据", default_factory=list)
    implementation_basis: list[LegalBasis] = el(
        "实施依据", "实施该事项的法律法规、规章依据(与设定依据同结构)", default_factory=list
    )
    handling_unit: Text | None = el("承办机构", "具体承办的内设机构或下属单位(如 行政审批科)", default=None)
    responsibilities: list[Responsibility] = el(
        "责任事项", "各环节的责任(默认环节见 docs/powers.md)", default_factory=list
    )
    accountability: list[Accountability] = el("追责情形", default_factory=list)
    supervision: Text | None = el("监督方式", "如 监督电话、投诉渠道、上级机关监督", default=None)
    service_targets: list[ServiceTarget] = el("服务对象", default_factory=list)
    conditions: Text | None = el("受理条件", default=None)
    materials: list[Material] = el("申请材料", default_factory=list)
    pledge_note: Text | None = el(
        "告知承诺说明",
        "涉及国家安全、公共安全、生态环境、人身健康、生命财产安全或金融审慎的事项实行告知承诺的理由",
        default=None,
    )
    legal_time_limit: TimeLimit | None = el("法定办结时限", default=None)
    charges_fee: bool = el("是否收费", default=False)
    fees: list[FeeItem] = el("收费项目", default_factory=list)
    results: list[Result] = el("办理结果", default_factory=list)
    penalty_conduct: Text | None = el("处罚的行为", default=None)
    penalty_kinds: list[PenaltyKind] = el("处罚的种类", default_factory=list)
    penalty_range: Text | None = el("处罚的幅度", default=None)
    levy_kind: Text | None = el("征收种类", default=None)
    local_basic_code: LocalCodeStr | None = el(
        "地方基本编码", "地方事项编码体系中的编码(如四川 511Z07001006),与全国基本编码并存", default=None
    )
    previous_codes: list[str] = el("原事项编码", "更名、下放、重新编码前使用过的编码", default_factory=list)
    merged_from: list[str] = el("合并自", "由哪些事项合并而来(编码)", default_factory=list)
    split_from: str | None = el("拆分自", "由哪个事项拆分而来(编码)", default=None)
    remarks: Text | None = el("备注", default=None)
    adjustment: Adjustment | None = el("调整", "最近一次调整的依据、理由、监管措施、生效日期", default=None)

    @model_validator(mode="after")
    def _type_elements(self) -> MatterCommon:
        missing = [
            key for key in TYPE_REQUIRED_ELEMENTS.get(self.type, ()) if key not in self.model_fields_set_by_alias()
        ]
        if missing:
            raise ValueError(f"{self.type.value}事项缺少要素: {'、'.join(missing)}")
        return self

    @property
    def nature(self) -> HandlingNature:
        """办理性质: the explicit one, else the one its 事项类型 implies."""
        return self.handling_nature or nature_of_type(self.type)

    @property
    def on_application(self) -> bool:
        return self.nature is HandlingNature.ON_APPLICATION

    def model_fields_set_by_alias(self) -> set[str]:
        fields = type(self).model_fields
        return {fields[name].alias or name for name in self.model_fields_set}

    @property
    def code(self) -> str:
        """The code that identifies this matter in the catalogue."""
        return self.basic_code

    def legal_bases(self) -> Iterator[tuple[tuple[str | int, ...], LegalBasis]]:
        """Every legal basis cited anywhere in the matter, with its node path."""
        for i, basis in enumerate(self.legal_basis):
            yield ("设定依据", i), basis
        for i, basis in enumerate(self.implementation_basis):
            yield ("实施依据", i), basis
        for i, material in enumerate(self.materials):
            for j, basis in enumerate(material.legal_basis):
                yield ("申请材料", i, "设定依据", j), basis
        for i, fee in enumerate(self.fees):
            for j, basis in enumerate(fee.legal_basis):
                yield ("收费项目", i, "收费依据", j), basis
        for i, service in enumerate(getattr(self, "intermediary_services", ())):
            for j, basis in enumerate(service.legal_basis):
                yield ("中介服务", i, "设定依据", j), basis


class NotClaimed(Element, title="不认领"):
    """不认领: a region where the matter is not implemented although its level would allow it, and why."""

    region: RegionCodeStr = el("行政区划代码")
    reason: Text = el("理由", "如 本区无相关机构、无此类资源")


class BaseEntry(MatterCommon):
    """基本目录事项: the catalogue entry that implementation entries implement."""

    KIND: ClassVar[str] = "base"
    model_config = {**Element.model_config, "json_schema_extra": _type_requirements, "title": "基本目录事项"}

    guiding_department: Text = el("主管部门", "业务指导部门名称,须在部门名录中")
    levels: list[Level] = el("行使层级", "可以行使该事项的层级", min_length=1)
    legal_basis: list[LegalBasis] = el("设定依据", min_length=1)
    aliases: list[Text] = el("别名", "实施清单可以使用的其他名称(规则 name-drift 不报告这些名称)", default_factory=list)
    not_claimed: list[NotClaimed] = el(
        "不认领", "该事项在哪些行政区划不认领实施及理由(规则 coverage-downward)", default_factory=list
    )


class ImplementationBody(Element, title="实施主体"):
    """实施主体."""

    name: Text = el("名称")
    uscc: UsccStr = el("统一社会信用代码")
    nature: BodyNature = el("性质", default=BodyNature.STATUTORY_ORGAN)


class Unsuitable(Element, title="不适宜"):
    """不适宜: a way of handling the matter declared unsuitable (不适宜网上办理、跑零次、即办) and why."""

    mode: UnsuitableMode = el("方式", "网上办理、跑零次 或 即办")
    reason: Text | None = el("理由", "为何不适宜(法律法规要求现场核验等);规则 unsuitable-reason 要求填写", default=None)


class CaseVolume(Element, title="办件量"):
    """办件量: the number of cases of one year."""

    year: int = el("年度", ge=1990, le=2100)
    count: int = el("件数", ge=0)


class ImplementationEntry(MatterCommon):
    """实施清单事项: one body's implementation of a base entry at one level in one region."""

    KIND: ClassVar[str] = "implementation"
    model_config = {**Element.model_config, "json_schema_extra": _implementation_requirements, "title": "实施清单事项"}

    implementation_code: ImplementationCodeStr = el("实施编码", "31 位: 实施主体统一社会信用代码 + 行使层级 + 基本编码")
    local_code: LocalCodeStr | None = el(
        "地方实施编码",
        "地方编码体系中的实施编码(如四川 511Z07001006-511602000000-000-统一社会信用代码-1-00)",
        default=None,
    )
    region: RegionCodeStr = el("行政区划代码", "实施地的 GB/T 2260 六位代码")
    local_region: LocalRegionCodeStr | None = el(
        "实施地区划代码", "乡镇(街道)、村(社区)实施时的 12 位统计用区划代码(前 6 位即行政区划代码)", default=None
    )
    body: ImplementationBody = el("实施主体")
    level: Level = el("行使层级")
    power_source: PowerSource = el("权力来源", default=PowerSource.STATUTORY)
    entrusting_department: Text | None = el("委托部门", default=None)
    case_kind: CaseKind | None = el("办件类型", "依申请事项必填;依职权事项不适用", default=None)
    promised_time_limit: TimeLimit | None = el("承诺办结时限", default=None)
    visits: int | None = el("到办事现场次数", "依申请事项必填;依职权事项不适用", ge=0, le=20, default=None)
    visit_reason: Text | None = el("到现场原因", default=None)
    handling_forms: list[HandlingForm] = el("办理形式", default_factory=list)
    online_depth: list[OnlineDepth] = el("网上办理深度", default_factory=list)
    unsuitable: list[Unsuitable] = el(
        "不适宜", "声明不适宜网上办理、跑零次或即办(各附理由);可控事项口径的比例不计这些事项", default_factory=list
    )
    scope: Scope | None = el("通办范围", default=None)
    in_service_hall: bool = el("是否进驻政务大厅", default=True)
    nearby: bool | None = el(
        "就近办", "可在乡镇(街道)、村(社区)就近办理;省略时按行使层级(乡镇(街道)级、村(社区)级为是)", default=None
    )
    special_procedures: list[SpecialProcedure] = el("特别程序", default_factory=list)
    intermediary_services: list[IntermediaryService] = el("中介服务", default_factory=list)
    process: list[ProcessStep] = el("办理流程", default_factory=list)
    consult_phone: Phone | None = el("咨询电话", default=None)
    supervise_phone: Phone | None = el("监督电话", default=None)
    address: Text | None = el("办理地点", default=None)
    faq: list[Consultation] = el("常见问题", default_factory=list)
    business_items: list[BusinessItem] = el("业务办理项", default_factory=list)
    case_volumes: list[CaseVolume] = el(
        "办件量",
        "各年度办件量(也可记在 registry/case-volumes.yaml,由 mattercli import --case-volumes 导入)",
        default_factory=list,
    )

    @model_validator(mode="after")
    def _service_elements(self) -> ImplementationEntry:
        if self.on_application:
            missing = [key for key in REQUIRED_SERVICE_ELEMENTS if key not in self.model_fields_set_by_alias()]
            if missing:
                raise ValueError(f"依申请事项缺少要素: {'、'.join(missing)}")
        return self

    @property
    def code(self) -> str:
        return self.implementation_code

    @property
    def is_nearby(self) -> bool:
        """就近办: as declared, else exercised at 乡镇(街道) or 村(社区) level."""
        if self.nearby is not None:
            return self.nearby
        return self.level in (Level.TOWNSHIP, Level.VILLAGE)

    def unsuitable_modes(self) -> frozenset[UnsuitableMode]:
        return frozenset(u.mode for u in self.unsuitable)


Matter = BaseEntry | ImplementationEntry


def matter_class_for(data: dict[str, Any]) -> type[BaseEntry] | type[ImplementationEntry]:
    """The model a raw matter document is checked against: 实施编码 present means an implementation entry."""
    return ImplementationEntry if "实施编码" in data else BaseEntry
