"""National code tables (DOMAIN.md): each enumeration maps the Chinese label used in YAML to its national code.

YAML files carry the labels an editor reads (事项类型: 行政许可); exports and codes use the numeric values.
"""

from __future__ import annotations

import re
from enum import Enum, StrEnum


class CodedEnum(str, Enum):
    """A str enum whose value is the Chinese label and which also knows its national code."""

    code: str

    def __new__(cls, label: str, code: str) -> CodedEnum:
        obj = str.__new__(cls, label)
        obj._value_ = label
        obj.code = code
        return obj

    @classmethod
    def from_code(cls, code: str) -> CodedEnum | None:
        for member in cls:
            if member.code and member.code == code:
                return member
        return None

    @property
    def has_national_code(self) -> bool:
        """False for a member whose code is not confirmed (its code comes from the catalogue's local-codes table)."""
        return bool(self.code)

    @classmethod
    def labels(cls) -> list[str]:
        return [m.value for m in cls]


class MatterType(CodedEnum):
    """事项类型."""

    LICENSING = ("行政许可", "01")
    PENALTY = ("行政处罚", "02")
    COERCION = ("行政强制", "03")
    LEVY = ("行政征收", "04")
    PAYMENT = ("行政给付", "05")
    INSPECTION = ("行政检查", "06")
    CONFIRMATION = ("行政确认", "07")
    REWARD = ("行政奖励", "08")
    ADJUDICATION = ("行政裁决", "09")
    OTHER_POWER = ("其他行政权力", "10")
    #: A 政务服务事项 type since 国发〔2022〕5号; its national TT code is not confirmed (PRACTICE.md), so it has none
    #: here: a catalogue gives its own in registry/local-codes.yaml (代码表 事项类型).
    FILING = ("行政备案", "")
    PUBLIC_SERVICE = ("公共服务", "20")
    INTERNAL_APPROVAL = ("政府内部审批", "30")
    CONVENIENCE_SERVICE = ("依申请便民服务", "31")
    THEME_SERVICE = ("主题服务", "32")
    OTHER = ("其他", "99")


#: Types that are administrative powers and therefore belong on the 权责清单.
POWER_TYPES = frozenset(
    {
        MatterType.LICENSING,
        MatterType.PENALTY,
        MatterType.COERCION,
        MatterType.LEVY,
        MatterType.PAYMENT,
        MatterType.INSPECTION,
        MatterType.CONFIRMATION,
        MatterType.REWARD,
        MatterType.ADJUDICATION,
        MatterType.OTHER_POWER,
        MatterType.FILING,
    }
)

#: Types exercised on the authority's own initiative (依职权): they are not applied for, so the service elements
#: (办件类型, 承诺办结时限, 到办事现场次数, 办理形式, 网上办理深度) do not apply and the 四办 lists and service shares
#: leave them out. The national exchange keeps them in tables without those columns. Every other type is 依申请.
EX_OFFICIO_TYPES = frozenset({MatterType.PENALTY, MatterType.COERCION, MatterType.INSPECTION, MatterType.LEVY})


class HandlingNature(StrEnum):
    """办理性质: 依申请 (applied for) or 依职权 (on the authority's initiative). No national code table."""

    ON_APPLICATION = "依申请"
    EX_OFFICIO = "依职权"


def nature_of_type(matter_type: MatterType) -> HandlingNature:
    """The 办理性质 a matter of this type has unless it says otherwise (其他行政权力 is mixed in practice)."""
    return HandlingNature.EX_OFFICIO if matter_type in EX_OFFICIO_TYPES else HandlingNature.ON_APPLICATION


class UnsuitableMode(StrEnum):
    """不适宜.方式: a way of handling a matter declared unsuitable (the 可控事项 basis leaves such matters out)."""

    ONLINE = "网上办理"
    ZERO_VISIT = "跑零次"
    IMMEDIATE = "即办"


