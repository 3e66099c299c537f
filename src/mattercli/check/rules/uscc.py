"""Rule `uscc`: a unified social credit code (GB 32100-2015) has a correct check character.

Checked for every 实施主体 and every department in the registry. Passing: 91350100M000100Y43.
Failing: 91350203M0001QAY9B (check character should be 9), 17-character truncations.
"""

from __future__ import annotations

from collections.abc import Iterable

from mattercli.catalogue.catalog import Registries
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.model import BaseEntry, ImplementationEntry
from mattercli.model.identifiers import check_uscc


class UsccRule(Rule):
    id = "uscc"
    title, title_en = "统一社会信用代码校验位错误", "invalid unified social credit code"
    kinds = frozenset({"implementation"})
    messages = {
        "check": Message(
            "统一社会信用代码「{value}」校验位错误,按 GB 32100 应为「{expected}」",
            "USCC '{value}' has a wrong check character; GB 32100 gives '{expected}'",
        ),
        "org-check": Message(
            "统一社会信用代码「{value}」中的组织机构代码校验位错误,按 GB 11714 应为「{expected}」",
            "USCC '{value}' embeds an organisation code with a wrong check character (expected '{expected}')",
        ),
        "length": Message("统一社会信用代码「{value}」应为 18 位", "USCC '{value}' must have 18 characters"),
        "alphabet": Message(
            "统一社会信用代码「{value}」含非法字符(不使用 I、O、S、V、Z)",
            "USCC '{value}' uses characters outside GB 32100 (no I O S V Z)",
        ),
    }

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        assert isinstance(matter, ImplementationEntry)
        problem = check_uscc(matter.body.uscc)
        if problem is not None:
            yield self.hit(
                problem.kind, ("实施主体", "统一社会信用代码"), value=matter.body.uscc, expected=problem.expected
            )

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        for i, department in enumerate(registries.departments):
            if department.uscc is None:
                continue
            problem = check_uscc(department.uscc)
            if problem is not None:
                yield self.hit_in(
                    "registry/departments.yaml",
                    problem.kind,
                    ("部门", i, "统一社会信用代码"),
                    name=department.name,
                    value=department.uscc,
                    expected=problem.expected,
                )
