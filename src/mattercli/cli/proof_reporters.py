"""The terminal rendering of a ProofReport (rich tables); the file formats live in `mattercli.proofs.formats`."""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO
from typing import ClassVar

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from mattercli.cli.console import SafeConsole, safe_text
from mattercli.model.safetext import terminal_safe
from mattercli.proofs.formats import RENDERERS, ProofFormat, Renderer
from mattercli.proofs.model import ProofReport, Ref, Section
from mattercli.proofs.tables import Table, finding_id, finding_tables, header_lines, labels, summary_pairs, t

#: Places listed under each finding in the terminal (the file formats list them all).
DEFAULT_LIMIT = 10


def _where(ref: Ref) -> str:
    return f"{ref.file}:{ref.line}" if ref.line is not None else ref.file


Part = str | tuple[str, str]  # plain text, or (text, rich style)


def _ref_parts(ref: Ref, lead: str = "") -> list[Part]:
    return [f"    {lead}", (_where(ref), "cyan"), f" {ref.matter_code}「{ref.matter_name}」"]


class TextRenderer(Renderer):
    """Finding tables per section, each finding's places under it (up to `limit`), then the totals."""

    format: ClassVar[ProofFormat] = ProofFormat.text

    def __init__(self, lang: str = "zh", color: bool = False, width: int | None = 160, limit: int = DEFAULT_LIMIT):
        super().__init__(lang)
        self.color = color
        self.width = width
        self.limit = limit

    def _emit(self, console: Console, *parts: Part) -> None:
        """One line, never wrapped. Without colour it bypasses rich: a big catalogue lists tens of thousands."""
        if self.color:
            console.print(safe_text(*parts), soft_wrap=True)
        else:
            self._buffer.write(terminal_safe("".join(p if isinstance(p, str) else p[0] for p in parts)) + "\n")

    def render(self, report: ProofReport) -> bytes:
        buffer = self._buffer = StringIO()
        console = SafeConsole(file=buffer, force_terminal=self.color, no_color=not self.color, width=self.width)
        lang = self.lang
        console.print(f"[bold]{escape(t('title', lang))}[/]")
        for line in header_lines(report, lang):
            console.print(escape(line))
        for note in report.notes:
            console.print(f"[yellow]{escape(t('notes', lang))}:[/] {escape(note)}")
        for table in finding_tables(report, lang, self.limit):
            console.print()
            self._table(console, table, report)
        if report.skipped:
            console.print()
            console.print(f"[yellow]{escape(t('skipped', lang))}[/]")
            for s in report.skipped:
                self._emit(console, f"    {s.file} ({s.reason})")
        console.print()
        parts = [f"{label} {n}" for label, n in summary_pairs(report, lang)]
        style = "bold red" if report.has_findings else "bold green"
        console.print(f"[{style}]{escape(t('summary', lang))}: {escape(', '.join(parts))}[/]")
        return buffer.getvalue().encode("utf-8")

    def _table(self, console: Console, table: Table, report: ProofReport) -> None:
        console.print(f"[bold]{escape(table.title)}[/] ({len(table.rows)})")
        if not table.rows:
            console.print(f"    {escape(t('none', self.lang))}")
            return
        rich_table = RichTable(show_lines=False)
        for header, numeric in zip(table.headers, table.numeric, strict=True):
            rich_table.add_column(header, justify="right" if numeric else "left", overflow="fold")
        for row in table.rows:
            rich_table.add_row(*(escape(str(c)) for c in row))
        console.print(rich_table)
        assert table.section is not None
        _PLACES[table.section](self, console, report)

    def _more(self, console: Console, refs: Sequence[object]) -> None:
        if len(refs) > self.limit:
            self._emit(console, f"    … +{len(refs) - self.limit}")

    def _duplicates(self, console: Console, report: ProofReport) -> None:
        for i, c in enumerate(report.duplicates, 1):
            refs = c.refs
            self._emit(console, "  ", (finding_id(Section.duplicates, i), "bold"), f" {c.canonical}:")
            for ref in refs[: self.limit]:
                self._emit(console, *_ref_parts(ref, f"{ref.material}  "))
            self._more(console, refs)

    def _cycles(self, console: Console, report: ProofReport) -> None:
        if report.cycles_truncated:
            console.print(f"  [yellow]{escape(t('truncated', self.lang, n=len(report.cycles)))}[/]")
        for i, cycle in enumerate(report.cycles, 1):
            self._emit(console, "  ", (finding_id(Section.cycles, i), "bold"), f" {cycle.path()}")
            for step in cycle.steps:
                note = t("requires", self.lang, proof=step.proof, target=f"{step.issued_by}「{step.issued_by_name}」")
                self._emit(console, f"    {step.matter}: {note}")
                for ref in step.refs[: self.limit]:
                    self._emit(console, *_ref_parts(ref, f"  {ref.material}  "))
                self._more(console, step.refs)

    def _shareable(self, console: Console, report: ProofReport) -> None:
        number = 0
        for group in report.shareable:
            for p in group.proofs:
                number += 1
                issuer = group.issuer or t("unstated", self.lang)
                self._emit(console, "  ", (finding_id(Section.shareable, number), "bold"), f" {p.name} ← {issuer}:")
                for ref in p.refs[: self.limit]:
                    self._emit(console, *_ref_parts(ref, f"{ref.material}  "))
                self._more(console, p.refs)

    def _baseless(self, console: Console, report: ProofReport) -> None:
        for i, b in enumerate(report.baseless, 1):
            self._emit(console, "  ", (finding_id(Section.baseless, i), "bold"), f" {b.name}:")
            for o in b.occurrences[: self.limit]:
                self._emit(console, *_ref_parts(o.ref, f"{o.ref.material} [{labels(o.reasons, self.lang)}]  "))
            self._more(console, b.occurrences)

    def _review(self, console: Console, report: ProofReport) -> None:
        for i, r in enumerate(report.review, 1):
            message = r.message_en if self.lang == "en" else r.message
            self._emit(console, "  ", (finding_id(Section.review, i), "bold"), f" [{r.rule}] {message}")
            for ref in r.refs[: self.limit]:
                self._emit(console, *_ref_parts(ref, f"{ref.material}  "))
            self._more(console, r.refs)


_PLACES = {
    Section.duplicates: TextRenderer._duplicates,
    Section.cycles: TextRenderer._cycles,
    Section.shareable: TextRenderer._shareable,
    Section.baseless: TextRenderer._baseless,
    Section.review: TextRenderer._review,
}

ALL_RENDERERS: dict[ProofFormat, type[Renderer]] = {**RENDERERS, ProofFormat.text: TextRenderer}
