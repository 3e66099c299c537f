"""Rule `license-basis-drift`: a 行政许可 base entry's 设定依据 agrees with its reference-list entry's
(registry/license-list.yaml). A law the base cites that the list does not is reported on that 设定依据; a law the
list's 设定依据 gives that the base cites in neither 设定依据 nor 实施依据 is reported on the base's 设定依据 (published
lists often print 设定和实施依据 in one column, imported as 设定依据). Articles are compared when both sides give
them for the same law. Laws compare after NFKC, without white space and 《》.

Passing: list 《中华人民共和国食品安全法》, base 《中华人民共和国食品安全法》第三十五条. Failing: base cites
《中华人民共和国食品安全法》 and 《食品经营许可管理办法》 while the list cites only the first; or the list cites
《公共场所卫生管理条例》 and the base does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import CatalogIndex, drift_key
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.basis_drift import article_covered
from mattercli.check.rules.license_reference import active_licences, describe


class LicenseBasisDriftRule(Rule):
    id = "license-basis-drift"
    title, title_en = "设定依据与行政许可事项清单不一致", "licence legal basis differs from the reference list"
    messages = {
        "extra": Message(
            "设定依据《{law}》不在{entry}「{listed}」的设定依据中:设定依据全国统一,不得变更",
            "设定依据 '{law}' is not among the legal bases of {entry} '{listed}'",
        ),
        "article": Message(
            "设定依据《{law}》{article}与{entry}「{listed}」所列条款({cited})不一致",
            "设定依据 '{law}' {article} differs from the articles {entry} '{listed}' gives ({cited})",
        ),
        "missing": Message(
            "缺少{entry}「{listed}」的设定依据《{law}》", "lacks the legal basis '{law}' that {entry} '{listed}' gives"
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        by_code = ctx.registries.licenses_by_code
        if not by_code:
            return
        for base in active_licences(index):
            for entry in by_code.get(base.code, ()):
                if not entry.legal_basis:
                    continue
                listed: dict[str, list[str | None]] = {}
                for ref in entry.legal_basis:
                    article = drift_key(ref.article) if ref.article else None
                    listed.setdefault(drift_key(ref.law), []).append(article)
                where: dict[str, Any] = {
                    "code": base.code,
                    "name": base.name,
                    "entry": describe(entry),
                    "listed": entry.name,
                }
                cited_laws = {b.law for b in base.bases}
                for basis in base.bases:
                    if basis.element != "设定依据":
                        continue
                    articles = listed.get(basis.law)
                    if articles is None:
                        yield self.hit_in(
                            base.file, "extra", ("设定依据", basis.index, "法律法规名称"), law=basis.law, **where
                        )
                    elif not article_covered(basis.article, articles):
                        yield self.hit_in(
                            base.file,
                            "article",
                            ("设定依据", basis.index, "条款号"),
                            law=basis.law,
                            article=basis.article,
                            cited="、".join(a for a in articles if a),
                            **where,
                        )
                for law in listed:
                    if law not in cited_laws:
                        yield self.hit_in(base.file, "missing", ("设定依据",), on_key=True, law=law, **where)
