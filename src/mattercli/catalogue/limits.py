"""Resource limits on what mattercli reads: a hostile or broken file is refused with a message naming it, before
it can take minutes or gigabytes. Defaults fit the largest real lists with a wide margin; each can be changed in
`[tool.mattercli.catalogue.limits]` (pyproject.toml) or `[limits]` (mattercli.toml) — see docs/limits.md.

| key | default | what |
|---|---|---|
| `sheet-rows` | 200,000 | rows of an imported sheet (XLSX or CSV) |
| `sheet-columns` | 1,000 | columns of an imported sheet |
| `cell-chars` | 32,767 | characters in one cell (Excel's own limit) |
| `xlsx-uncompressed-bytes` | 256 MiB | the XLSX file's parts, uncompressed (zip bombs) |
| `xlsx-shared-strings` | 2,000,000 | entries of the workbook's shared-string table |
| `yaml-keys-per-mapping` | 10,000 | keys in one YAML mapping (a matter has about 40) |
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from mattercli.catalogue.catalog import CatalogError

TABLE = "limits"


class LimitError(Exception):
    """A file exceeds a limit; the message names the file, the limit and how to raise it."""


@dataclass(frozen=True)
class Limits:
    sheet_rows: int = 200_000
    sheet_columns: int = 1_000
    cell_chars: int = 32_767
    xlsx_uncompressed_bytes: int = 256 * 1024 * 1024
    xlsx_shared_strings: int = 2_000_000
    yaml_keys_per_mapping: int = 10_000

    @staticmethod
    def key(name: str) -> str:
        return name.replace("_", "-")


def _config_file(root: Path) -> tuple[Path, tuple[str, ...]] | None:
    from mattercli.check.config import find_config  # config imports catalog; limits stay importable from anywhere

    return find_config(root)


def load_limits(root: Path) -> Limits:
    """The limits for the catalogue at `root`: defaults, changed by the config file's limits table."""
    found = _config_file(root)
    if found is None:
        return Limits()
    path, table = found
    text = path.read_text(encoding="utf-8")
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return Limits()  # the config loader reports the syntax error with its line
    for key in (*table, TABLE):
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict) or not data:
        return Limits()
    known = {Limits.key(f.name): f.name for f in fields(Limits)}
    values: dict[str, int] = {}
    for key, value in data.items():
        line = _line(text, key)
        if key not in known:
            raise CatalogError(
                f"{path}:{line}: [{'.'.join((*table, TABLE))}] 未知限制 / unknown limit: {key}"
                f"(可用: {', '.join(known)})"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise CatalogError(f"{path}:{line}: {key} 应为正整数 / must be a positive integer: {value!r}")
        values[known[key]] = value
    return Limits(**values)


def _line(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def refuse(file: str, what_zh: str, what_en: str, found: int, key: str, limit: int) -> LimitError:
    """The error for `file` exceeding limit `key`."""
    return LimitError(
        f"{file}: {what_zh} {found:,} 超过上限 {limit:,}(可在配置 [tool.mattercli.catalogue.limits] {key} 中调整) / "
        f"{what_en} {found:,} exceeds the limit of {limit:,} (limits.{key} in the configuration)"
    )
