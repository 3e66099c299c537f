"""Registries kept beside the matters under `registry/`: departments, laws, proofs, the three 司法局 proof lists
(保留证明事项清单, 取消的证明事项清单, 实行告知承诺制的证明事项目录), regions."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import StringConstraints, model_validator

from mattercli.model.codes import (
    LOCAL_CODE_TABLES,
    DepartmentKind,
    LawRank,
    Level,
    MaterialKind,
    MatterType,
    code_table_by_title,
)
from mattercli.model.common import Element, LegalBasis, Text, TimeLimit, el
from mattercli.model.matter import BasicCodeStr, CaseVolume, ImplementationCodeStr, RegionCodeStr, UsccStr

DateStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
GuidingCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]


class Department(Element, title="部门"):
    """部门: a body that implements matters, guides a line of business, or issues proofs."""

    name: Text = el("部门名称")
    uscc: UsccStr | None = el("统一社会信用代码", "中央部门可省略", default=None)
    short_name: Text | None = el("简称", default=None)
    region: RegionCodeStr | None = el("行政区划代码", "中央部门可省略", default=None)
    level: Level = el("层级")
    kind: DepartmentKind = el("部门性质", default=DepartmentKind.GOVERNMENT)
    guiding_code: GuidingCode | None = el("业务指导部门代码", "作为主管部门时,基本编码第 5-6 位(DD)", default=None)


class Law(Element, title="法律法规"):
    """法律法规: a law, regulation or normative document that matters cite."""

    name: Text = el("名称")
    rank: LawRank = el("效力级别")
    issuer: Text | None = el("制定机关", default=None)
    document_number: Text | None = el("文号", default=None)
    effective: DateStr | None = el("施行日期", default=None)
    in_force: bool = el("是否有效", default=True)


class ProofDictionaryEntry(Element, title="证照证明"):
    """证照证明目录: one certificate or proof under its standard name, with the names it also goes by."""

    name: Text = el("标准名称")
    synonyms: list[Text] = el("同义词", "申请材料中出现的其他叫法", default_factory=list)
    kind: MaterialKind = el("类别", default=MaterialKind.CERTIFICATE)
    issuer: Text | None = el("出具单位", "出具部门名称(须在部门名录中)", default=None)
    issuing_matter: BasicCodeStr | None = el("出具事项", "出具该证照证明的事项的基本编码", default=None)
    legal_basis: list[LegalBasis] = el("设定依据", default_factory=list)


class ProofReplacement(StrEnum):
    """替代方式 of a cancelled proof (取消的证明事项清单). Labels as published lists write them; no national code table
    is known for them (PRACTICE.md), so none is claimed."""

    DATA_SHARING = "数据共享"
    VERIFICATION = "部门核验"
    PLEDGE = "告知承诺"
    ONLINE_CHECK = "网络核验"
    CANCEL = "直接取消"
    COVERED = "其他材料涵盖"


#: 替代方式 under which the government fetches or checks the proof itself: the applicant no longer brings it.
FETCHED_REPLACEMENTS = frozenset(
    {ProofReplacement.DATA_SHARING, ProofReplacement.VERIFICATION, ProofReplacement.ONLINE_CHECK}
)


class PledgeApplicability(StrEnum):
    """告知承诺 on a kept proof: 适用 (the applicant may promise instead) or 不适用 (with the reason)."""

    APPLIES = "适用"
    NOT_APPLICABLE = "不适用"


class ProofPurpose(Element, title="证明用途"):
    """证明用途: what a proof is asked for — one row of the published list per proof and purpose."""

    purpose: Text = el("用途", "如 申请出租汽车驾驶员从业资格")
    matter: BasicCodeStr | None = el("事项编码", "索要该证明的事项的基本编码(行使层级、事项类型由此而来)", default=None)
    requesters: list[Text] = el("索要单位", "默认取本证明的索要单位", default_factory=list)
    levels: list[Level] = el("行使层级", "默认取该事项基本目录的行使层级", default_factory=list)
    type: MatterType | None = el("事项类型", "默认取该事项的事项类型", default=None)


class KeptProof(Element, title="保留证明事项"):
    """保留证明事项清单: a proof still required, with its basis, who asks for it and who issues it (《优化营商环境条例》
    第四十四条), and whether 告知承诺 may replace it."""

    name: Text = el("证明名称")
    purposes: list[ProofPurpose] = el("证明用途", min_length=1)
    legal_basis: list[LegalBasis] = el("设定依据", "效力层级取自 registry/laws.yaml", min_length=1)
    requesters: list[Text] = el("索要单位", default_factory=list)
    issuer: Text = el("开具单位")
    guide: Text | None = el("办理指南", "开具该证明的办理指南(链接或说明)", default=None)
    pledge: PledgeApplicability = el("告知承诺", default=PledgeApplicability.NOT_APPLICABLE)
    reason: Text | None = el("不适用原因", "不能实行告知承诺及保留的原因;告知承诺为不适用时必填", default=None)

    @model_validator(mode="after")
    def _reason_given(self) -> KeptProof:
        if self.pledge is PledgeApplicability.NOT_APPLICABLE and self.reason is None:
            raise ValueError("告知承诺为「不适用」时须写明不适用原因")
        return self


class CancelledProof(Element, title="取消的证明事项"):
    """取消的证明事项清单: a proof no longer asked of applicants, the document that cancelled it, and what replaces it."""

    name: Text = el("证明名称")
    purposes: list[ProofPurpose] = el("证明用途", default_factory=list)
    former_basis: list[LegalBasis] = el("原设定依据", default_factory=list)
    issuer: Text | None = el("开具单位", "原开具单位", default=None)
    cancelled_by: Text = el("取消文件", "如 浙政办发〔2019〕30号")
    replacement: ProofReplacement = el("替代方式")
    how: Text | None = el("取消后办理方式", "如 由受理部门通过人口信息共享核查", default=None)


class PledgeEntry(Element, title="告知承诺证明事项"):
    """实行告知承诺制的证明事项目录: a proof the applicant may replace by a written promise (国办发〔2020〕42号)."""

    name: Text = el("证明名称")
    matters: list[BasicCodeStr] = el(
        "适用事项", "适用告知承诺的事项的基本编码;空表示所有索要该证明的事项", default_factory=list
    )
    content: Text = el("承诺内容", "申请人承诺的证明内容,写入告知承诺书")
    check: Text = el("核查方式", "如 数据共享核查、部门协查、现场核查")
    check_time: TimeLimit | None = el("核查时限", default=None)
    legal_basis: list[LegalBasis] = el("设定依据", "默认取保留证明事项清单或申请材料中的设定依据", default_factory=list)
    issuer: Text | None = el("开具单位", default=None)
    requesters: list[Text] = el("索要单位", default_factory=list)


class LicenseOrigin(StrEnum):
    """设定类别: who set the licence, which decides the section of the local 行政许可事项清单 it is printed in.
    No national code table exists for it (PRACTICE.md): the labels are those of the published lists' sections."""

    CENTRAL = "中央设定"
    LOCAL_REGULATION = "地方性法规设定"
    PROVINCIAL_RULE = "省级人民政府规章设定"

    @property
    def section_title(self) -> str:
        return f"{self.value}的行政许可事项"


