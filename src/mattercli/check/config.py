"""Rule configuration for `validate`: `[tool.mattercli]` in pyproject.toml or the top level of mattercli.toml, read
into a pydantic model, and the per-file rule policy (preset, rules on/off, severities, per-path overrides) built
from it. Mistakes in the file are reported with file:line."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ByteSize, ConfigDict, Field, ValidationError, model_validator

from mattercli.catalogue.catalog import CONFIG_FILE, CatalogError
from mattercli.check.findings import FailOn, Severity
from mattercli.check.proof_review import ReviewOptions

PYPROJECT = "pyproject.toml"
TABLE = ("tool", "mattercli")


class ConfigError(CatalogError):
    """The configuration file is wrong; the message starts with file:line."""


class Preset(str, Enum):
    default = "default"
    #: Every rule on, warnings become errors.
    strict = "strict"


class Level(str, Enum):
    """A severity as written in the config file; `off` turns the rule off."""

    error = "error"
    warning = "warning"
    info = "info"
    off = "off"

    def severity(self) -> Severity | None:
        return None if self is Level.off else Severity(self.value)


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True)


class PathOverride(_Section):
    """`[[tool.mattercli.overrides]]`: rule settings for the files matching `paths` (globs, catalogue-relative)."""

    paths: list[str] = Field(min_length=1)
    enable: list[str] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Level] = Field(default_factory=dict)


class ProofRulesConfig(_Section):
    """`[tool.mattercli.proof-rules]`: options of the 证明事项 rules (docs/validate-ci.md)."""

    #: proof-basis-rank: a basis that is only a 部门规章 / only 规章 including 地方政府规章.
    department_rule: Level = Level.warning
    local_government_rule: Level = Level.error
    #: pledge-scope: domain -> keywords (in 事项名称 or the department); replaces the bundled table when given.
    sensitive_domains: dict[str, list[str]] | None = None

    def review_options(self) -> ReviewOptions:
        domains = (
            {k: tuple(v) for k, v in self.sensitive_domains.items()} if self.sensitive_domains is not None else None
        )
        return ReviewOptions(self.department_rule.severity(), self.local_government_rule.severity(), domains)


class ValidateConfig(_Section):
    """What `[tool.mattercli]` may say about validation (documented in docs/validate-ci.md)."""

    preset: Preset = Preset.default
    enable: list[str] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Level] = Field(default_factory=dict)
    overrides: list[PathOverride] = Field(default_factory=list)
    fail_on: FailOn | None = None
    max_file_size: ByteSize | None = None
    baseline: str | None = None
    #: The catalogue folder, relative to the config file (read by `locate` for every command).
    catalog: str | None = None
    proof_rules: ProofRulesConfig = Field(default_factory=ProofRulesConfig)

    @model_validator(mode="before")
    @classmethod
    def _leave_other_tables(cls, data: Any) -> Any:
        """Sub-tables this model does not know (`[tool.mattercli.edit.fmt]` …) belong to other commands."""
        if isinstance(data, dict):
            known = {_kebab(n) for n in cls.model_fields} | set(cls.model_fields)
            return {k: v for k, v in data.items() if k in known or not isinstance(v, dict)}
        return data


@dataclass
class LoadedConfig:
    """A configuration and where it came from (None: no file, defaults)."""

    config: ValidateConfig = field(default_factory=ValidateConfig)
    path: Path | None = None
    table: tuple[str, ...] = ()

    def resolve(self, value: str) -> Path:
        """A path written in the config file, relative to the file's folder."""
        base = self.path.parent if self.path is not None else Path.cwd()
        return (base / value).resolve()


def git_toplevel(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file for worktrees/submodules)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_config(root: Path) -> tuple[Path, tuple[str, ...]] | None:
    """mattercli.toml at the catalogue root, else a pyproject.toml with [tool.mattercli] at the root or git top."""
    if (root / CONFIG_FILE).is_file():
        return root / CONFIG_FILE, ()
    top = git_toplevel(root)
    for folder in (root, top) if top is not None and top != root else (root,):
        candidate = folder / PYPROJECT
        if candidate.is_file() and "tool.mattercli" in candidate.read_text(encoding="utf-8", errors="replace"):
            return candidate, TABLE
    return None


