"""The 告知承诺书 for one matter (`mattercli proofs pledge --matter CODE`), from a Markdown template the office can
edit, as Markdown and as DOCX (python-docx).

A proof is on the letter when its material says `告知承诺: true`, or when the 告知承诺目录 covers it on this matter.
For each: 证明名称, 设定依据 (the material's, else the 告知承诺目录's, else the 保留证明事项清单's), 证明内容 (the
catalogue's 承诺内容, else the material's 受理标准), 承诺方式, 核查方式 (with 核查时限). The letter closes with the
legal consequences of a false promise (国办发〔2020〕42号) and the 签章栏.

Template syntax: `{{字段}}` for a value; `{{#证明}} … {{/证明}}` repeats its text for each proof (fields 序号,
证明名称, 设定依据, 证明内容, 承诺方式, 核查方式); the other fields are 事项名称, 事项编码, 实施机关, 法律责任.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from mattercli.catalogue.catalog import CatalogError, Registries
from mattercli.catalogue.snapshot import Snapshot
from mattercli.check.proof_review import ProofLists
from mattercli.model import BaseEntry, ImplementationEntry, LegalBasis
from mattercli.proofs.lists import pledge_bases

#: Where an office keeps its own template, relative to the catalogue root.
CATALOG_TEMPLATE = "templates/告知承诺书.md"
DEFAULT_PLEDGE_MODE = "申请人自愿选择以书面承诺方式代替提交该证明,行政机关不再索要该证明"
#: 国办发〔2020〕42号, 三(四)/(五): what follows a false promise.
LIABILITY = (
    "申请人作出不实承诺的,行政机关将依法终止办理、责令限期整改、撤销已作出的行政决定或者予以行政处罚,"
    "并将不实承诺信息纳入信用记录,依法实施失信惩戒;涉嫌犯罪的,依法移送司法机关。"
    "申请人有较严重的不良信用记录或者曾作出虚假承诺等情形的,在信用修复前不适用告知承诺制"
    "(《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》,国办发〔2020〕42号)。"
)


class PledgeError(CatalogError):
    """No such matter, or a matter with nothing to promise."""


@dataclass(frozen=True)
class PledgeItem:
    number: int
    name: str
    basis: str
    content: str
    mode: str
    check: str


@dataclass(frozen=True)
class PledgeLetter:
    matter_name: str
    matter_code: str
    authority: str
    file: str
    items: tuple[PledgeItem, ...]


def _basis_text(bases: Sequence[LegalBasis]) -> str:
    return "；".join(f"《{b.law}》{b.article or ''}" for b in bases) or "未注明"


def find_matter(snapshot: Snapshot, code: str) -> tuple[str, BaseEntry | ImplementationEntry]:
    """The matter file whose 实施编码 (or, for a base entry, 基本编码) is `code`."""
    base_hit: tuple[str, BaseEntry | ImplementationEntry] | None = None
    for loaded in snapshot.matters():
        matter = loaded.matter
        if matter is None:
            continue
        if matter.code == code:
            return loaded.file, matter
        if base_hit is None and isinstance(matter, BaseEntry) and matter.basic_code == code:
            base_hit = (loaded.file, matter)
    if base_hit is not None:
        return base_hit
    raise PledgeError(f"目录中没有编码为 {code} 的事项(实施编码或基本编码)")


def build_letter(file: str, matter: BaseEntry | ImplementationEntry, registries: Registries) -> PledgeLetter:
    lists = ProofLists(registries)
    items: list[PledgeItem] = []
    for material in matter.materials:
        key = lists.key(material.name)
        entry = lists.pledge_for(key, matter.basic_code)
        if not material.pledge and entry is None:
            continue
        own = material.legal_basis or (entry.legal_basis if entry is not None else [])
        bases = pledge_bases(material.name, registries, own)
        check = "由行政机关在办理过程中或办结后核查"
        if entry is not None:
            check = entry.check
            if entry.check_time is not None:
                note = f"({entry.check_time.note})" if entry.check_time.note else ""
                check += f",核查时限 {entry.check_time.describe()}{note}"
        content = (
            entry.content if entry is not None else (material.acceptance_standard or f"符合{material.name}所证明的条件")
        )
        items.append(PledgeItem(len(items) + 1, material.name, _basis_text(bases), content, DEFAULT_PLEDGE_MODE, check))
    if not items:
        raise PledgeError(
            f"事项 {matter.code}「{matter.name}」({file})没有可告知承诺的材料:"
            "材料须写明 告知承诺: true,或列入 registry/pledge-catalog.yaml 的适用事项"
        )
    authority = matter.body.name if isinstance(matter, ImplementationEntry) else matter.guiding_department
    return PledgeLetter(matter.name, matter.code, authority, file, tuple(items))


def default_template() -> str:
    return resources.files("mattercli.data").joinpath("pledge-template.md").read_text(encoding="utf-8")


_BLOCK = re.compile(r"\{\{#证明\}\}\n?(.*?)\{\{/证明\}\}\n?", re.S)
_FIELD = re.compile(r"\{\{([^{}#/]+?)\}\}")


def _fill(text: str, values: Mapping[str, str], where: str) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        if name not in values:
            raise PledgeError(f"{where}: 模板中的字段「{name}」不存在(可用: {'、'.join(values)})")
        return values[name]

    return _FIELD.sub(value, text)


def render_markdown(letter: PledgeLetter, template: str, where: str = "告知承诺书模板") -> str:
    """The letter as Markdown: the template with its fields filled and its 证明 block repeated."""
    top = {
        "事项名称": letter.matter_name,
        "事项编码": letter.matter_code,
        "实施机关": letter.authority,
        "法律责任": LIABILITY,
    }

    def block(m: re.Match[str]) -> str:
        parts = []
        for item in letter.items:
            fields = {
                **top,
                "序号": str(item.number),
                "证明名称": item.name,
                "设定依据": item.basis,
                "证明内容": item.content,
                "承诺方式": item.mode,
                "核查方式": item.check,
            }
            parts.append(_fill(m.group(1), fields, where))
        return "".join(parts)

    return _fill(_BLOCK.sub(block, template), top, where)


# -- Markdown (the subset templates use) -> DOCX ----------------------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _runs(paragraph: object, text: str) -> None:
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()])  # type: ignore[attr-defined]
        paragraph.add_run(m.group(1)).bold = True  # type: ignore[attr-defined]
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])  # type: ignore[attr-defined]


def _cells(line: str) -> list[str]:
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def render_docx(markdown: str) -> bytes:
    """Headings (#, ##), paragraphs with **bold**, `- ` bullets and pipe tables, as a Word document."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            rows = [_cells(b) for b in block if not re.fullmatch(r"\|?[\s:|-]+\|?", b)]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c, text in enumerate(cells):
                    cell = table.cell(r, c)
                    cell.text = ""
                    _runs(cell.paragraphs[0], text)
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            continue
        if line.startswith("# "):
            heading = document.add_heading(line[2:].strip(), level=0)
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif line.startswith("## "):
            document.add_heading(line[3:].strip(), level=1)
        elif line.startswith("- "):
            _runs(document.add_paragraph(style="List Bullet"), line[2:].strip())
        elif line.strip():
            _runs(document.add_paragraph(), line.strip())
        i += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
