"""The generated JSON Schema files in a folder (`mattercli schema DIR`): which are stale, and writing them atomically.

The schemas themselves are the model's (`mattercli.model.schema`); this module is only their files.
"""

from __future__ import annotations

from pathlib import Path

from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.model.schema import all_schemas, render


def stale_schemas(directory: Path) -> list[str]:
    """Schema files under `directory` that differ from what the models generate (or are missing)."""
    stale = []
    for name, schema in all_schemas().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(schema):
            stale.append(name)
    return stale


def write_schemas(directory: Path) -> list[str]:
    """Write every schema file under `directory` (atomically); the names written."""
    written = []
    for name, schema in all_schemas().items():
        atomic_write_text(directory / name, render(schema))
        written.append(name)
    return written
