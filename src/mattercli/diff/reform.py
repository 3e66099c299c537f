"""The vocabulary of a catalogue change in the terms of the reform: 新增, 取消, 下放, 上收, 合并, 拆分, 更名, 调整,
and the records that `diff` and `log` return (which matters, how they were matched, which elements changed)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mattercli.diff.elements import ElementChange


class ReformAction(StrEnum):
    """What a change does to the catalogue; the declaration order is the order reports use."""

    ADDED = "added"
    CANCELLED = "cancelled"
    DELEGATED = "delegated"
    RECENTRALISED = "recentralised"
    MERGED = "merged"
    SPLIT = "split"
    RENAMED = "renamed"
    ADJUSTED = "adjusted"

    @property
    def label(self) -> str:
        return _ACTION_ZH[self]

    @property
    def label_en(self) -> str:
        return _ACTION_EN[self]

    def text(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label

    @property
    def rank(self) -> int:
        return _ORDER[self]


_ACTION_ZH = {
    ReformAction.ADDED: "新增",
    ReformAction.CANCELLED: "取消",
    ReformAction.DELEGATED: "下放",
    ReformAction.RECENTRALISED: "上收",
    ReformAction.MERGED: "合并",
    ReformAction.SPLIT: "拆分",
    ReformAction.RENAMED: "更名",
    ReformAction.ADJUSTED: "调整",
}
_ACTION_EN = {
    ReformAction.ADDED: "added",
    ReformAction.CANCELLED: "cancelled",
    ReformAction.DELEGATED: "delegated down",
    ReformAction.RECENTRALISED: "taken up",
    ReformAction.MERGED: "merged",
    ReformAction.SPLIT: "split",
    ReformAction.RENAMED: "renamed",
    ReformAction.ADJUSTED: "adjusted",
}
_ORDER = {action: i for i, action in enumerate(ReformAction)}


class MatchBasis(StrEnum):
    """Why the old and the new version are taken to be the same matter."""

    CODE = "code"  # the same 实施编码 / 基本编码
    LINEAGE = "lineage"  # 原事项编码, 合并自 or 拆分自 names the old code
    FILE = "file"  # the same file (kept in place or renamed by git) with a new code
    PROBABLE = "probable"  # name + department similarity only
    NONE = "none"  # added or deleted: nothing on the other side

    @property
    def label(self) -> str:
        return _BASIS_ZH[self.value]


_BASIS_ZH = {"code": "编码相同", "lineage": "沿革字段", "file": "同一文件", "probable": "名称与部门相近", "none": "无"}


@dataclass(frozen=True, slots=True)
class MatterRef:
    """One version of a matter as reports name it. `file` is None when the matter is only known by a code
    (a lineage field names a matter outside the change)."""

    code: str
    name: str | None
    file: str | None
    kind: str | None  # "base" | "implementation"
    level: str | None = None  # 行使层级 label(s)
    region: str | None = None  # 行政区划代码 (implementation entries)
    department: str | None = None  # 实施主体 name, or 主管部门 for base entries
    status: str | None = None  # 事项状态 label


@dataclass(frozen=True, slots=True)
class MatterChange:
    """One reform action (or several, e.g. 下放 + 调整) on one or more matters.

    `old` holds the versions before (several for 合并), `new` the versions after (several for 拆分); `elements`
    compares the one old and one new version of the same matter when there is such a pair. `time_delta` is the
    change, in working days, of the limit applicants are promised (承诺办结时限, else 法定办结时限)."""

    actions: tuple[ReformAction, ...]
    old: tuple[MatterRef, ...]
    new: tuple[MatterRef, ...]
    match: MatchBasis
    elements: tuple[ElementChange, ...] = ()
    similarity: float | None = None
    time_delta: float | None = None

    @property
    def primary(self) -> ReformAction:
        return self.actions[0]

    @property
    def code(self) -> str:
        return (self.new or self.old)[0].code

    @property
    def name(self) -> str | None:
        return (self.new or self.old)[0].name

    def sort_key(self) -> tuple[int, str, str]:
        return (self.primary.rank, self.code, (self.new or self.old)[0].file or "")


@dataclass(frozen=True, slots=True)
class Move:
    """A matter file moved or renamed with no change to the matter: not a difference, only noted."""

    code: str
    name: str | None
    old_file: str
    new_file: str


@dataclass(frozen=True, slots=True)
class FileIssue:
    """A changed file that could not be read as a valid matter on one side (`side` is "old" or "new")."""

    side: str
    file: str
    line: int | None
    column: int | None
    problem: str
    code: str | None = None
    message: str | None = None  # what is wrong, in Chinese (the loader's or the schema's explanation)
    message_en: str | None = None
