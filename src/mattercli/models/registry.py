"""Registries kept beside the matters under `registry/`: departments, laws, proofs, the 证明事项清单, regions."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import StringConstraints

from mattercli.codes import DepartmentKind, LawRank, Level, MaterialKind, ReplacementMode
from mattercli.models.common import Element, LegalBasis, Text, el
from mattercli.models.matter import BasicCodeStr, CaseVolume, ImplementationCodeStr, RegionCodeStr, UsccStr

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


class ProofListEntry(Element, title="证明事项"):
    """证明事项清单: a proof the government publishes as still required, with how it is handled."""

    name: Text = el("证明名称")
    issuer: Text = el("开具单位")
    legal_basis: list[LegalBasis] = el("设定依据", min_length=1)
    mode: ReplacementMode = el("办理方式", default=ReplacementMode.KEEP)


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


class ProofList(Element):
    FILE: ClassVar[str] = "proof-list.yaml"
    model_config = {**Element.model_config, "title": "证明事项清单"}
    entries: list[ProofListEntry] = el("证明事项")


class LicenseList(Element):
    FILE: ClassVar[str] = "license-list.yaml"
    model_config = {**Element.model_config, "title": "行政许可事项清单"}
    entries: list[LicenseListEntry] = el("行政许可事项")


class RegionRegistry(Element):
    FILE: ClassVar[str] = "regions.yaml"
    model_config = {**Element.model_config, "title": "行政区划"}
    entries: list[CatalogRegion] = el("行政区划")


class LocalCode(Element, title="本地代码"):
    """本地代码: a code this catalogue uses where no national code is confirmed (行政备案's 事项类型 TT digits)."""

    table: Literal["事项类型"] = el("代码表", "代码表名称(目前只有 事项类型)")
    label: Text = el("名称", "代码表中的值,如 行政备案")
    code: GuidingCode = el("代码", "两位数字,如基本编码第 3-4 位")
    note: Text | None = el("说明", default=None)


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
