"""What validate's 一件事 rules see: the run's bundles (Context.extra) and a member lookup built once per run from the
index's summaries (the figures' own lookup, `catalogue.bundles.MatterLookup`)."""

from __future__ import annotations

from mattercli.catalogue.bundles import LEVEL_RANK, LoadedBundle, MatterLookup, MemberFacts
from mattercli.check.index import CatalogIndex, MatterSummary
from mattercli.check.rules.base import Context
from mattercli.model.codes import MatterStatus

#: Context.extra key under which validate passes the loaded bundles (a tuple of LoadedBundle) to the rules.
BUNDLES_KEY = "bundles"
_LOOKUP_KEY = "bundles.lookup"


def facts_of_summary(s: MatterSummary) -> MemberFacts:
    days = (
        s.promised_limit.working_days if s.promised_limit else (s.legal_limit.working_days if s.legal_limit else None)
    )
    return MemberFacts(
        file=s.file,
        code=s.code,
        basic_code=s.basic_code,
        name=s.name,
        implementation=s.kind == "implementation",
        active=s.status == MatterStatus.ACTIVE.value,
        region=s.region,
        level_rank=min((LEVEL_RANK.get(lv, 9) for lv in s.levels), default=9),
        materials=tuple((m.key, m.name) for m in s.materials),
        days=days,
    )


def rule_inputs(index: CatalogIndex, ctx: Context) -> tuple[tuple[LoadedBundle, ...], MatterLookup]:
    """The bundles of the run and a lookup over the index's complete summaries (built once per run)."""
    bundles: tuple[LoadedBundle, ...] = tuple(ctx.extra.get(BUNDLES_KEY, ()))
    cached = ctx.extra.get(_LOOKUP_KEY)
    if cached is not None and cached[0] is index:
        return bundles, cached[1]
    lookup = MatterLookup(facts_of_summary(s) for s in index.summaries if s.complete) if bundles else MatterLookup(())
    ctx.extra[_LOOKUP_KEY] = (index, lookup)
    return bundles, lookup
