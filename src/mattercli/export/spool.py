"""Record files: what the export computes for each matter goes to an unnamed temporary file as it arrives and is
read back one list at a time, so memory never holds every list's rows (or every matter page) at once."""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

_HEADER = struct.Struct("<qI")  # key, length of the data


class RecordSpool:
    """Records (an integer key and bytes) appended to a temporary file that is deleted when closed (or, on POSIX,
    as soon as it is created); read back in order (`records`) or one at a time by position (`read`)."""

    def __init__(self, directory: Path | None = None) -> None:
        # Kept open for the spool's life, closed by `close` (a context manager would close it at once).
        self._file = tempfile.TemporaryFile(prefix=".mattercli-spool-", dir=directory)  # noqa: SIM115
        self._end = 0
        self._at_end = True

    def append(self, key: int, data: bytes) -> int:
        """Add a record; returns its position for `read`."""
        if not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        position = self._end
        self._file.write(_HEADER.pack(key, len(data)))
        self._file.write(data)
        self._end += _HEADER.size + len(data)
        return position

    def read(self, position: int) -> tuple[int, bytes]:
        """The record at `position` (as `append` returned it)."""
        self._at_end = False
        self._file.seek(position)
        key, size = _HEADER.unpack(self._file.read(_HEADER.size))
        return key, self._file.read(size)

    def records(self) -> Iterator[tuple[int, bytes]]:
        """Every record, in the order appended (no `append` or `read` until the iteration ends)."""
        self._at_end = False
        self._file.seek(0)
        position = 0
        while position < self._end:
            key, size = _HEADER.unpack(self._file.read(_HEADER.size))
            yield key, self._file.read(size)
            position += _HEADER.size + size

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._end

    def close(self) -> None:
        self._file.close()


def spool_directory(output: Path) -> Path:
    """Where an export to `output` keeps its record files: beside the output (the disk the export goes to anyway;
    the system temporary directory may be memory-backed)."""
    parent = Path(os.path.abspath(output)).parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent
