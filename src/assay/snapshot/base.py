"""The read-only view of a product that checks see."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assay.model import EntryKind, FileEntry, SourceInfo


@dataclass(frozen=True, kw_only=True, slots=True)
class Commit:
    sha: str
    author: str
    timestamp: int


class History(Protocol):
    """Git metadata of the audited commit; absent for plain directories."""

    def commits_since(self, timestamp: int) -> list[Commit]:
        """Commits reachable from the audited commit, committed at or after ``timestamp``."""
        ...

    def last_commit_time(self) -> int: ...

    def first_commit_time(self) -> int: ...


class Snapshot(Protocol):
    """A product at one commit (or a directory as it is): index, metadata, safe reads."""

    root: Path
    source: SourceInfo

    @property
    def entries(self) -> Sequence[FileEntry]:
        """The file index: every path of the commit (or directory), sorted."""
        ...

    def read_blobs(self, entries: Iterable[FileEntry]) -> Iterator[tuple[FileEntry, bytes]]:
        """Yield each regular file's bytes, in one pass; symlinks and submodules are refused.

        A file that cannot be read (it vanished, or became a symlink) is not yielded.
        """
        ...

    def history(self) -> History | None: ...

    def detach(self) -> None:
        """Forget readers inherited from a parent process (called in a forked worker)."""
        ...

    def close(self) -> None: ...


READABLE_KINDS = frozenset({EntryKind.FILE, EntryKind.EXECUTABLE})


def entry_index(entries: Sequence[FileEntry]) -> dict[str, FileEntry]:
    return {entry.path: entry for entry in entries}


def read_one(snapshot: Snapshot, path: str, *, limit: int) -> bytes | None:
    """Bytes of one regular file, or None if absent, not a regular file, or over ``limit``."""
    for entry in snapshot.entries:
        if entry.path == path:
            if entry.kind not in READABLE_KINDS or entry.size > limit:
                return None
            for _, data in snapshot.read_blobs([entry]):
                return data
    return None
