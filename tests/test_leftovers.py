"""After `kill -9` (issue 25 item 8), with real processes: worker processes die with their parent, and the next run
removes the temporary files and export staging folders the dead run left — never a live run's."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

MINI = Path(__file__).parent / "fixtures" / "mini"
MATTERCLI = str(Path(sys.executable).parent / "mattercli")

#: A writer frozen between writing its temporary file and renaming it over the target: the moment a kill -9
#: leaves debris. (The kill and the process are real; only the rename is held back so the moment is certain.)
FROZEN_WRITE = """
import os, sys, time
from pathlib import Path
from mattercli.catalogue import fsutil
def hold(*args):
    print("ready", flush=True)
    time.sleep(600)
os.replace = hold
fsutil.atomic_write_bytes(Path(sys.argv[1]), b"x" * 100_000)
"""

FROZEN_EXPORT = """
import sys, time
from pathlib import Path
from mattercli.export.output import AtomicTree
with AtomicTree(Path(sys.argv[1])) as writer:
    writer.write("a.txt", b"half an export")
    print("ready", flush=True)
    time.sleep(600)
"""


def catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    return root


def killed(script: str, *args: str) -> None:
    """Run `script`, wait until it says ready, kill -9 it."""
    with subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MATTERCLI, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_the_next_run_removes_a_killed_writers_temporary_file(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    for command in (("validate", "."), ("fmt", ".")):
        killed(FROZEN_WRITE, str(root / "base" / "000104001000.yaml"))
        left = temporaries(root / "base")
        assert len(left) == 1 and left[0].startswith(".000104001000.yaml.mc"), left
        live = root / "base" / f".000104002000.yaml.mc{os.getpid()}.abc.tmp"  # this test process is alive
        live.write_bytes(b"in progress")
        run(root, *command)
        assert temporaries(root / "base") == [live.name], command
        live.unlink()


def test_the_next_export_removes_a_killed_exports_staging_folder(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    shutil.copytree(Path(__file__).parent.parent / "catalog" / "lists", root / "lists")
    target = tmp_path / "exp"
    killed(FROZEN_EXPORT, str(target))
    staged = [p.name for p in tmp_path.iterdir() if p.name.startswith(".exp.export-")]
    assert len(staged) == 1
    done = run(root, "export", ".", "-o", str(target), "-f", "csv")
    assert done.returncode == 0, done.stderr
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".exp.")]
    assert (target / "csv").is_dir()


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            continue
    return out


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has stopped running; only its exit status is left


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    root = catalogue(tmp_path)
    text = (root / "base" / "000104001000.yaml").read_text(encoding="utf-8")
    slow = text.replace("行使层级: [地市级, 区县级]", "行使层级: [地市级,  区县级]") + "".join(
        f"# 注释 {i}\n" for i in range(3000)
    )
    for i in range(1200):  # enough work that the workers are still busy when their parent is killed
        (root / "base" / f"x{i:04d}.yaml").write_text(slow, encoding="utf-8")
    proc = subprocess.Popen([MATTERCLI, "fmt", ".", "-j", "2"], cwd=root, stdout=subprocess.DEVNULL)
    children: set[int] = set()
    for _ in range(600):
        children = _children(proc.pid)
        if len(children) >= 2 or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert children, "fmt did not start worker processes"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):  # the kernel kills them at once; allow a loaded machine a moment to reap
        if all(_gone(c) for c in children):
            break
        time.sleep(0.02)
    alive = [c for c in children if not _gone(c)]
    for c in alive:
        os.kill(c, signal.SIGKILL)
    assert not alive, "worker processes outlived their killed parent"
