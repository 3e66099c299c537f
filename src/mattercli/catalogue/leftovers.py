"""What a run killed with `kill -9` leaves, and how the next run clears it: worker processes die with their parent
(Linux: PR_SET_PDEATHSIG), and temporary files and export staging folders carry the writing process's id, so a
later run removes those whose process is gone — never a live run's.

Names: `.<file>.mc<pid>.<random>.tmp` (fsutil.atomic_write_bytes), `.<folder>.export-mc<pid>-<random>` and
`.<folder>.old-mc<pid>-<random>` (export's staging and swap folders)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
from collections.abc import Iterable
from pathlib import Path


#: The marker in every temporary name this process creates.
def marker(pid: int | None = None) -> str:
    return f"mc{os.getpid() if pid is None else pid}"


_LEFTOVER = re.compile(r"^\..+?\.(?:mc(?P<a>\d+)\.[^/]*\.tmp|(?:export|old)-mc(?P<b>\d+)-[^/]*)$")


def owner(name: str) -> int | None:
    """The process id a temporary name of ours carries, or None when the name is not one of ours."""
    match = _LEFTOVER.match(name)
    if match is None:
        return None
    return int(match.group("a") or match.group("b"))


def alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def is_dead_leftover(name: str) -> bool:
    pid = owner(name)
    return pid is not None and not alive(pid)


def remove(paths: Iterable[str | Path]) -> int:
    """Remove the given leftovers of dead runs (others are left alone); returns how many were removed."""
    removed = 0
    for path in paths:
        path = Path(path)
        if not is_dead_leftover(path.name):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
    return removed


def sweep(folder: Path, prefix: str = ".") -> int:
    """Remove the dead runs' leftovers directly in `folder` whose names start with `prefix`."""
    try:
        with os.scandir(folder) as entries:
            names = [e.path for e in entries if e.name.startswith(prefix) and owner(e.name) is not None]
    except OSError:
        return 0
    return remove(names)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a worker process: be killed when the parent dies, even by SIGKILL (Linux); elsewhere the pool's closed
    pipe ends the worker after its current task."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent or parent == 1:  # the parent died before the request took effect
        os._exit(1)
