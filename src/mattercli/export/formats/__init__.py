"""Exporters, one class per format, chosen through EXPORTERS by ExportFormat."""

from mattercli.export.formats.base import Exporter, ExportFormat, ExportInfo
from mattercli.export.formats.html import HtmlExporter
from mattercli.export.formats.tabular import CsvExporter, JsonExporter, MarkdownExporter
from mattercli.export.formats.xlsx import XlsxExporter

EXPORTERS: dict[ExportFormat, type[Exporter]] = {
    cls.format: cls for cls in (CsvExporter, XlsxExporter, JsonExporter, MarkdownExporter, HtmlExporter)
}

__all__ = ["EXPORTERS", "ExportFormat", "ExportInfo", "Exporter"]