def load_config(root: Path, explicit: Path | None = None) -> LoadedConfig:
    """The configuration for the catalogue at `root` (or the file `explicit`); raises ConfigError."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"配置文件不存在 / no such config file: {explicit}")
        found: tuple[Path, tuple[str, ...]] | None = (explicit, TABLE if explicit.name == PYPROJECT else ())
    else:
        found = find_config(root)
    if found is None:
        return LoadedConfig()
    path, table = found
    text = path.read_text(encoding="utf-8")
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = f"{where.group(1)}:{where.group(2)}" if where else "1"
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"{path}:{line}: TOML 语法错误 / TOML syntax error: {message}") from exc
    for key in table:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    try:
        config = ValidateConfig.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        field_name = ".".join(str(p) for p in loc) or "-"
        raise ConfigError(
            f"{path}:{locate(text, table + loc)}: [{'.'.join(table) or path.name}] {field_name}: "
            f"{config_message(error)} / {error['msg']}"
        ) from exc
    return LoadedConfig(config, path, table)


def config_message(error: Any) -> str:
    """A pydantic error about a config value, in Chinese (the English follows it in the message)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        return "未知的设置项(拼写错误?见 docs/validate-ci.md 的配置说明)"
    if kind == "missing":
        return "缺少必填的设置项"
    if kind == "enum":
        return f"取值「{value}」无效,可选: {str(ctx.get('expected', '')).replace(' or ', '、')}"
    if kind in ("literal_error",):
        return f"取值「{value}」无效,可选: {str(ctx.get('expected', '')).replace(' or ', '、')}"
    if kind in ("string_type", "str_type"):
        return "应为文本(加引号)"
    if kind in ("list_type", "tuple_type"):
        return '应为列表,如 ["a", "b"]'
    if kind in ("dict_type", "model_type"):
        return "应为表(映射)"
    if kind in ("bool_type", "bool_parsing"):
        return "应为 true 或 false"
    if kind in ("int_type", "int_parsing"):
        return "应为整数"
    if kind.startswith("byte_size"):
        return f'文件大小「{value}」无效,应写作如 "1MB"、"512KB"'
    if kind == "too_short":
        return "不能为空"
    if kind == "value_error":
        return "取值无效"
    return "设置有误"


# ---- where a key is in a TOML text (tomllib gives no positions) ---------------------------------------------------

_KEY = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = re.compile(rf"{_KEY}(?:\s*\.\s*{_KEY})*")
_INLINE_KEY = re.compile(rf"(?:^|[{{,])\s*({_DOTTED.pattern})\s*=")


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_KEY, dotted))


def toml_positions(text: str) -> dict[tuple[str | int, ...], int]:
    """1-based line of every table, array-of-tables item and key of a TOML text (keys inside inline tables too)."""
    positions: dict[tuple[str | int, ...], int] = {}
    current: tuple[str | int, ...] = ()
    counts: dict[tuple[str | int, ...], int] = {}
    open_brackets = 0
    in_string: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if in_string is not None:
            if in_string in line:
                in_string = None
            continue
        if open_brackets > 0:
            open_brackets += line.count("[") - line.count("]")
            continue
        if not line or line.startswith("#"):
            continue
        if m := re.match(r"\[\[\s*(.+?)\s*\]\]", line):
            table: tuple[str | int, ...] = _split(m.group(1))
            counts[table] = counts.get(table, -1) + 1
            current = (*table, counts[table])
            positions.setdefault(table, number)
            positions[current] = number
            continue
        if m := re.match(r"\[\s*(.+?)\s*\]", line):
            current = _split(m.group(1))
            positions.setdefault(current, number)
            continue
        if m := re.match(rf"({_DOTTED.pattern})\s*=\s*(.*)$", line):
            key = (*current, *_split(m.group(1)))
            positions.setdefault(key, number)
            value = m.group(2)
            if value.startswith("{"):
                for inner in _INLINE_KEY.finditer(value):
                    positions.setdefault((*key, *_split(inner.group(1))), number)
            elif value.startswith("["):
                open_brackets = value.count("[") - value.count("]")
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    in_string = quote
    return positions


def locate(text: str, loc: tuple[str | int, ...]) -> int:
    """The line of `loc` in a TOML text, or of its nearest ancestor that is there (1 when none is)."""
    positions = toml_positions(text)
    probe = tuple(loc)
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return 1