class Level(CodedEnum):
    """行使层级."""

    NATIONAL = ("国家级", "1")
    PROVINCE = ("省级", "2")
    PREFECTURE = ("地市级", "3")
    COUNTY = ("区县级", "4")
    TOWNSHIP = ("乡镇(街道)级", "5")
    VILLAGE = ("村(社区)级", "6")


class PowerSource(CodedEnum):
    """权力来源."""

    STATUTORY = ("法定本级行使", "1")
    DELEGATED_DOWN = ("上级下放", "2")
    AUTHORISED_BY_HIGHER = ("上级授权", "3")
    AUTHORISED_BY_PEER = ("同级授权", "4")
    ENTRUSTED_BY_HIGHER = ("上级委托", "5")
    ENTRUSTED_BY_PEER = ("同级委托", "6")


class BodyNature(CodedEnum):
    """实施主体性质."""

    STATUTORY_ORGAN = ("法定机关", "1")
    AUTHORISED_ORG = ("授权组织", "2")
    ENTRUSTED_ORG = ("受委托组织", "3")


class CaseKind(CodedEnum):
    """办件类型."""

    IMMEDIATE = ("即办件", "1")
    PROMISED = ("承诺件", "2")


class ServiceTarget(CodedEnum):
    """服务对象."""

    NATURAL_PERSON = ("自然人", "1")
    ENTERPRISE = ("企业法人", "2")
    INSTITUTION = ("事业法人", "3")
    SOCIAL_ORG = ("社会组织法人", "4")
    UNINCORPORATED = ("非法人企业", "5")
    ADMIN_ORGAN = ("行政机关", "6")
    OTHER_ORG = ("其他组织", "9")


class MaterialSource(CodedEnum):
    """材料来源渠道."""

    APPLICANT = ("申请人自备", "10")
    GOVERNMENT = ("政府部门核发", "20")
    OTHER = ("其他", "99")


class Necessity(CodedEnum):
    """材料必要性."""

    REQUIRED = ("必要", "1")
    OPTIONAL = ("非必要", "2")
    DEFERRABLE = ("容缺后补", "3")


class MaterialForm(CodedEnum):
    """材料形式."""

    ORIGINAL = ("原件", "1")
    COPY = ("复印件", "2")
    ORIGINAL_OR_COPY = ("原件或复印件", "3")
    ORIGINAL_AND_COPY = ("原件和复印件", "4")
    ELECTRONIC = ("电子", "5")


class MaterialKind(CodedEnum):
    """材料类别: what kind of document the applicant supplies."""

    CERTIFICATE = ("证照", "1")
    PROOF = ("证明", "2")
    FORM = ("申请表", "3")
    DOCUMENT = ("其他材料", "9")


class OnlineDepth(CodedEnum):
    """网上办理深度 (multi-valued)."""

    CONSULT = ("互联网咨询", "1")
    RECEIVE = ("收件", "2")
    PREVIEW = ("预审", "3")
    ACCEPT = ("受理", "4")
    HANDLE = ("办理", "5")
    RESULT_FEEDBACK = ("办理结果信息反馈", "6")
    E_LICENCE = ("电子证照反馈", "7")


class ResultType(CodedEnum):
    """审批结果类型."""

    CERTIFICATE = ("出证办结", "1")
    DOCUMENT = ("出文办结", "2")
    APPROVAL = ("审批办结", "3")
    OTHER = ("其他", "9")


class Scope(CodedEnum):
    """通办范围."""

    CITY = ("全市", "1")
    PROVINCE = ("全省", "2")
    CROSS_PROVINCE = ("跨省", "3")
    NATIONAL = ("全国", "4")


class HandlingForm(CodedEnum):
    """办理形式."""

    WINDOW = ("窗口办理", "1")
    ONLINE = ("网上办理", "2")
    MAIL = ("快递申请", "3")
    ON_SITE = ("上门办理", "4")


class TimeUnit(CodedEnum):
    """办结时限单位."""

    WORKING_DAY = ("工作日", "1")
    CALENDAR_DAY = ("自然日", "2")
    HOUR = ("小时", "3")
    WEEK = ("周", "4")
    MONTH = ("月", "5")


