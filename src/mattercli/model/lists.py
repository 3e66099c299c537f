"""List definitions (清单定义): which matters a published list holds, its columns, order and grouping.

One YAML file per list under `lists/` in the catalogue; `mattercli export` renders them, so every published list
comes from the catalogue (数据同源) and none is edited by hand.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints, model_validator

from mattercli.model.codes import CaseKind, HandlingNature, Level, MaterialKind, MatterStatus, MatterType
from mattercli.model.common import Element, Text, el
from mattercli.model.matter import RegionCodeStr

#: A list's file name stem: one path component, no separators, no leading dot, no control characters.
FILE_STEM_PATTERN = r"^[^/\\\x00-\x1f.:*?\"<>|][^/\\\x00-\x1f:*?\"<>|]{0,99}$"
FileStem = Annotated[str, StringConstraints(pattern=FILE_STEM_PATTERN)]
#: An element path: Chinese element names joined by dots, e.g. 实施主体.名称, 申请材料.材料名称, 基本目录.主管部门.
ElementPath = Annotated[str, StringConstraints(pattern=r"^[^.\s]+(\.[^.\s]+)*$")]


class CatalogueKind(StrEnum):
    """目录范围: 实施清单 (implementation entries), 基本目录 (base entries) or 全部."""

    IMPLEMENTATION = "实施清单"
    BASE = "基本目录"
    ALL = "全部"


class RowUnit(StrEnum):
    """每行: one row per 事项, one row per 申请材料, or one row per 责任事项 (责任清单) of the selected matters."""

    MATTER = "事项"
    MATERIAL = "申请材料"
    RESPONSIBILITY = "责任事项"
    LICENCE = "许可事项"


class MergeMode(StrEnum):
    """合并 (每行: 许可事项): how a column's values of the matters in one row are combined."""

    JOIN = "连接"  # the distinct non-empty values, joined with 、
    FIRST = "首个"  # the first matter's value


class SortOrder(StrEnum):
    """排序方式: 编码; 部门 (名录顺序) then 编码; 拼音 of 事项名称 then 编码."""

    CODE = "编码"
    DEPARTMENT = "部门"
    PINYIN = "拼音"


class GroupBy(StrEnum):
    """分组方式: 部门, 区划 or 类型 (事项类型); an XLSX export gets one sheet per group."""

    DEPARTMENT = "部门"
    REGION = "区划"
    TYPE = "类型"
    ORIGIN = "设定类别"


class Numbering(StrEnum):
    """序号编排 of a grouped list: 分组 restarts 序号 in each group (one sheet per group); 连续 numbers the whole list
    once, as published 基本目录 and the central 行政许可事项清单 do across their sections."""

    PER_GROUP = "分组"
    CONTINUOUS = "连续"


class SplitBy(StrEnum):
    """拆分方式: 区划 gives one list per 行政区划 (e.g. one 实施清单 per region)."""

    REGION = "区划"


class ListFilter(Element, title="筛选条件"):
    """筛选条件: every condition given must hold (and); a list of values means any of them (or)."""

    types: list[MatterType] = el("事项类型", "事项类型为其中之一", default_factory=list)
    natures: list[HandlingNature] = el(
        "办理性质", "办理性质为其中之一(依申请 或 依职权;省略办理性质的事项按事项类型判断)", default_factory=list
    )
    levels: list[Level] = el(
        "行使层级", "实施清单: 行使层级为其中之一;基本目录: 可行使层级含其中之一", default_factory=list
    )
    regions: list[RegionCodeStr] = el(
        "行政区划代码", "实施地在其中某一区划内(330100 含 330106;基本目录事项不满足此条件)", default_factory=list
    )
    departments: list[Text] = el("部门", "实施主体(实施清单)或主管部门(基本目录)为其中之一", default_factory=list)
    case_kinds: list[CaseKind] = el("办件类型", "仅实施清单事项有办件类型", default_factory=list)
    max_visits: int | None = el("到办事现场次数不超过", "0 = 一次不跑,1 = 最多跑一次", ge=0, le=20, default=None)
    fully_online: bool | None = el("全程网办", "网上办理深度达到「办理」", default=None)
    charges_fee: bool | None = el("是否收费", default=None)
    intermediary: bool | None = el("中介服务", "是否涉及中介服务", default=None)
    nearby: bool | None = el("就近办", "可就近办理:写明就近办,或省略时行使层级为乡镇(街道)级、村(社区)级", default=None)
    material_kinds: list[MaterialKind] = el(
        "材料类别", "事项至少有一份该类别的申请材料;按申请材料成行时只列出该类别的材料", default_factory=list
    )
    statuses: list[MatterStatus] = el("事项状态", "默认只列在用事项", default_factory=lambda: [MatterStatus.ACTIVE])


