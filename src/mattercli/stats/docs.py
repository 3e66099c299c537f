"""Renders the figure definitions of `mattercli.stats.figures.FIGURES` into docs/stats.md (between two marker comments).

python -m mattercli.stats.docs docs/stats.md          # rewrite the generated part
python -m mattercli.stats.docs docs/stats.md --check  # exit 1 when it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.stats.figures import FIGURES, POPULATION_NOTES, Unit
from mattercli.stats.model import DIMENSIONS, FILTER_KEYS, Change

BEGIN = "<!-- BEGIN GENERATED: figure definitions (python -m mattercli.stats.docs docs/stats.md) -->"
END = "<!-- END GENERATED: figure definitions -->"

UNIT_ZH = {Unit.COUNT: "项数", Unit.RATIO: "比例(%)", Unit.DAYS: "工作日", Unit.MEAN: "平均值"}
CHANGE_ZH = {
    Change.KEPT: "保留: 同一编码现仍在用",
    Change.SUSPENDED: "暂停: 同一编码现为暂停",
    Change.MERGED: "合并: 某在用事项的合并自列出它(实施清单事项: 或其基本编码已并入另一基本编码,同一区划现实施后者)",
    Change.SPLIT: "拆分: 某在用事项的拆分自列出它(实施清单事项: 或其基本编码已拆分,同一区划现实施拆分所得的基本编码)",
    Change.DELEGATED: "下放(仅实施清单): 同一基本编码现由更低行使层级、区划在其内的在用事项实施,"
    "该事项在原事项编码中列出它或是新编码",
    Change.RENUMBERED: "改码: 某在用事项的原事项编码列出它",
    Change.CANCELLED: "取消: 现已不存在或为已取消,且不属于以上任何一种",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def definitions_markdown() -> str:
    """The generated part of docs/stats.md: every figure, how baseline entries are classified, dimensions."""
    lines = [
        BEGIN,
        "",
        "### 指标定义 (figures)",
        "",
        "| id | 指标 | figure | 统计范围 | 公式 | 单位 | 需要基准 | 所依实践 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in FIGURES:
        lines.append(
            f"| `{f.id}` | {_cell(f.name_zh)} | {_cell(f.name_en)} | {_cell(f.population)} | {_cell(f.formula)} "
            f"| {UNIT_ZH[f.unit]} | {'是' if f.needs_baseline else '否'} | {_cell(f.practice) or '—'} |"
        )
    lines += [
        "",
        "### 统计范围 (populations)",
        "",
        "| 统计范围 | 说明 |",
        "|---|---|",
    ]
    for population in dict.fromkeys(f.population for f in FIGURES):
        lines.append(f"| {_cell(population)} | {_cell(POPULATION_NOTES.get(population, ''))} |")
    lines += [
        "",
        "### 基准版本中在用事项的去向 (how a baseline entry changed)",
        "",
        "按编码(实施清单事项: 实施编码; 基本目录事项: 基本编码)在整个目录中判断(不受 `--where` 影响),"
        "依次取第一个成立的:",
        "",
    ]
    lines += [f"{i}. `{c.value}` {CHANGE_ZH[c]}" for i, c in enumerate(Change, start=1)]
    lines += [
        "",
        "恒等式: 基准事项数 − (取消 + 下放 + 合并 + 拆分 + 改码 + 暂停) + 新增 = 当前事项数,实施清单、基本目录分别成立。"
        "加 `--where` 时筛选按各版本中事项自身的要素判断,保留的事项若改了所筛要素(如换了实施主体),"
        "它只在一边计入,恒等式便不再成立。",
        "",
        "### 分组与筛选维度 (--by, --where)",
        "",
        "| --by | 维度 | --where 键 | 分组依据 |",
        "|---|---|---|---|",
    ]
    for d in DIMENSIONS.values():
        keys = "、".join(f"`{k}`" for k, v in FILTER_KEYS.items() if v == d.id)
        lines.append(f"| `{d.id}` | {d.name_zh} | {keys} | {_cell(d.meaning)} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def render_doc(text: str) -> str:
    """`text` with its generated part replaced (appended when the markers are missing)."""
    generated = definitions_markdown()
    start, end = text.find(BEGIN), text.find(END)
    if start == -1 or end == -1 or end < start:
        return text.rstrip("\n") + "\n\n" + generated
    return text[:start] + generated + text[end + len(END) + 1 :]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(args[0])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    new = render_doc(text)
    if "--check" in args:
        if new != text:
            print(f"{path}: 指标定义已过期,请运行 python -m mattercli.stats.docs {path}", file=sys.stderr)
            return 1
        return 0
    if new != text:
        atomic_write_text(path, new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
