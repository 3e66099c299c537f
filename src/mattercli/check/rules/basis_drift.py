"""Rule `basis-drift`: an implementation entry cites no 设定依据 its base entry does not cite (设定依据全国统一).
Law names are compared after NFKC and without white space or 《》; an article matches when it is the base's
article or a part of it (第三十五条第一款 under 第三十五条), or when either side gives no article.

Passing: base 《中华人民共和国食品安全法》第三十五条; impl 《中华人民共和国食品安全法》第三十五条第一款. Failing: impl
《食品经营许可管理办法》第二条 (a law the base does not cite), or 《中华人民共和国食品安全法》第一百二十二条 (an
article the base does not cite). 实施依据 is not compared: lower levels may add their own implementing rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mattercli.check.index import BasisRef, CatalogIndex
from mattercli.check.rules.base import Context, Hit, Message, Rule


def article_covered(article: str | None, cited: Iterable[str | None]) -> bool:
    """Whether `article` is one of `cited` or a part of one (no article on either side covers everything)."""
    return any(article is None or other is None or article == other or article.startswith(other) for other in cited)


class BasisDriftRule(Rule):
    id = "basis-drift"
    title, title_en = "实施清单设定依据与基本目录不一致", "implementation cites a legal basis its base does not"
    messages = {
        "law": Message(
            "设定依据《{law}》不在基本目录事项「{base_name}」({base_code})的设定依据中:设定依据全国统一,"
            "下级清单不得变更",
            "设定依据 '{law}' is not cited by the base entry '{base_name}' ({base_code}); legal bases are "
            "nationally unified",
        ),
        "article": Message(
            "设定依据《{law}》{article}不在基本目录事项「{base_name}」({base_code})的设定依据中(基本目录引用{cited})",
            "设定依据 '{law}' {article} is not cited by the base entry '{base_name}' ({base_code}), which cites {cited}",
        ),
    }

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        for impl in index.implementations:
            base = index.base_by_code.get(impl.basic_code)
            if base is None or not (base.complete and impl.complete):
                continue
            by_law: dict[str, list[str | None]] = {}
            for basis in base.bases:
                if basis.element == "设定依据":
                    by_law.setdefault(basis.law, []).append(basis.article)
            where: dict[str, Any] = {
                "code": impl.code,
                "name": impl.name,
                "base_name": base.name,
                "base_code": base.code,
            }
            for basis in impl.bases:
                if basis.element != "设定依据":
                    continue
                yield from self._check(impl.file, basis, by_law, where)

    def _check(
        self, file: str, basis: BasisRef, by_law: dict[str, list[str | None]], where: dict[str, Any]
    ) -> Iterable[Hit]:
        cited = by_law.get(basis.law)
        if cited is None:
            yield self.hit_in(file, "law", ("设定依据", basis.index, "法律法规名称"), law=basis.law, **where)
        elif not article_covered(basis.article, cited):
            shown = "、".join(a for a in cited if a)
            yield self.hit_in(
                file,
                "article",
                ("设定依据", basis.index, "条款号"),
                law=basis.law,
                article=basis.article,
                cited=shown,
                **where,
            )