class MatterStatus(CodedEnum):
    """事项状态."""

    ACTIVE = ("在用", "1")
    SUSPENDED = ("暂停", "2")
    CANCELLED = ("已取消", "3")


class PenaltyKind(CodedEnum):
    """处罚的种类 (《行政处罚法》第九条)."""

    WARNING = ("警告", "01")
    CRITICISM = ("通报批评", "02")
    FINE = ("罚款", "03")
    CONFISCATE_GAINS = ("没收违法所得", "04")
    CONFISCATE_PROPERTY = ("没收非法财物", "05")
    SUSPEND_LICENCE = ("暂扣许可证件", "06")
    DOWNGRADE = ("降低资质等级", "07")
    REVOKE_LICENCE = ("吊销许可证件", "08")
    RESTRICT_BUSINESS = ("限制开展生产经营活动", "09")
    SUSPEND_BUSINESS = ("责令停产停业", "10")
    CLOSE = ("责令关闭", "11")
    RESTRICT_PRACTICE = ("限制从业", "12")
    DETENTION = ("行政拘留", "13")
    OTHER = ("其他", "99")


class LawRank(CodedEnum):
    """法律法规效力级别."""

    LAW = ("法律", "1")
    ADMIN_REGULATION = ("行政法规", "2")
    LOCAL_REGULATION = ("地方性法规", "3")
    DEPARTMENT_RULE = ("部门规章", "4")
    LOCAL_RULE = ("地方政府规章", "5")
    NORMATIVE_DOCUMENT = ("规范性文件", "6")
    STATE_COUNCIL_DECISION = ("国务院决定", "7")


class DepartmentKind(CodedEnum):
    """部门性质."""

    GOVERNMENT = ("政府部门", "1")
    INSTITUTION = ("事业单位", "2")
    AUTHORISED = ("法律法规授权组织", "3")
    OTHER = ("其他", "9")


#: Code tables whose codes are NOT the national exchange codes: this tool's own (no national table found), or tables
#: whose assumed national codes real exchange records contradict (PRACTICE.md: 审批结果类型 codes are two-digit in
#: real records, `20` for a 批复 and `99` none; 通办范围 `4` appears on county-level approvals, so 1–4 = 全市…全国 is
#: doubtful). The schema publishes them as `x-codes`, never `x-national-codes`, and a catalogue may give its own
#: codes for them in `registry/local-codes.yaml`.
LOCAL_CODE_TABLES: frozenset[type[CodedEnum]] = frozenset(
    {ResultType, Scope, TimeUnit, MaterialForm, MaterialKind, HandlingForm, MatterStatus, LawRank, DepartmentKind}
)

#: Codes for a local table seen in real exchange records besides this tool's own (PRACTICE.md [data]): accepted on
#: import. 审批结果类型 `20` is carried by 批复 results (which real QC scripts classify as 审批办结), `99` by none.
RECORD_CODES: dict[type[CodedEnum], dict[str, str]] = {ResultType: {"20": "审批办结", "99": "其他"}}

#: Local tables whose numeric codes import refuses unless the catalogue configures them (`registry/local-codes.yaml`):
#: reading 通办范围 `4` on a county-level approval as 全国 would publish a wrong value.
CONFIGURED_ONLY: frozenset[type[CodedEnum]] = frozenset({Scope})


def table_title(cls: type[CodedEnum]) -> str:
    """The Chinese name of a code table (its docstring's first word): 审批结果类型, 通办范围 …"""
    return re.split(r"[\s.:(]", (cls.__doc__ or cls.__name__).strip(), maxsplit=1)[0]


def code_table_by_title() -> dict[str, type[CodedEnum]]:
    return {
        table_title(cls): cls
        for cls in globals().values()
        if isinstance(cls, type) and issubclass(cls, CodedEnum) and cls is not CodedEnum
    }