class LicenseListEntry(Element, title="行政许可事项"):
    """行政许可事项清单中的一项: a published reference list's item (the national 2022 edition, or a provincial or
    city list) and the 基本编码 it corresponds to in this catalogue."""

    list_name: Text = el("清单", "所属清单,如 法律、行政法规、国务院决定设定的行政许可事项清单(2022年版)")
    number: Text = el("序号", "在该清单中的序号(照录,如 1、1-1)")
    name: Text = el("事项名称", "许可事项名称(全国统一,下级清单不得变更)")
    department: Text | None = el("主管部门", default=None)
    bodies: Text | None = el("实施机关", "照录清单原文,如 县级以上地方市场监管部门", default=None)
    levels: list[Level] = el(
        "行使层级", "该事项下沉到哪些层级实施(规则 coverage-downward 据此检查各区划是否认领)", default_factory=list
    )
    legal_basis: list[LegalBasis] = el("设定依据", default_factory=list)
    implementation_basis: list[LegalBasis] = el("实施依据", default_factory=list)
    origin: LicenseOrigin | None = el(
        "设定类别", "中央设定、地方性法规设定或省级人民政府规章设定;缺省时按基本编码和设定依据推定", default=None
    )
    remarks: Text | None = el("备注", default=None)
    parent_number: Text | None = el("上级清单序号", "上级清单(如中央清单)中的序号", default=None)
    basic_code: BasicCodeStr | None = el(
        "基本编码", "对应的基本目录事项;导入时按名称匹配或按映射文件确认", default=None
    )


class CatalogRegion(Element, title="行政区划"):
    """A region this catalogue covers."""

    code: RegionCodeStr = el("行政区划代码")
    name: Text = el("名称")
    level: Level = el("层级")
    parent: RegionCodeStr | None = el("上级", default=None)


class DepartmentRegistry(Element):
    FILE: ClassVar[str] = "departments.yaml"
    model_config = {**Element.model_config, "title": "部门名录"}
    entries: list[Department] = el("部门")


