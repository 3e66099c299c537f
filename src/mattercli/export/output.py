"""Writing an export atomically: the whole tree is built in a temporary directory beside the target and then
swapped in (one renameat2 RENAME_EXCHANGE where the system has it), so a failed export leaves the previous one
intact. Every file name is checked to stay inside the tree; an existing directory is replaced only when it is
empty or a previous mattercli export (it has our manifest.json), never a symlink."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from mattercli.catalogue import leftovers

MANIFEST = "manifest.json"
_SAFE_PART = re.compile(r"^[^/\\\x00-\x1f\x7f:*?\"<>|]{1,200}$")
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$", re.IGNORECASE)


class OutputError(OSError):
    """The export cannot be written where asked; the message says why (`en`: in English). Nothing was changed."""

    def __init__(self, message: str, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en


def check_name(part: str, what: str = "文件名", what_en: str | None = None) -> str:
    """`part` if it is one safe path component, else OutputError (path traversal, separators, control chars)."""
    if (
        part in (".", "..")
        or part.startswith(".")
        or part != part.strip()
        or not _SAFE_PART.match(part)
        or _WINDOWS_RESERVED.match(part)
    ):
        raise OutputError(
            f"{what}「{part}」不能用作文件名(含路径分隔符、.. 或控制字符等);请在清单定义中设置「文件名」",
            f"{what_en or 'the name'} '{part}' cannot be a file name (a path separator, .., a control character …); "
            "set 文件名 in the list definition",
        )
    return part


class TextSink:
    """Text for one file: collected, then encoded, hashed and written about a megabyte at a time."""

    FLUSH_AT = 1 << 20  # characters

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self._pieces: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._pieces.append(text)
        self._size += len(text)
        if self._size >= self.FLUSH_AT:
            self.flush()
        return len(text)

    def join(self, separator: str, pieces: Iterable[str]) -> None:
        """Write what `separator.join(pieces)` would give, one piece at a time."""
        first = True
        for piece in pieces:
            if not first:
                self.write(separator)
            self.write(piece)
            first = False

    def flush(self) -> None:
        data = "".join(self._pieces).encode("utf-8")
        self._pieces, self._size = [], 0
        self._digest.update(data)
        self._handle.write(data)

    def hexdigest(self) -> str:
        """sha256 of what was flushed."""
        return self._digest.hexdigest()


class TreeWriter:
    """Files of one export, written under `root` (a fresh temporary directory); sha256 of each is kept."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hashes: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._checked_dirs: set[Path] = set()

    def _create(self, rel: str) -> BinaryIO:
        """A new file at `rel`, after checking its name (inside the tree, not written before in any case)."""
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute():
            raise OutputError(f"文件名「{rel}」不能用作文件名", f"'{rel}' cannot be a file name")
        for part in parts:
            check_name(part)
        folded = rel.casefold()
        if folded in self._folded:  # a.csv and A.csv are one file on case-insensitive systems
            raise OutputError(
                f"两个导出文件同名: {self._folded[folded]} 与 {rel}",
                f"two exported files have the same name: {self._folded[folded]} and {rel}",
            )
        self._folded[folded] = rel
        path = self.root.joinpath(*parts)
        if path.parent not in self._checked_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            resolved, root = path.parent.resolve(), self.root.resolve()
            if resolved != root and root not in resolved.parents:
                raise OutputError(f"文件「{rel}」会写到导出目录之外", f"'{rel}' would be written outside the export")
            self._checked_dirs.add(path.parent)
        # O_EXCL | O_NOFOLLOW: never through a symlink, never over a file written earlier in this export.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        return os.fdopen(fd, "wb")

    def write(self, rel: str, data: bytes) -> None:
        with self._create(rel) as handle:
            handle.write(data)
        self.hashes[rel] = hashlib.sha256(data).hexdigest()

    @contextmanager
    def text_stream(self, rel: str) -> Iterator[TextSink]:
        """A UTF-8 text file written piece by piece (`sink.write(text)`), never held whole in memory."""
        with self._create(rel) as handle:
            sink = TextSink(handle)
            yield sink
            sink.flush()
        self.hashes[rel] = sink.hexdigest()

    def merge(self, hashes: dict[str, str]) -> None:
        """Take over files another TreeWriter on the same root wrote (in a worker process)."""
        for rel, digest in hashes.items():
            folded = rel.casefold()
            if folded in self._folded:
                raise OutputError(
                    f"两个导出文件同名: {self._folded[folded]} 与 {rel}",
                    f"two exported files have the same name: {self._folded[folded]} and {rel}",
                )
            self._folded[folded] = rel
            self.hashes[rel] = digest

    def text(self, rel: str, text: str) -> None:
        self.write(rel, text.encode("utf-8"))


