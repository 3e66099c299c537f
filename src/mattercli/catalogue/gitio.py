"""Every git call lives here: resolving revisions, listing a tree, reading blobs through one persistent
`git cat-file --batch` process, and the files changed between two trees (renames detected)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import git

#: The pseudo-revision meaning "the files on disk".
WORKTREE = ":worktree"


class GitError(Exception):
    """A git operation failed; the message is for the user (`en`: in English, when given)."""

    def __init__(self, message: str = "", en: str | None = None) -> None:
        super().__init__(message)
        self.en = en


class GitCorrupt(GitError):
    """An object the repository lists cannot be read (damaged or missing from the object store)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One changed file between two trees: status A (added), D (deleted), M (modified) or R (renamed)."""

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""


@dataclass(frozen=True, slots=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    date: str  # ISO 8601
    subject: str


class GitRepo:
    """A git work tree; paths given to and returned by its methods are relative to its top level."""

    def __init__(self, path: Path) -> None:
        try:
            self.repo = git.Repo(path, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise GitError(f"不是 git 仓库: {path}", f"not a git repository: {path}") from exc
        if self.repo.working_tree_dir is None:
            raise GitError(f"裸仓库没有工作区: {path}", f"a bare repository has no work tree: {path}")
        self.toplevel = Path(self.repo.working_tree_dir).resolve()
        self._batch: subprocess.Popen[bytes] | None = None

    def close(self) -> None:
        if self._batch is not None:
            if self._batch.stdin:
                self._batch.stdin.close()
            self._batch.wait(timeout=10)
            if self._batch.stdout:
                self._batch.stdout.close()
            self._batch = None
        self.repo.close()

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _git(self, *args: str) -> bytes:
        try:
            return subprocess.run(["git", "-C", str(self.toplevel), *args], check=True, capture_output=True).stdout
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} 失败: {message[-1] if message else exc.returncode}") from exc

    def relative(self, path: Path) -> str:
        """`path` relative to the top level, as git names it ('' for the top level itself)."""
        rel = path.resolve().relative_to(self.toplevel).as_posix()
        return "" if rel == "." else rel

    def resolve(self, rev: str) -> str:
        """The full commit id of `rev` (a commit, branch, tag or expression such as HEAD~2)."""
        try:
            return self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
        except GitError as exc:
            raise GitError(f"找不到修订版本「{rev}」", f"unknown revision '{rev}'") from exc

    def unborn(self, rev: str) -> bool:
        """True when `rev` is HEAD (or the current branch) of a repository with no commit yet: a first commit,
        where everything in the work tree is new."""
        if rev not in ("HEAD", "@"):
            try:
                branch = self._git("symbolic-ref", "--quiet", "--short", "HEAD").decode().strip()
            except GitError:
                return False
            if rev != branch:
                return False
        try:
            self._git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitError:
            try:
                self._git("symbolic-ref", "--quiet", "HEAD")
            except GitError:
                return False  # a detached HEAD always names a commit
            return True
        return False

    def empty_tree(self) -> str:
        """The id of the empty tree (in this repository's hash algorithm)."""
        try:
            proc = subprocess.run(
                ["git", "-C", str(self.toplevel), "hash-object", "-t", "tree", "--stdin"],
                input=b"",
                check=True,
                capture_output=True,
            )
        except subprocess.CalledProcessError as exc:
            raise GitError("git hash-object 失败") from exc
        return proc.stdout.decode().strip()

    def merge_base(self, rev: str, other: str = "HEAD") -> str:
        """The best common ancestor of `rev` and `other` (what `git diff rev...other` compares with)."""
        commit = self.resolve(rev)
        try:
            return self._git("merge-base", commit, self.resolve(other)).decode().strip()
        except GitError as exc:
            raise GitError(f"「{rev}」与 {other} 没有共同祖先(merge base) / no merge base with {other}") from exc

    def ls_tree(self, rev: str, subdir: str = "") -> dict[str, str]:
        """path -> blob id of every file under `subdir` at `rev`."""
        args = ["ls-tree", "-r", "-z", "--full-tree", self._treeish(rev)]
        if subdir:
            args += ["--", subdir]
        out: dict[str, str] = {}
        for record in self._git(*args).split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            _mode, kind, sha = meta.decode().split(" ")
            if kind == "blob":
                out[name.decode("utf-8", "surrogateescape")] = sha
        return out

    def _treeish(self, rev: str) -> str:
        """A commit id, or a tree id passed through (the empty tree of a first commit)."""
        if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", rev):
            kind = self._git("cat-file", "-t", rev).decode().strip()
            if kind == "tree":
                return rev
        return self.resolve(rev)

    def shallow_commits(self) -> frozenset[str]:
        """The boundary commits of a shallow clone (their parents were not fetched); empty for a full clone."""
        path = Path(self._git("rev-parse", "--git-path", "shallow").decode().strip())
        if not path.is_absolute():
            path = self.toplevel / path
        try:
            return frozenset(path.read_text(encoding="ascii").split())
        except OSError:
            return frozenset()

    def read_blob(self, sha: str) -> bytes:
        """One blob's bytes through the persistent `cat-file --batch` process."""
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "-C", str(self.toplevel), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a damaged object is reported as GitCorrupt, not as zlib chatter
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(sha.encode() + b"\n")
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            self._missing(sha)
        size = int(header[2])
        data = self._batch.stdout.read(size)
        self._batch.stdout.read(1)  # the newline after each object
        return data

    def _missing(self, name: str) -> None:
        """Raise for an object `cat-file --batch` could not give: GitCorrupt when the repository names it (a listed
        blob id, or `rev:path` that resolves) but its content cannot be read, else GitError (no such object)."""
        listed = re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", name) is not None
        if not listed:
            done = subprocess.run(
                ["git", "-C", str(self.toplevel), "rev-parse", "--verify", "--quiet", name],
                capture_output=True,
            )
            listed = done.returncode == 0
        if listed:
            raise GitCorrupt(
                f"git 对象已损坏或缺失: {name}(请运行 git fsck 检查仓库) / "
                f"git object damaged or missing: {name} (run git fsck)"
            )
        raise GitError(f"git 对象不存在: {name}")

    def read_blobs(self, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        for sha in shas:
            yield sha, self.read_blob(sha)

    def read_file(self, rev: str, path: str) -> bytes | None:
        """A file's bytes at `rev`, or None when it does not exist there."""
        tree = self.ls_tree(rev, path)
        sha = tree.get(path)
        return None if sha is None else self.read_blob(sha)

    def diff_trees(self, old: str, new: str, subdir: str = "") -> list[Change]:
        """Files changed from commit `old` to commit `new` under `subdir` (git diff-tree, renames found)."""
        args = ["diff-tree", "-r", "-z", "-M", "--no-commit-id", self.resolve(old), self.resolve(new)]
        if subdir:
            args += ["--", subdir]
        return _parse_raw_diff(self._git(*args))

    def diff_worktree(self, old: str, subdir: str = "") -> list[Change]:
        """Files changed from commit `old` to the work tree (tracked changes and untracked, unignored files)."""
        args = ["diff", "--raw", "-z", "-M", "--no-abbrev", self._treeish(old)]
        if subdir:
            args += ["--", subdir]
        changes = _parse_raw_diff(self._git(*args))
        untracked = self._git("ls-files", "-z", "--others", "--exclude-standard", "--", subdir or ".")
        for name in untracked.split(b"\0"):
            if name:
                changes.append(Change("A", None, name.decode("utf-8", "surrogateescape"), None, None))
        return changes

    def log(self, paths: Iterable[str] = (), rev: str = "HEAD", follow: bool = False) -> list[CommitInfo]:
        """Commits reachable from `rev` that touched `paths`, newest first."""
        args = ["log", "-z", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s", rev]
        if follow:
            args.insert(1, "--follow")
        path_list = list(paths)
        if path_list:
            args += ["--", *path_list]
        out = []
        for record in self._git(*args).decode("utf-8", "replace").split("\0"):
            record = record.strip("\n")
            if record:
                sha, author, email, date, subject = record.split("\x1f", 4)
                out.append(CommitInfo(sha, author, email, date, subject))
        return out

    def messages(self, old: str, new: str, paths: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(commit id, full message) of the commits in `old..new` that touched `paths`, newest first."""
        args = ["log", "-z", "--format=%H%x1f%B", f"{self.resolve(old)}..{self.resolve(new)}"]
        path_list = list(paths)
        if path_list:
            args += ["--", *path_list]
        out = []
        for record in self._git(*args).decode("utf-8", "replace").split("\0"):
            record = record.strip("\n")
            if record:
                sha, _, body = record.partition("\x1f")
                out.append((sha, body))
        return out

    def commit(self, rev: str) -> CommitInfo:
        found = self.log(rev=self.resolve(rev) + "^!")
        return found[0]

    def tag_at(self, rev: str) -> str | None:
        """The tag naming commit `rev` (the highest version when several do), or None: a release's name."""
        out = self._git("tag", "--points-at", self.resolve(rev), "--sort=-v:refname").decode("utf-8", "replace")
        tags = [t for t in out.splitlines() if t.strip()]
        return tags[0] if tags else None


def _parse_raw_diff(raw: bytes) -> list[Change]:
    """Parse `git diff --raw -z` output: ':oldmode newmode oldsha newsha STATUS\\0path[\\0newpath]\\0'."""
    parts = raw.split(b"\0")
    out: list[Change] = []
    i = 0
    zero = "0" * 40
    while i < len(parts) and parts[i]:
        meta = parts[i].decode().lstrip(":").split(" ")
        old_sha, new_sha, status = meta[2], meta[3], meta[4]
        kind = status[0]
        first = parts[i + 1].decode("utf-8", "surrogateescape")
        if kind in "RC":
            second = parts[i + 2].decode("utf-8", "surrogateescape")
            out.append(Change("R" if kind == "R" else "A", first if kind == "R" else None, second, old_sha, new_sha))
            i += 3
            continue
        old_blob = None if old_sha == zero else old_sha
        new_blob = None if new_sha == zero else new_sha
        if kind == "A":
            out.append(Change("A", None, first, None, new_blob))
        elif kind == "D":
            out.append(Change("D", first, None, old_blob, None))
        else:
            out.append(Change("M", first, first, old_blob, new_blob))
        i += 2
    return out
