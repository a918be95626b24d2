"""Snapshot of a git repository at one commit, read through git.

The file index comes from ``git ls-tree -r --long`` at the audited commit, so any
commit can be audited without a work tree and the evidence matches the commit
recorded in the audit. Content comes from one long-lived ``git cat-file --batch``,
except for checked-out files whose bytes hash to the committed blob id, which are
read directly (``worktree.py``): the same bytes, without inflating them.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from assay import proc
from assay.errors import SnapshotError
from assay.model import EntryKind, FileEntry, SourceInfo
from assay.snapshot.base import READABLE_KINDS, Commit
from assay.snapshot.language import language_from_name, remember_languages
from assay.snapshot.worktree import WorktreeReader

# Options that keep git from running anything a hostile repository configures: the
# repository's own .git/config is the audited party's, and command-line -c wins over it.
_SAFE_CONFIG = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "protocol.allow=never",
    "-c", "log.showSignature=false",
    "-c", "gpg.program=/bin/false",
    "-c", "gpg.ssh.program=/bin/false",
    "-c", "gpg.x509.program=/bin/false",
    "-c", "gc.auto=0",
    "-c", "maintenance.auto=false",
    "-c", "core.pager=cat",
)  # fmt: skip
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_NO_REPLACE_OBJECTS": "1",  # refs/replace could make a commit show other content
    "LC_ALL": "C",
}

# Large reads from git's pipe: fewer system calls for a repository of many files.
_PIPE_BUFFER = 1024 * 1024

_MODE_KIND = {
    "100644": EntryKind.FILE,
    "100755": EntryKind.EXECUTABLE,
    "120000": EntryKind.SYMLINK,
    "160000": EntryKind.SUBMODULE,
}


def git_args(root: Path, *args: str) -> list[str]:
    return ["git", *_SAFE_CONFIG, "-C", str(root), *args]


def git(
    root: Path, *args: str, timeout: float = 120.0, stdin: bytes | None = None
) -> proc.ProcResult:
    return proc.run(git_args(root, *args), timeout=timeout, env=GIT_ENV, stdin=stdin)


def resolve_commit(root: Path, rev: str) -> tuple[str, str]:
    """Commit and tree ids of ``rev``; a clear error if it names no commit."""
    result = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if not result.ok:
        if rev == "HEAD":
            raise SnapshotError(f"{root}: the repository has no commits yet")
        raise SnapshotError(
            f"{root}: unknown commit '{rev}'",
            hint="give a branch, tag or commit id that exists in this repository",
        )
    commit = result.stdout.decode().strip()
    tree = git(root, "rev-parse", f"{commit}^{{tree}}").stdout.decode().strip()
    return commit, tree


def parse_ls_tree(output: bytes) -> list[FileEntry]:
    """Parse ``git ls-tree -r -z --long`` output into file entries."""
    # Decoded once, not record by record: surrogateescape keeps every distinct byte
    # string distinct (two files can never pass for one), and the separators are ASCII,
    # so each path decodes exactly as it would alone. The result model turns the
    # escapes into \xNN for display.
    entries: list[FileEntry] = []
    readable = READABLE_KINDS
    for record in output.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        mode, _type, blob_id, size = meta.split()
        kind = _MODE_KIND.get(mode, EntryKind.FILE)
        entries.append(
            FileEntry(
                path=path,
                kind=kind,
                blob_id=blob_id,
                size=0 if size == "-" else int(size),
                language=language_from_name(path) if kind in readable else None,
            )
        )
    return entries


class GitHistory:
    def __init__(self, root: Path, commit: str) -> None:
        self._root = root
        self._commit = commit

    def commits_since(self, timestamp: int) -> list[Commit]:
        output = self._git_ok(
            "log", "--no-show-signature", "-z", f"--since=@{timestamp} +0000",
            "--format=%H%x01%ae%x01%ct", self._commit,
        )  # fmt: skip
        commits = []
        for record in output.split(b"\0"):
            if record.strip():
                sha, author, ct = record.decode("utf-8", "replace").strip().split("\x01")
                commits.append(Commit(sha=sha, author=author, timestamp=int(ct)))
        return commits

    def last_commit_time(self) -> int:
        return self._commit_time(self._commit)

    def first_commit_time(self) -> int:
        roots = self._git_ok("rev-list", "--max-parents=0", self._commit).split()
        return min(self._commit_time(root.decode()) for root in roots)

    def _commit_time(self, commit: str) -> int:
        return int(self._git_ok("log", "--no-show-signature", "-1", "--format=%ct", commit))

    def _git_ok(self, *args: str) -> bytes:
        # A failure here must make the check error, not read as "time 0".
        result = git(self._root, *args)
        if not result.ok:
            raise SnapshotError(f"{self._root}: git {args[0]} failed: {result.stderr_text()}")
        return result.stdout


class GitSnapshot:
    """A git repository at one commit."""

    def __init__(self, root: Path, *, rev: str = "HEAD", list_early: bool = False) -> None:
        """``list_early`` starts listing the commit at once, in the background, for a
        caller that will need :attr:`entries` and has other work to do first."""
        self.root = root
        commit, tree = resolve_commit(root, rev)
        self._entries: Sequence[FileEntry] | None = None
        self.source = SourceInfo(
            kind="git", commit=commit, tree=tree, ref=None if rev == "HEAD" else rev
        )
        self._commit = commit
        self._batch: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._worktree = WorktreeReader(root)
        self._listing: proc.Started | None = None
        if list_early:
            self._listing = proc.start(git_args(root, *self._ls_tree()), env=GIT_ENV)

    def _ls_tree(self) -> tuple[str, ...]:
        return ("ls-tree", "-r", "-z", "--long", "--full-tree", self._commit)

    @property
    def entries(self) -> Sequence[FileEntry]:
        # Listed on first use (unless asked early): a re-audit answered from the cache
        # never needs the index.
        if self._entries is None:
            started, self._listing = self._listing, None
            listing = started.result() if started is not None else git(self.root, *self._ls_tree())
            if not listing.ok:
                raise SnapshotError(
                    f"{self.root}: cannot list commit {self._commit}: {listing.stderr_text()}"
                )
            self._entries = parse_ls_tree(listing.stdout)
            remember_languages()
        return self._entries

    def _batch_process(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            import os

            self._batch = subprocess.Popen(  # noqa: S603 (git, an argument list)
                git_args(self.root, "cat-file", "--batch"),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=_PIPE_BUFFER,
                env={**os.environ, **GIT_ENV},
            )
        return self._batch

    def read_blobs(self, entries: Iterable[FileEntry]) -> Iterator[tuple[FileEntry, bytes]]:
        wanted = [e for e in entries if e.kind in READABLE_KINDS and e.blob_id]
        # Unchanged checked-out files first (no inflating); the rest through git.
        from_git = []
        for entry in wanted:
            data = self._worktree.read(entry)
            if data is None:
                from_git.append(entry)
            else:
                yield entry, data
        yield from self._read_through_git(from_git)

    def _read_through_git(self, wanted: list[FileEntry]) -> Iterator[tuple[FileEntry, bytes]]:
        if not wanted:
            return
        with self._lock:
            batch = self._batch_process()
            assert batch.stdin is not None and batch.stdout is not None
            # A writer thread feeds the ids while we read, so neither pipe fills and blocks.
            writer = threading.Thread(target=_feed, args=(batch.stdin, wanted), daemon=True)
            writer.start()
            out = batch.stdout
            answered = 0
            try:
                for entry in wanted:
                    data = _read_object(out, self.root, entry)
                    answered += 1
                    yield entry, data
            except GeneratorExit:
                # A consumer that stops early must not leave answers in the pipe.
                try:
                    for rest in wanted[answered:]:
                        _read_object(out, self.root, rest)
                except BaseException:
                    self._discard_batch(writer)
                    raise
                writer.join()
                raise
            except BaseException:
                # The answers still in the pipe would be taken for those of the next read.
                self._discard_batch(writer)
                raise
            writer.join()

    def _discard_batch(self, writer: threading.Thread) -> None:
        """Stop a ``cat-file`` whose answers are out of step; the next read starts afresh."""
        batch, self._batch = self._batch, None
        if batch is None:
            return
        batch.kill()
        batch.wait(timeout=10)
        writer.join(timeout=10)
        for pipe in (batch.stdin, batch.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def history(self) -> GitHistory:
        return GitHistory(self.root, self._commit)

    def detach(self) -> None:
        # The parent's cat-file answers the parent; this process starts its own on demand.
        self._batch = None
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._listing is not None:
            self._listing.stop()  # listed early, never needed: a cached re-audit
            self._listing = None
        if self._batch is not None:
            batch, self._batch = self._batch, None
            if batch.stdin:
                batch.stdin.close()
            try:
                batch.wait(timeout=10)
            except subprocess.TimeoutExpired:
                batch.kill()  # never leave a git process behind, never mask the audit's own end
                batch.wait()
            if batch.stdout:
                batch.stdout.close()


def _read_object(out: IO[bytes], root: Path, entry: FileEntry) -> bytes:
    header = out.readline()
    parts = header.split()
    if len(parts) != 3:
        raise SnapshotError(
            f"{root}: git cannot read {entry.path!r} "
            f"({header.decode(errors='replace').strip() or 'no answer'})"
        )
    size = int(parts[2])
    data = out.read(size)
    # A short read (git died mid-object) must not be scanned and cached as the blob.
    if len(data) != size or out.read(1) != b"\n":
        raise SnapshotError(f"{root}: git stopped while sending {entry.path!r}")
    return data


def _feed(stdin: object, entries: list[FileEntry]) -> None:
    import io

    assert isinstance(stdin, io.BufferedIOBase | io.RawIOBase)
    try:
        stdin.write(b"".join(f"{e.blob_id}\n".encode() for e in entries))
        stdin.flush()
    except (OSError, ValueError):
        pass  # git went away (or was stopped); the reader reports what is missing
