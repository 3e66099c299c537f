"""Which catalogue a command works on — found the same way by every command.

Order: `--catalog DIR`; the catalogue holding the paths the command was given; walking up from the current folder
(or from a given folder that is not in a catalogue): a config file naming one (`catalog = "…"` in
`[tool.mattercli]` of pyproject.toml, or at the top of mattercli.toml), else the folder itself when it is a
catalogue; finally a single `catalog/` below the repository root. A path that does not exist is an error at once
(nothing is walked), and so is a place where no catalogue is found.

A folder is a catalogue when it holds `registry/`, or a mattercli.toml that does not point elsewhere.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mattercli.catalogue.catalog import CONFIG_FILE, REGISTRY_DIR, CatalogError, is_catalogue

PYPROJECT = "pyproject.toml"
CATALOG_KEY = "catalog"
DEFAULT_FOLDER = "catalog"


class Found(StrEnum):
    """How the catalogue was found."""

    OPTION = "option"  # --catalog
    PATH = "path"  # the paths given hold it
    CONFIG = "config"  # catalog = "…" in a config file
    CWD = "cwd"  # the current (or given) folder is in it
    REPOSITORY = "repository"  # catalog/ below the repository root


@dataclass(frozen=True)
class CatalogLocation:
    """The catalogue root (resolved), how it was found, and the config file that named it (if one did)."""

    root: Path
    found: Found
    config: Path | None = None

    @property
    def implicit(self) -> bool:
        """Found without the user naming it (worth a note saying which one was used)."""
        return self.found in (Found.CONFIG, Found.REPOSITORY)

    def describe(self, lang: str = "zh") -> str:
        shown = _display(self.root)
        if lang == "en":
            why = {
                Found.CONFIG: f"named by {_display(self.config)}" if self.config else "named by the config",
                Found.REPOSITORY: "the repository's catalog/",
            }.get(self.found, self.found.value)
            return f"catalogue: {shown} ({why})"
        why = {
            Found.CONFIG: f"由 {_display(self.config)} 的 catalog 设置指定" if self.config else "由配置指定",
            Found.REPOSITORY: "仓库根目录下的 catalog/",
        }.get(self.found, self.found.value)
        return f"事项目录: {shown}({why})"


def _display(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)
    return rel + "/" if path.is_dir() and rel != "." else rel


def real_path(path: Path) -> Path:
    """`path` resolved, except a symbolic link itself: a link named on the command line is where it is (the
    commands report it, never follow it)."""
    return path.parent.resolve() / path.name if path.is_symlink() else path.resolve()


def enclosing_catalogue(path: Path) -> Path | None:
    """The nearest catalogue at or above `path` (resolved), or None."""
    here = real_path(path)
    if path.is_symlink() or not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if is_catalogue(folder):
            return folder
    return None


def configured_catalogue(config: Path) -> tuple[str, int] | None:
    """The `catalog = "…"` value of a config file and its line, or None when it names none."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if CATALOG_KEY not in text:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None  # the config loader reports syntax errors with their line
    table: tuple[str, ...] = ("tool", "mattercli") if config.name == PYPROJECT else ()
    for key in table:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    value = data.get(CATALOG_KEY) if isinstance(data, dict) else None
    if value is None:
        return None
    from mattercli.check.config import locate  # config imports catalog; the import stays one-way at load time

    line = locate(text, (*table, CATALOG_KEY))
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{config}:{line}: catalog 应为事项目录的路径(文本) / catalog must be a path string")
    return value, line


def _config_files(folder: Path) -> list[Path]:
    out = []
    if (folder / CONFIG_FILE).is_file():
        out.append(folder / CONFIG_FILE)
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        out.append(pyproject)
    return out