class Column(Element, title="列"):
    """列: an element path and the Chinese header it is published under."""

    path: ElementPath = el(
        "要素",
        "要素路径,以点分隔:事项名称、实施主体.名称、申请材料.材料名称、基本目录.主管部门;"
        "计算要素:序号、编码、部门、区划名称、全程网办;按申请材料成行时:材料.<材料要素>、材料.清单办理方式;"
        "按责任事项成行时:责任.环节、责任.内容、责任.依据",
    )
    fallback: ElementPath | list[ElementPath] | None = el(
        "备选要素",
        "要素为空时改取该要素,如 设定依据 为空时取 基本目录.设定依据;可写多个,依次取第一个不为空的",
        default=None,
    )
    header: Text | None = el("表头", "默认为要素路径的最后一段", default=None)
    width: int | None = el("列宽", "XLSX 列宽(字符数),默认按内容估算", ge=4, le=120, default=None)
    merge: MergeMode = el(
        "合并",
        "每行: 许可事项 时同一许可事项各实施清单事项的值如何合并:连接(去重后以、连接)或首个",
        default=MergeMode.JOIN,
    )

    @property
    def title(self) -> str:
        return self.header or self.path.rsplit(".", 1)[-1]

    @property
    def fallbacks(self) -> list[str]:
        """The 备选要素 in order (none, one, or several)."""
        if self.fallback is None:
            return []
        return [self.fallback] if isinstance(self.fallback, str) else list(self.fallback)


class ListDefinition(Element, title="清单定义"):
    """清单定义: one published list: which matters, which columns, in what order and grouping."""

    name: Text = el("名称", "清单名称,如 行政许可事项清单")
    description: Text | None = el("说明", default=None)
    version: Text | None = el("版本", "清单版本,如 2022年;写在 XLSX 封面上", default=None)
    file_stem: FileStem | None = el("文件名", "导出文件名(不含扩展名),默认为名称", default=None)
    catalogue: CatalogueKind = el("目录", "从哪一部分目录取事项", default=CatalogueKind.IMPLEMENTATION)
    row_unit: RowUnit = el("每行", default=RowUnit.MATTER)
    filter: ListFilter = el("筛选", default_factory=ListFilter)
    columns: list[Column] = el("列", min_length=1)
    sort: SortOrder = el("排序", default=SortOrder.CODE)
    group: GroupBy | None = el("分组", default=None)
    numbering: Numbering = el(
        "序号编排", "分组时:分组(每组从 1 起)或连续(全表一个序号序列)", default=Numbering.PER_GROUP
    )
    split: SplitBy | None = el("拆分", default=None)

    @model_validator(mode="after")
    def _distinct_headers(self) -> ListDefinition:
        titles = [c.title for c in self.columns]
        repeated = sorted({t for t in titles if titles.count(t) > 1})
        if repeated:
            raise ValueError(f"表头重复: {'、'.join(repeated)}")
        if self.split is SplitBy.REGION and self.catalogue is not CatalogueKind.IMPLEMENTATION:
            raise ValueError("「拆分: 区划」只用于「目录: 实施清单」(基本目录事项没有行政区划)")
        return self

    @property
    def stem(self) -> str:
        return self.file_stem or self.name

    def population(self) -> str:
        """统计范围 in one Chinese sentence, from 目录 and 筛选 (what the cover sheet and headers state)."""
        f = self.filter
        kind = {
            CatalogueKind.IMPLEMENTATION: "实施清单事项",
            CatalogueKind.BASE: "基本目录事项",
            CatalogueKind.ALL: "基本目录事项和实施清单事项",
        }[self.catalogue]
        statuses = "、".join(s.value for s in f.statuses) if f.statuses else "任何状态"
        conditions = []
        if f.natures:
            conditions.append(f"办理性质为{'或'.join(n.value for n in f.natures)}")
        if f.types:
            conditions.append(f"事项类型为{'、'.join(t.value for t in f.types)}之一")
        if f.levels:
            conditions.append(f"行使层级含{'、'.join(lv.value for lv in f.levels)}之一")
        if f.regions:
            conditions.append(f"行政区划在{'、'.join(f.regions)}内")
        if f.departments:
            conditions.append(f"部门为{'、'.join(f.departments)}之一")
        if f.case_kinds:
            conditions.append(f"办件类型为{'、'.join(c.value for c in f.case_kinds)}")
        if f.max_visits is not None:
            conditions.append(f"到办事现场次数不超过 {f.max_visits} 次")
        if f.fully_online is not None:
            conditions.append("全程网办" if f.fully_online else "非全程网办")
        if f.nearby is not None:
            conditions.append("可就近办理(就近办,或行使层级为乡镇(街道)级、村(社区)级)" if f.nearby else "不就近办理")
        if f.charges_fee is not None:
            conditions.append("收费" if f.charges_fee else "不收费")
        if f.intermediary is not None:
            conditions.append("涉及中介服务" if f.intermediary else "不涉及中介服务")
        if f.material_kinds:
            conditions.append(f"有{'、'.join(m.value for m in f.material_kinds)}类申请材料")
        text = f"事项状态为{statuses}的{kind}"
        if conditions:
            text += "中," + "、".join(conditions) + "者"
        if self.row_unit is RowUnit.MATERIAL:
            text += ";每份申请材料一行"
        return text
