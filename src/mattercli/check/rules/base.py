"""What a rule is: an id, a default severity, Chinese and English messages, and a check over one scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from mattercli.check.findings import Severity

if TYPE_CHECKING:
    from mattercli.catalogue.catalog import Registries
    from mattercli.catalogue.yamlio import Document
    from mattercli.check.index import CatalogIndex
    from mattercli.model import BaseEntry, ImplementationEntry
    from mattercli.model.regions import RegionTable


@dataclass(frozen=True, slots=True)
class Message:
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's raw result before it becomes a Finding: message key + args, and where (node path, or file)."""

    rule: str
    key: str
    args: Mapping[str, Any]
    path: tuple[str | int, ...] = ()
    on_key: bool = False
    file: str | None = None
    code: str | None = None
    name: str | None = None
    #: The severity of this hit when it is not the rule's (a rule option decides it, e.g. proof-basis-rank's
    #: department-rule); applies only while the rule is enabled for the file.
    severity: Severity | None = None
    #: A place given directly (1-based), for what is no node of the data (a comment); else `path` locates it.
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Context:
    """What per-document rules may consult besides the document: the registries and the region table."""

    registries: Registries
    regions: RegionTable
    extra: dict[str, Any] = field(default_factory=dict)


class Rule:
    """A check. Subclasses set the class attributes and override the `check_*` methods for their scopes.

    `check_matter` sees one parsed matter, `check_text` one document as written (its text and raw data, also when
    it fails the schema), `check_registry` the registries, `check_catalog` the summaries of all matters; the engine
    calls each one a rule overrides.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    title_en: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    #: False: the rule runs only when enabled (config `enable`, `--enable`) or under the `strict` preset.
    default_enabled: ClassVar[bool] = True
    messages: ClassVar[dict[str, Message]]
    #: Which matter kinds `check_matter` applies to.
    kinds: ClassVar[frozenset[str]] = frozenset({"base", "implementation"})

    def hit(
        self,
        key: str,
        path: tuple[str | int, ...] = (),
        *,
        on_key: bool = False,
        severity: Severity | None = None,
        **args: Any,
    ) -> Hit:
        return Hit(self.id, key, args, path, on_key, severity=severity)

    def hit_in(
        self,
        file: str,
        key: str,
        path: tuple[str | int, ...] = (),
        *,
        code: str | None = None,
        name: str | None = None,
        on_key: bool = False,
        severity: Severity | None = None,
        **args: Any,
    ) -> Hit:
        """A hit in a named file, for checks that look across files."""
        return Hit(self.id, key, args, path, on_key, file=file, code=code, name=name, severity=severity)

    def render(self, key: str, args: Mapping[str, Any]) -> tuple[str, str]:
        message = self.messages[key]
        shown = {k: _show(v) for k, v in args.items()}
        return message.zh.format(**shown), message.en.format(**shown)

    def check_matter(self, matter: BaseEntry | ImplementationEntry, ctx: Context, file: str) -> Iterable[Hit]:
        return ()

    def check_text(self, doc: Document) -> Iterable[Hit]:
        return ()

    def check_registry(self, registries: Registries, ctx: Context) -> Iterable[Hit]:
        return ()

    def check_catalog(self, index: CatalogIndex, ctx: Context) -> Iterable[Hit]:
        return ()

    @classmethod
    def overrides(cls, method: str) -> bool:
        return getattr(cls, method) is not getattr(Rule, method)


def _show(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(_show(v)) for v in value)
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


class FileRule(Rule):
    """A problem with a file as a whole, reported by the loader (yamlio) rather than checked here."""
