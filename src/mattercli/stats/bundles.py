"""The 一件事 part of `mattercli stats`: counts and reductions (减环节, 减材料, 减时限, 减跑动, 减表单) per bundle and in
total, at the current revision and at the baseline, each pinned to the snapshot it comes from (figures defined in
`mattercli.bundles`, docs/bundles.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mattercli.catalogue.bundles import BundleFigures, BundleReport, BundleTotals


@dataclass(frozen=True, slots=True)
class BundleFigure:
    """One figure of the 一件事 section: id, Chinese and English names, the BundleTotals field it reads."""

    id: str
    name_zh: str
    name_en: str
    field: str
    unit: str  # "count" or "days"


BUNDLE_FIGURES: tuple[BundleFigure, ...] = (
    BundleFigure("bundle_count", "一件事数", "bundles", "bundles", "count"),
    BundleFigure("bundle_members", "涉及事项数", "member matters", "member_matters", "count"),
    BundleFigure("bundle_distinct_members", "涉及不同事项数", "distinct member matters", "distinct_matters", "count"),
    BundleFigure("bundle_fewer_steps", "减环节", "fewer steps", "fewer_steps", "count"),
    BundleFigure("bundle_fewer_materials", "减材料", "fewer materials", "fewer_materials", "count"),
    BundleFigure("bundle_fewer_days", "减时限(工作日)", "fewer days (working days)", "fewer_days", "days"),
    BundleFigure("bundle_fewer_visits", "减跑动", "fewer visits", "fewer_visits", "count"),
    BundleFigure("bundle_fewer_forms", "减表单", "fewer forms", "fewer_forms", "count"),
)
#: Per-bundle columns: (BundleFigures property, Chinese, English).
PER_BUNDLE: tuple[tuple[str, str, str], ...] = (
    ("fewer_steps", "减环节", "fewer steps"),
    ("fewer_materials", "减材料", "fewer materials"),
    ("fewer_days", "减时限", "fewer days"),
    ("fewer_visits", "减跑动", "fewer visits"),
    ("fewer_forms", "减表单", "fewer forms"),
)


@dataclass(frozen=True)
class BundleSection:
    """The bundles now and at the baseline (None without one), with the labels of the snapshots they come from."""

    current: BundleReport
    current_from: str
    baseline: BundleReport | None = None
    baseline_from: str | None = None

    def total(self, figure: BundleFigure, side: str = "current") -> float | int | None:
        report = self.current if side == "current" else self.baseline
        return None if report is None else getattr(report.totals, figure.field)

    def bundles(self) -> list[tuple[BundleFigures | None, BundleFigures | None]]:
        """(now, at the baseline) per bundle code: those of either side, in code order."""
        now = self.current.by_code()
        then = self.baseline.by_code() if self.baseline is not None else {}
        return [(now.get(code), then.get(code)) for code in sorted(now.keys() | then.keys())]

    @property
    def empty(self) -> bool:
        return not self.current.bundles and not (self.baseline and self.baseline.bundles)


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") or "0"
    return str(value)


def totals_dict(totals: BundleTotals) -> dict[str, Any]:
    return {f.id: getattr(totals, f.field) for f in BUNDLE_FIGURES}


def figures_dict(f: BundleFigures) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "file": f.file,
        "region": f.region,
        "tier": f.tier,
        "batch": f.batch,
        "lead": f.lead,
        "partners": list(f.partners),
        "members": [{"basic_code": b, "name": n, "implementation_code": c} for b, n, c in f.members],
        "complete": f.complete,
        "promised": f.promised_text,
        "visits": f.visits,
        "before": {"steps": f.steps_before, "materials": f.materials_before, "days": f.days_before,
                   "visits": f.visits_before, "forms": f.forms_before},
        "after": {"steps": f.steps_after, "materials": f.materials_after, "days": f.days_after,
                  "visits": f.visits_after, "forms": f.forms_after},
        "reductions": {prop: getattr(f, prop) for prop, _zh, _en in PER_BUNDLE},
        "shared_materials": [{"name": name, "members": list(members)} for _key, name, members in f.shared],
    }  # fmt: skip


def section_dict(section: BundleSection) -> dict[str, Any]:
    """The `bundles` object of `stats --format json` (docs/stats.md)."""
    out: dict[str, Any] = {
        "figures": [{"id": f.id, "name_zh": f.name_zh, "name_en": f.name_en, "unit": f.unit} for f in BUNDLE_FIGURES],
        "current": {
            "from": section.current_from,
            "totals": totals_dict(section.current.totals),
            "bundles": [figures_dict(f) for f in section.current.figures],
            "skipped": list(section.current.skipped),
        },
        "baseline": None,
    }
    if section.baseline is not None:
        out["baseline"] = {
            "from": section.baseline_from,
            "totals": totals_dict(section.baseline.totals),
            "bundles": [figures_dict(f) for f in section.baseline.figures],
            "skipped": list(section.baseline.skipped),
        }
    return out


def totals_rows(section: BundleSection, lang: str) -> tuple[list[str], list[list[str]]]:
    """The totals table: figure, now, (baseline, change)."""
    en = lang == "en"
    headers = ["figure" if en else "指标", f"{'current' if en else '当前'} {section.current_from}"]
    if section.baseline is not None:
        headers += [f"{'baseline' if en else '基准'} {section.baseline_from}", "change" if en else "变化"]
    rows = []
    for f in BUNDLE_FIGURES:
        now = section.total(f)
        row = [f.name_en if en else f.name_zh, number(now)]
        if section.baseline is not None:
            then = section.total(f, "baseline")
            change = None if now is None or then is None else now - then
            row += [number(then), ("+" if change and change > 0 else "") + number(change)]
        rows.append(row)
    return headers, rows


def bundle_rows(section: BundleSection, lang: str) -> tuple[list[str], list[list[str]]]:
    """The per-bundle table: name (code), members, promised limit, visits and each reduction (was … at the
    baseline)."""
    en = lang == "en"
    headers = ["bundle" if en else "一件事", "members" if en else "涉及事项", "promised" if en else "承诺时限",
               "visits" if en else "跑动次数"] + [e if en else z for _p, z, e in PER_BUNDLE]  # fmt: skip
    rows = []
    for now, then in section.bundles():
        shown = now or then
        assert shown is not None
        label = f"{shown.name}({shown.code})"
        if now is None:
            rows.append([label + (" removed" if en else " 已删除")] + ["—"] * (len(headers) - 1))
            continue
        members = "、".join(name for _b, name, _c in now.members)
        row = [label, members, now.promised_text, str(now.visits)]
        for prop, _zh, _en in PER_BUNDLE:
            cell = number(getattr(now, prop))
            if then is not None and getattr(then, prop) != getattr(now, prop):
                cell += f"({'was ' if en else '原'}{number(getattr(then, prop))})"
            row.append(cell)
        rows.append(row)
    return headers, rows


def notes(section: BundleSection, lang: str) -> list[str]:
    if lang == "en":
        return [
            "fewer materials = the members' distinct materials − the bundle's (its materials plus the integrated "
            "form); fewer days in working days (承诺办结时限); bundles are counted over the whole catalogue "
            "(--where does not apply); docs/bundles.md"
        ]
    return [
        "减材料 = 成员事项去重后的材料数 − 一件事的材料数(申请材料 + 整合后的申请表);减时限按承诺办结时限(工作日)"
        "计算;一件事按全部目录计算,不受 --where 限制;定义见 docs/bundles.md"
    ]


def chart_values(section: BundleSection, side: str) -> list[float | None]:
    """The reductions in total (减环节 … 减表单), for the bundles chart."""
    ids = [f for f in BUNDLE_FIGURES if f.id.startswith("bundle_fewer")]
    return [None if (v := section.total(f, side)) is None else float(v) for f in ids]


def chart_categories(lang: str) -> list[str]:
    return [f.name_en if lang == "en" else f.name_zh for f in BUNDLE_FIGURES if f.id.startswith("bundle_fewer")]