def _git_top(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _from_config(config: Path, value: str, line: int) -> CatalogLocation:
    target = (config.parent / value).resolve()
    if not target.is_dir():
        raise CatalogError(f"{config}:{line}: catalog = {value!r}: 目录不存在 / no such folder: {target}")
    if not is_catalogue(target):
        raise CatalogError(
            f"{config}:{line}: catalog = {value!r}: {target} 不是事项目录(没有 {REGISTRY_DIR}/ 或 {CONFIG_FILE})"
        )
    return CatalogLocation(target, Found.CONFIG, config)


def discover(start: Path) -> CatalogLocation:
    """The catalogue for work started in the folder `start` (see the module docstring); CatalogError if none."""
    start = start.resolve()
    if not start.is_dir():
        start = start.parent
    top = _git_top(start)
    for folder in (start, *start.parents):
        for config in _config_files(folder):
            named = configured_catalogue(config)
            if named is not None:
                return _from_config(config, *named)
        if is_catalogue(folder):
            return CatalogLocation(folder, Found.CWD)
        if folder == top:
            break
    for base in dict.fromkeys(x for x in (top, start) if x is not None):
        candidate = base / DEFAULT_FOLDER
        if candidate.is_dir() and is_catalogue(candidate):
            return CatalogLocation(candidate.resolve(), Found.REPOSITORY)
    nearby = _catalogues_below(top or start)
    hint = ";在其下找到: " + "、".join(nearby[:5]) if nearby else ""
    raise CatalogError(
        f"{_display(start)} 不在事项目录中,仓库根目录下也没有 {DEFAULT_FOLDER}/(事项目录须有 {REGISTRY_DIR}/ 或 "
        f'{CONFIG_FILE}){hint}。请用 --catalog 指定,或在 pyproject.toml 的 [tool.mattercli] 写 catalog = "…" '
        f"/ no catalogue here: use --catalog DIR"
    )


def _catalogues_below(base: Path, depth: int = 3) -> list[str]:
    found: list[str] = []
    level = [base]
    for _ in range(depth):
        below = []
        for folder in level:
            try:
                children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
            except OSError:
                continue
            for child in children:
                if is_catalogue(child):
                    found.append(_display(child))
                else:
                    below.append(child)
        level = below[:200]
    return found


def locate_catalog(catalog: Path | None = None, paths: Sequence[Path] = ()) -> CatalogLocation:
    """The catalogue a command works on: `catalog` (--catalog), else the one holding `paths`, else discovery from
    the current folder. Every path must exist and lie in that one catalogue."""
    for path in (*([catalog] if catalog is not None else []), *paths):
        if not path.exists() and not path.is_symlink():
            raise CatalogError(f"路径不存在 / no such file or folder: {path}", f"no such file or folder: {path}")
    if catalog is not None:
        root = enclosing_catalogue(catalog)
        if root is None:
            raise CatalogError(
                f"{catalog} 不是事项目录(没有 {REGISTRY_DIR}/ 或 {CONFIG_FILE}) / not a catalogue: {catalog}",
                f"{catalog} is not a catalogue (no {REGISTRY_DIR}/ or {CONFIG_FILE})",
            )
        location = CatalogLocation(root, Found.OPTION)
    elif paths:
        roots = {enclosing_catalogue(p) for p in paths}
        if None in roots or len(roots) != 1:
            location = discover(paths[0])
        else:
            (root,) = roots
            assert root is not None
            location = CatalogLocation(root, Found.PATH)
    else:
        return discover(Path.cwd())
    for path in paths:
        check_inside(location.root, path)
    return location


def check_inside(root: Path, path: Path) -> None:
    """A path the command was given must be in the catalogue (or hold it: `validate .` at the repository root)."""
    resolved = real_path(path)
    if resolved == root or root in resolved.parents or resolved in root.parents:
        if resolved != root and root not in resolved.parents:
            return
        owner = enclosing_catalogue(resolved)
        if owner is not None and owner != root:
            raise CatalogError(
                f"{path} 属于另一个事项目录 {_display(owner)},不属于 {_display(root)}",
                f"{path} belongs to another catalogue, {_display(owner)}, not {_display(root)}",
            )
        return
    raise CatalogError(
        f"{path} 不在事项目录 {_display(root)} 中 / not in the catalogue {root}",
        f"{path} is not in the catalogue {root}",
    )


def scope_paths(root: Path, paths: Sequence[Path]) -> list[Path]:
    """The given paths as the command should walk them: a folder holding the catalogue stands for the catalogue."""
    out = []
    for path in paths:
        resolved = path.resolve()
        out.append(root if resolved in root.parents else path)
    return out or [root]
