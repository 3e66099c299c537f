"""What every exporter gets (ExportInfo, one list at a time; the site's matters for formats with matter pages) and
the interface it implements (Exporter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from mattercli.export.catalogue import SHORT_COMMIT, Source
from mattercli.export.elements import Matter
from mattercli.export.lists import ExportList, ListSummary
from mattercli.export.output import TreeWriter


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    md = "md"
    html = "html"
    #: CSV for opening in a spreadsheet: codes and number-like text written so they stay text (not by default)
    excel_csv = "excel-csv"


#: What an export writes when no format is named: the five, not the spreadsheet variant of CSV.
DEFAULT_FORMATS = (ExportFormat.csv, ExportFormat.xlsx, ExportFormat.json, ExportFormat.md, ExportFormat.html)


@dataclass(frozen=True)
class ExportInfo:
    """What every file of one export states about where it comes from."""

    source: Source
    tool_version: str
    schema_version: str


@dataclass(frozen=True, slots=True)
class SiteMatter:
    """A matter on the exported lists (or the base entry of one), as an index of the site shows it."""

    code: str
    name: str
    department: str
    type: str  # 事项类型
    region: str  # 区划名称 of an implementation entry, 基本目录 for a base entry


@dataclass(frozen=True, slots=True)
class MatterPage:
    """What a matter's page shows besides its elements: `body` (Exporter.matter_body, made where the matter was
    parsed); `base` is the (code, name) of the base entry an implementation entry implements."""

    code: str
    name: str
    department: str
    implementation: bool
    base: tuple[str, str] | None
    body: str


#: How a draft (an export of a work tree with uncommitted changes) is labelled wherever a reader meets it.
DRAFT_LABEL = "草稿"
DRAFT_TEXT = f"{DRAFT_LABEL}:由未提交的修改生成,不是发布的版本"


def chinese_date(day: date) -> str:
    """2026年3月1日, as government documents write a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def version_text(source: Source) -> str:
    """版本 for people: the tag with the commit it names (`v2025(提交 1a2b3c4)`), or the commit (`提交 1a2b3c4`)."""
    if source.commit is None:
        return DRAFT_LABEL
    short = source.commit[:SHORT_COMMIT]
    return f"{source.tag}(提交 {short})" if source.tag else f"提交 {short}"


def titled(name: str, info: ExportInfo) -> str:
    """A list's title as its document shows it: `权责清单(草稿)` for a draft."""
    return f"{name}({DRAFT_LABEL})" if info.source.draft else name


def source_text(info: ExportInfo) -> str:
    """The provenance line for people: 更新日期 (the commit's day) and 版本, or the draft label."""
    source = info.source
    if source.draft or source.day is None:
        return DRAFT_TEXT
    return f"更新日期:{chinese_date(source.day)} · 版本:{version_text(source)}"


class Exporter:
    """One output format; writes its files (under a folder named after the format) through the TreeWriter, one
    list at a time. A format with matter pages also gets an index of the site's matters and their pages."""

    format: ClassVar[ExportFormat]
    #: Whether the format has a page per matter: then `matter_body` renders each matter where it is parsed.
    matter_pages: ClassVar[bool] = False

    def write_list(self, info: ExportInfo, out: TreeWriter, export: ExportList) -> None:
        raise NotImplementedError

    @staticmethod
    def matter_body(matter: Matter) -> str:
        """The part of a matter's page read from the matter itself (formats with matter pages)."""
        raise NotImplementedError

    def write_index(
        self, info: ExportInfo, out: TreeWriter, lists: Sequence[ListSummary], matters: Sequence[SiteMatter]
    ) -> None:
        """Files about the whole export (formats with matter pages), after every list is written."""

    def write_pages(self, info: ExportInfo, out: TreeWriter, pages: Sequence[MatterPage]) -> None:
        """Some of the matters' pages (formats with matter pages)."""

    def path(self, export: ExportList, suffix: str) -> str:
        return f"{self.format.value}/{export.stem}.{suffix}"