# ---- the rule policy --------------------------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A catalogue-relative glob: `*` and `?` stay within a folder, `**/` spans folders, `[…]` is a class."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (end := pattern.find("]", i + 1)) > i:
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass
class RulePolicy:
    """Which rules run, at which severity, for which file: preset, then the config, then per-path overrides (in
    order), then the command line."""

    base: dict[str, Severity | None]
    overrides: list[tuple[tuple[re.Pattern[str], ...], dict[str, Severity | None]]] = field(default_factory=list)
    command_line: dict[str, Severity | None] = field(default_factory=dict)
    _matched: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def _overrides_for(self, file: str) -> tuple[int, ...]:
        found = self._matched.get(file)
        if found is None:
            found = tuple(i for i, (globs, _) in enumerate(self.overrides) if any(g.match(file) for g in globs))
            self._matched[file] = found
        return found

    def severity(self, rule_id: str, file: str | None = None) -> Severity | None:
        if rule_id in self.command_line:
            return self.command_line[rule_id]
        level = self.base.get(rule_id)
        if file is not None and self.overrides:
            for i in self._overrides_for(file):
                level = self.overrides[i][1].get(rule_id, level)
        return level

    def enabled_anywhere(self, rule_id: str) -> bool:
        if rule_id in self.command_line:
            return self.command_line[rule_id] is not None
        return self.base.get(rule_id) is not None or any(
            settings.get(rule_id) is not None for _, settings in self.overrides
        )

    def fingerprint(self) -> str:
        """Changes whenever any file's effective rule settings could change (part of the cache key)."""

        def show(levels: dict[str, Severity | None]) -> dict[str, str]:
            return {k: v.value if v else "off" for k, v in sorted(levels.items())}

        doc = {
            "base": show(self.base),
            "overrides": [[[g.pattern for g in globs], show(levels)] for globs, levels in self.overrides],
            "cli": show(self.command_line),
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Severity
    #: False for rules that only run when enabled (config `enable`, `--enable`) or under the `strict` preset.
    default_enabled: bool = True


def _levels(
    preset: dict[str, Severity], enable: Iterable[str], disable: Iterable[str], severity: dict[str, Level]
) -> dict[str, Severity | None]:
    out: dict[str, Severity | None] = {}
    for rule_id in disable:
        out[rule_id] = None
    for rule_id in enable:
        out[rule_id] = preset[rule_id]
    for rule_id, level in severity.items():
        out[rule_id] = level.severity()
    return out


def check_rule_ids(loaded: LoadedConfig, known: Iterable[str]) -> None:
    """Every rule id the config names exists; raises ConfigError at the line that names an unknown one."""
    known_ids = set(known)
    config = loaded.config
    places: list[tuple[tuple[str | int, ...], Iterable[str]]] = [
        (("enable",), config.enable),
        (("disable",), config.disable),
        (("severity",), config.severity),
    ]
    for i, override in enumerate(config.overrides):
        places += [
            (("overrides", i, "enable"), override.enable),
            (("overrides", i, "disable"), override.disable),
            (("overrides", i, "severity"), override.severity),
        ]
    for loc, ids in places:
        for rule_id in ids:
            if rule_id not in known_ids:
                assert loaded.path is not None
                text = loaded.path.read_text(encoding="utf-8")
                key = (*loc, rule_id) if loc[-1] == "severity" else loc
                raise ConfigError(
                    f"{loaded.path}:{locate(text, loaded.table + key)}: 未知规则 / unknown rule: {rule_id}"
                    "(用 `mattercli rules` 查看全部规则)"
                )


def build_policy(
    loaded: LoadedConfig,
    rules: Iterable[RuleInfo],
    preset: Preset | None = None,
    cli_disable: Iterable[str] = (),
    cli_enable: Iterable[str] = (),
    cli_severity: dict[str, Severity | None] | None = None,
) -> RulePolicy:
    """The rule policy from a loaded config and command-line choices (which win over the file)."""
    by_id = {r.id: r for r in rules}
    check_rule_ids(loaded, by_id)
    config = loaded.config
    chosen = preset or config.preset
    preset_levels: dict[str, Severity] = {}
    for rule in by_id.values():
        strict_up = chosen is Preset.strict and rule.severity is Severity.WARNING
        preset_levels[rule.id] = Severity.ERROR if strict_up else rule.severity
    base: dict[str, Severity | None] = dict(preset_levels)
    if chosen is not Preset.strict:
        base.update({r.id: None for r in by_id.values() if not r.default_enabled})
    base.update(_levels(preset_levels, config.enable, config.disable, config.severity))
    overrides = [
        (
            tuple(glob_regex(p) for p in o.paths),
            _levels(preset_levels, o.enable, o.disable, o.severity),
        )
        for o in config.overrides
    ]
    command_line: dict[str, Severity | None] = {r: preset_levels[r] for r in cli_enable}
    command_line.update({r: None for r in cli_disable})
    command_line.update(cli_severity or {})
    return RulePolicy(base, overrides, command_line)
