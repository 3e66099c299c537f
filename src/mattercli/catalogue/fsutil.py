"""Atomic file writes: write to a temporary file beside the target, fsync, then rename over it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that readers see the old file or the new one, never half of either."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the process id in the name lets a later run remove it if this one is killed (leftovers.py)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.mc{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


CACHE_IGNORE = "# mattercli cache: never commit\n*\n"


def make_cache_dir(folder: Path) -> Path:
    """Create a cache folder (and its parents) holding a .gitignore that keeps the whole folder out of git."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(CACHE_IGNORE, encoding="utf-8")
    return folder


# ---- reading: regular files only, never through a link, never blocking on a FIFO ------------------------------


class NotRegularFile(OSError):
    """A path that is not a regular file (a FIFO, socket or device): never opened for reading, so never blocks."""

    def __init__(self, path: str | Path, kind: str) -> None:
        super().__init__(f"不是普通文件({kind}) / not a regular file ({kind}): {path}")
        self.kind = kind


class SymlinkRefused(OSError):
    """A symbolic link where a catalogue file was expected: links are reported, never followed."""

    def __init__(self, path: str | Path, target: str) -> None:
        super().__init__(f"符号链接(指向 {target}),未读取 / a symbolic link (to {target}), not read: {path}")
        self.target = target


def file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "directory"),
        (stat.S_ISLNK, "symlink"),
    ):
        if test(mode):
            return name
    return "special file"


def open_regular(path: str | Path, follow: bool = False) -> int:
    """A read-only descriptor of `path`, which must be a regular file: a FIFO is refused without blocking
    (O_NONBLOCK, then fstat) and a symbolic link is refused (O_NOFOLLOW) unless `follow`. Raises OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow and os.path.islink(path):
            raise SymlinkRefused(path, _readlink(path)) from exc
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, file_kind(st.st_mode))
        if not follow and os.path.islink(path):  # no O_NOFOLLOW on this platform
            raise SymlinkRefused(path, _readlink(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _readlink(path: str | Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def read_regular(path: str | Path, follow: bool = False) -> bytes:
    """The bytes of a regular file (see open_regular)."""
    with os.fdopen(open_regular(path, follow), "rb") as handle:
        return handle.read()


def read_inside(root: str | Path, rel: str) -> bytes:
    """The bytes of catalogue file `rel`: a regular file whose real path lies inside `root` (no link on the way
    leads out of the catalogue). Raises FileNotFoundError, SymlinkRefused, NotRegularFile or another OSError."""
    path = os.path.join(root, rel)
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real != path and os.path.commonpath([real_root, real]) != real_root:
        raise SymlinkRefused(path, real)
    return read_regular(path)