def _is_previous_export(target: Path) -> bool:
    manifest = target / MANIFEST
    if manifest.is_symlink() or not manifest.is_file():
        return False
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("tool") == "mattercli"
    except (OSError, ValueError, AttributeError):
        return False


@dataclass(frozen=True, slots=True)
class PreviousExport:
    """What the manifest of an export already in the output folder says: its lists (file stems), formats, the
    commit it came from (None: a work tree) and the digest of the data it was made of (None before it was kept)."""

    lists: tuple[str, ...]
    formats: tuple[str, ...]
    commit: str | None
    label: str
    data_digest: str | None


def previous_export(target: Path) -> PreviousExport | None:
    """The previous mattercli export in `target`, from its manifest; None when there is none (or it is unreadable)."""
    if not _is_previous_export(target):
        return None
    try:
        doc = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        source = doc.get("source") or {}
        return PreviousExport(
            tuple(str(x.get("file") or x.get("name")) for x in doc.get("lists", []) if isinstance(x, dict)),
            tuple(str(f) for f in doc.get("formats", [])),
            source.get("commit") if isinstance(source.get("commit"), str) else None,
            str(source.get("label") or ""),
            doc.get("data_digest") if isinstance(doc.get("data_digest"), str) else None,
        )
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def check_target(target: Path) -> None:
    """Refuse a target that is a symlink, a file, or a directory with other content than a previous export."""
    if target.is_symlink():
        raise OutputError(
            f"导出目录是符号链接,拒绝写入: {target}", f"the output folder is a symbolic link, not written: {target}"
        )
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"导出目标已存在且不是目录: {target}", f"the output exists and is not a folder: {target}")
        if any(target.iterdir()) and not _is_previous_export(target):
            raise OutputError(
                f"导出目录非空且不是 mattercli 的导出(没有 {MANIFEST}),拒绝覆盖: {target}",
                f"the output folder is not empty and not a mattercli export (no {MANIFEST}); not replaced: {target}",
            )


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class AtomicTree:
    """`with AtomicTree(target) as writer:` build the export; on normal exit it replaces `target` as a whole."""

    def __init__(self, target: Path) -> None:
        self.target = Path(os.path.abspath(target))
        check_target(self.target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        leftovers.sweep(self.target.parent, f".{self.target.name}.")  # a killed export's staging folders
        self.tmp = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}.export-{leftovers.marker()}-", dir=self.target.parent)
        )
        os.chmod(self.tmp, 0o755)
        self.writer = TreeWriter(self.tmp)

    def __enter__(self) -> TreeWriter:
        return self.writer

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        try:
            self._commit()
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

    def _commit(self) -> None:
        _fsync_tree(self.tmp)
        check_target(self.target)  # again: the target may have changed while the export was built
        if not self.target.exists():
            os.rename(self.tmp, self.target)
            return
        if _exchange(self.tmp, self.target):
            shutil.rmtree(self.tmp)  # now holds the previous export
            return
        old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-{leftovers.marker()}-", dir=self.target.parent))
        os.rmdir(old)
        os.rename(self.target, old)
        try:
            os.rename(self.tmp, self.target)
        except BaseException:
            os.rename(old, self.target)
            raise
        shutil.rmtree(old)
