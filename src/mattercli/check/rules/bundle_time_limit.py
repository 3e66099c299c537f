"""Rule `bundle-time-limit`: a 一件事 promises no more than its members together — its 承诺时限 is not longer than
the sum of the members' 承诺办结时限 (a 即办件 counts 0; a member without one counts its 法定办结时限), compared in
working days (7 自然日 = 5 工作日).

Passing: 退休一件事 promises 15 工作日; its members promise 10 + 0 + 10 = 20. Failing: 企业开办一件事 promises
1 工作日 while both members are 即办件 (0 + 0).
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.check.index import CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.bundle_inputs import rule_inputs


def _days(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class BundleTimeLimitRule(Rule):
    id = "bundle-time-limit"
    title, title_en = "一件事承诺时限长于成员事项之和", "bundle promises longer than its members together"
    messages = {
        "default": Message(
            "一件事「{bundle}」的承诺时限 {value} 长于各成员事项承诺办结时限之和 {total} 个工作日({detail})",
            "bundle '{bundle}' promises {value}, longer than its members' promised limits together ({total} working "
            "days: {detail})",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        bundles, lookup = rule_inputs(index, ctx)
        for item in bundles:
            bundle = item.bundle
            if bundle is None:
                continue
            resolved = lookup.resolve(bundle)
            impls = [r.implementation for r in resolved if r.implementation is not None]
            if not impls or len(impls) < len(resolved) or any(m.days is None for m in impls):
                continue  # an unresolved member (bundle-member, bundle-region) leaves the sum unknown
            total = sum(m.days or 0.0 for m in impls)
            limit = bundle.promised_time_limit
            if limit.working_days > total + 1e-9:
                yield self.hit_in(
                    item.file,
                    "default",
                    ("承诺时限", "时限"),
                    code=bundle.code,
                    name=bundle.name,
                    bundle=bundle.name,
                    value=limit.describe(),
                    total=_days(total),
                    detail=" + ".join(f"{m.name} {_days(m.days or 0.0)}" for m in impls),
                )
