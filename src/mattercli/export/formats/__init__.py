"""Exporters, one class per format, chosen through EXPORTERS by ExportFormat."""

from mattercli.export.formats.base import DEFAULT_FORMATS, Exporter, ExportFormat, ExportInfo
from mattercli.export.formats.html import HtmlExporter
from mattercli.export.formats.tabular import CsvExporter, ExcelCsvExporter, JsonExporter, MarkdownExporter
from mattercli.export.formats.xlsx import XlsxExporter

EXPORTERS: dict[ExportFormat, type[Exporter]] = {
    cls.format: cls
    for cls in (CsvExporter, XlsxExporter, JsonExporter, MarkdownExporter, HtmlExporter, ExcelCsvExporter)
}

__all__ = ["DEFAULT_FORMATS", "EXPORTERS", "ExportFormat", "ExportInfo", "Exporter"]
