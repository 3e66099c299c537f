"""一件事 (高效办成一件事, 国发〔2024〕3号): a bundle of matters an applicant does in one go — one notice, one form,
one set of materials, one window, one online process. One YAML file per bundle: `bundles/<编码>.yaml`.

Members are named by 基本编码 and resolved in the bundle's 行政区划 to implementation entries (`mattercli.bundles`);
the merged 申请材料 link back to the member matters whose materials they replace (来源事项), which is what the
checks (rules bundle-*) and the figures (减环节, 减材料, 减时限, 减跑动, 减表单) are computed from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints

from mattercli.model.codes import MaterialForm, MaterialKind, MaterialSource, MatterStatus, Necessity
from mattercli.model.common import Element, ProcessStep, Text, TimeLimit, el
from mattercli.model.matter import BasicCodeStr, ImplementationCodeStr, RegionCodeStr

#: A bundle's local code: what its file is named after (no national coding of 一件事 is published).
BundleCodeStr = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z\-_.]{1,63}$")]
#: 批次: the year, optionally the batch of that year (2024-1 = 2024 年第一批).
BatchStr = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{1,2})?$")]


class BundleTier(StrEnum):
    """一件事层级: 国家重点 (the national key lists), 省级, 市级特色, 县级特色 (no national code is published)."""

    NATIONAL = "国家重点"
    PROVINCE = "省级"
    CITY = "市级特色"
    COUNTY = "县级特色"


class BundleMember(Element, title="包含事项"):
    """包含事项: a member matter, by 基本编码, resolved in the bundle's region to an implementation entry; 实施编码
    names the entry when the region has several (else the one at the highest 行使层级 is taken)."""

    basic_code: BasicCodeStr = el("基本编码", "成员事项的 12 位基本编码,须加引号")
    implementation_code: ImplementationCodeStr | None = el(
        "实施编码", "该区划有多个实施清单事项时指定其一(可省略)", default=None
    )
    name: Text | None = el("事项名称", "便于阅读;以目录中的事项名称为准", default=None)
    note: Text | None = el("说明", default=None)


class BundleForm(Element, title="申请表"):
    """申请表: the integrated form (一表申请) that replaces the members' own application forms."""

    name: Text = el("表单名称", "如 新生儿出生“一件事”联办申请表")
    replaces: list[BasicCodeStr] = el("替代表单事项", "替代了哪些成员事项的申请表(基本编码)", default_factory=list)
    note: Text | None = el("说明", default=None)


class BundleMaterial(Element, title="申请材料"):
    """一件事的一份材料 (一套材料): merged from the members' materials; 来源事项 links back to the member matters
    (基本编码) whose material it replaces."""

    name: Text = el("材料名称")
    kind: MaterialKind = el("材料类别", default=MaterialKind.DOCUMENT)
    form: MaterialForm | None = el("材料形式", default=None)
    necessity: Necessity = el("必要性", default=Necessity.REQUIRED)
    source: MaterialSource = el("来源渠道", default=MaterialSource.APPLICANT)
    issuer: Text | None = el("出具单位", default=None)
    members: list[BasicCodeStr] = el(
        "来源事项", "该材料替代了哪些成员事项的材料(基本编码);每个成员事项都须要求该材料", default_factory=list
    )
    instructions: Text | None = el("填报须知", default=None)


class Bundle(Element):
    """一件事: 牵头部门 and 配合部门, the member matters, one form, one set of materials, one time limit."""

    model_config = {**Element.model_config, "title": "一件事"}

    name: Text = el("一件事名称", "如 新生儿出生一件事")
    code: BundleCodeStr = el("编码", "本地编码(文件名即编码),如 330106-YJS-001")
    tier: BundleTier = el("层级", "国家重点、省级、市级特色 或 县级特色")
    batch: BatchStr | None = el("批次", "如 2024-1(2024 年第一批重点事项清单)", default=None)
    status: MatterStatus = el("事项状态", default=MatterStatus.ACTIVE)
    region: RegionCodeStr = el("行政区划代码", "在哪个区划办理:成员事项在此区划的实施清单中解析")
    lead: Text = el("牵头部门", "须在部门名录中")
    partners: list[Text] = el("配合部门", default_factory=list)
    basis: list[Text] = el("政策依据", "如 国发〔2024〕3号", default_factory=list)
    members: list[BundleMember] = el("包含事项", min_length=2)
    form: BundleForm | None = el("申请表", "一表申请:整合后的申请表", default=None)
    materials: list[BundleMaterial] = el("申请材料", "一套材料:整合后的材料清单", default_factory=list)
    promised_time_limit: TimeLimit = el("承诺时限", "一件事的承诺办结时限(不得长于各成员事项承诺时限之和)")
    visits: int = el("到办事现场次数", ge=0, le=20)
    channels: list[Text] = el("办理渠道", "如 浙里办“一件事”专区、政务服务中心“一件事”综合窗口", min_length=1)
    process: list[ProcessStep] = el("办理流程", "一件事的办理环节(减环节按此计算)", default_factory=list)
    remarks: Text | None = el("备注", default=None)

    def member_codes(self) -> list[str]:
        return [m.basic_code for m in self.members]