class LawRegistry(Element):
    FILE: ClassVar[str] = "laws.yaml"
    model_config = {**Element.model_config, "title": "法律法规库"}
    entries: list[Law] = el("法律法规")


class ProofDictionary(Element):
    FILE: ClassVar[str] = "proofs.yaml"
    model_config = {**Element.model_config, "title": "证照证明目录"}
    entries: list[ProofDictionaryEntry] = el("证照证明")


class KeptProofList(Element):
    FILE: ClassVar[str] = "proofs-kept.yaml"
    model_config = {**Element.model_config, "title": "保留证明事项清单"}
    entries: list[KeptProof] = el("保留证明事项")


class CancelledProofList(Element):
    FILE: ClassVar[str] = "proofs-cancelled.yaml"
    model_config = {**Element.model_config, "title": "取消的证明事项清单"}
    entries: list[CancelledProof] = el("取消的证明事项")


class PledgeCatalog(Element):
    FILE: ClassVar[str] = "pledge-catalog.yaml"
    model_config = {**Element.model_config, "title": "实行告知承诺制的证明事项目录"}
    entries: list[PledgeEntry] = el("告知承诺证明事项")


class LicenseList(Element):
    FILE: ClassVar[str] = "license-list.yaml"
    model_config = {**Element.model_config, "title": "行政许可事项清单"}
    entries: list[LicenseListEntry] = el("行政许可事项")


class RegionRegistry(Element):
    FILE: ClassVar[str] = "regions.yaml"
    model_config = {**Element.model_config, "title": "行政区划"}
    entries: list[CatalogRegion] = el("行政区划")


#: Tables whose codes a catalogue may give: 事项类型 (for a type without a confirmed national code, 行政备案) and
#: the tables whose codes are not national (codes.LOCAL_CODE_TABLES: 审批结果类型, 通办范围 …).
LocalCodeTableName = Literal["事项类型", "审批结果类型", "通办范围", "办结时限单位", "材料形式", "材料类别", "办理形式"]


class LocalCode(Element, title="本地代码"):
    """本地代码: a code this catalogue uses where no national code is confirmed — 行政备案's 事项类型 TT digits, or
    the codes its exchange data uses for 审批结果类型 (`10` 出证办结 …) and 通办范围."""

    table: LocalCodeTableName = el("代码表", "代码表名称:事项类型,或 审批结果类型、通办范围 等非国家代码表")
    label: Text = el("名称", "代码表中的值,如 行政备案、出证办结、全市")
    code: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,4}$")] = el(
        "代码", "事项类型为两位数字(基本编码第 3-4 位);其他代码表为交换数据中使用的代码"
    )
    also: list[Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,4}$")]] = el(
        "也接受", "导入时同样认作该名称的其他代码(如 04 与 4)", default_factory=list
    )
    note: Text | None = el("说明", default=None)

    @model_validator(mode="after")
    def _known(self) -> LocalCode:
        table = code_table_by_title().get(self.table)
        if table is None:
            return self
        if self.label not in table.labels():
            raise ValueError(f"代码表「{self.table}」没有「{self.label}」(可用: {'、'.join(table.labels())})")
        if self.table == "事项类型" and not (len(self.code) == 2 and self.code.isdigit()):
            raise ValueError(f"事项类型的代码「{self.code}」应为两位数字(基本编码第 3-4 位)")
        if self.table != "事项类型" and table not in LOCAL_CODE_TABLES:
            raise ValueError(f"代码表「{self.table}」的代码是国家代码,不能由目录改写")
        return self


class LocalCodeTable(Element):
    FILE: ClassVar[str] = "local-codes.yaml"
    model_config = {**Element.model_config, "title": "本地代码表"}
    entries: list[LocalCode] = el("本地代码")


class CaseVolumeRecord(Element, title="办件量记录"):
    """办件量 of one implementation entry (by 实施编码), one line per year."""

    implementation_code: ImplementationCodeStr = el("实施编码")
    volumes: list[CaseVolume] = el("办件量", min_length=1)


class CaseVolumeRegistry(Element):
    FILE: ClassVar[str] = "case-volumes.yaml"
    model_config = {**Element.model_config, "title": "办件量"}
    entries: list[CaseVolumeRecord] = el("办件量记录")


#: Every registry file under `registry/`, in the order they are read and checked (schemas, validate, snapshots).
REGISTRY_MODELS: dict[str, type[Element]] = {
    m.FILE: m
    for m in (
        DepartmentRegistry,
        LawRegistry,
        ProofDictionary,
        KeptProofList,
        CancelledProofList,
        PledgeCatalog,
        RegionRegistry,
        LocalCodeTable,
        CaseVolumeRegistry,
        LicenseList,
    )
}
