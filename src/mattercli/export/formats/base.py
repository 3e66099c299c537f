"""What every exporter gets (ExportBundle) and the interface it implements (Exporter)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from mattercli.export.catalogue import Catalogue, Source
from mattercli.export.lists import ExportList
from mattercli.export.output import TreeWriter

#: A cell starting with one of these is a formula to Excel; it is written as text with a leading apostrophe (CSV).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    md = "md"
    html = "html"


@dataclass
class ExportBundle:
    """The lists of one export, their source, and the catalogue they come from (for the HTML matter pages)."""

    source: Source
    lists: list[ExportList]
    catalogue: Catalogue
    tool_version: str
    schema_version: str


def source_text(bundle: ExportBundle) -> str:
    """数据来源 as a line for people: the commit and its date, or 工作区."""
    source = bundle.source
    if source.commit is None:
        return "数据来源: 工作区(未提交的文件)"
    return f"数据来源: 提交 {source.commit}({source.date})"


class Exporter:
    """One output format; writes its files (under a folder named after the format) through the TreeWriter.

    The work is cut into independent parts (by default one per list) so that parts can run in worker processes.
    """

    format: ClassVar[ExportFormat]

    def parts(self, bundle: ExportBundle) -> int:
        return len(bundle.lists)

    def write_part(self, bundle: ExportBundle, out: TreeWriter, part: int) -> None:
        self.write_list(bundle, out, bundle.lists[part])

    def write_list(self, bundle: ExportBundle, out: TreeWriter, export: ExportList) -> None:
        raise NotImplementedError

    def write(self, bundle: ExportBundle, out: TreeWriter) -> None:
        for part in range(self.parts(bundle)):
            self.write_part(bundle, out, part)

    def path(self, export: ExportList, suffix: str) -> str:
        return f"{self.format.value}/{export.stem}.{suffix}"
