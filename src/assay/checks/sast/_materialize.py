"""Write a product's wanted files from the snapshot into a temporary folder.

An analyzer reads files from a disk, but an audit may be of a commit that has no
checkout (``--commit``), and even a working tree may hold symlinks that lead out of
it. So the files an adapter wants are read from the snapshot (git's objects, or the
directory through its safe reads) and written afresh into a private temporary folder:

- regular files only: symlinks, submodules and special files are not written (and are
  counted as skipped); nothing written is ever a symlink (``O_NOFOLLOW``) or executable;
- every path is checked to stay inside the folder: no absolute path, no ``..``, ``.``
  or empty segment, no NUL; names that are not valid UTF-8 are skipped, since the tools
  would report them in a lossy form that could not be mapped back;
- a file larger than the size cap is skipped and counted, never truncated;
- a file is created with ``O_EXCL``, so two names that one file system folds together
  cannot overwrite each other (the second is skipped as a collision).

The folder and everything in it is removed when the ``with`` block ends, whatever
happens inside it (a check timeout included).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assay.model import FileEntry
from assay.snapshot.base import READABLE_KINDS, Snapshot

_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True, kw_only=True, slots=True)
class Materialized:
    """The temporary folder, the repository paths written into it, and what was skipped."""

    root: Path
    files: frozenset[str]
    skipped: Mapping[str, int] = field(default_factory=dict)

    def repo_path(self, reported: str) -> str | None:
        """The repository path of a file a tool reported (absolute, or relative to root)."""
        candidate = Path(reported)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        try:
            relative = Path(os.path.normpath(candidate)).relative_to(self.root)
        except ValueError:
            return None
        path = relative.as_posix()
        return path if path in self.files else None

    def lines(self, path: str) -> list[str]:
        """The text lines of a written file (undecodable bytes replaced)."""
        data = (self.root / path).read_bytes()
        return data.decode("utf-8", "replace").splitlines()


def safe_parts(path: str) -> tuple[str, ...] | None:
    """The segments of a repository path, or None if it could leave the folder."""
    if not path or path.startswith("/") or "\0" in path:
        return None
    parts = tuple(path.split("/"))
    if any(part in {"", ".", ".."} for part in parts):
        return None
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return parts


@contextmanager
def materialize(
    snapshot: Snapshot, entries: Iterable[FileEntry], *, max_file_bytes: int
) -> Iterator[Materialized]:
    """A temporary folder holding the regular files among ``entries``; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="assay-sast-") as folder:
        root = Path(folder).resolve()
        skipped: Counter[str] = Counter()
        readable = _readable(entries, max_file_bytes, skipped)
        written: set[str] = set()
        yielded = 0
        for entry, data in snapshot.read_blobs(readable):
            yielded += 1
            reason = _write(root, entry.path, data, max_file_bytes)
            if reason is None:
                written.add(entry.path)
            else:
                skipped[reason] += 1
        # The snapshot does not yield a file that vanished or became a symlink meanwhile.
        skipped["unreadable"] += len(readable) - yielded
        yield Materialized(
            root=root, files=frozenset(written), skipped={k: v for k, v in skipped.items() if v}
        )


def _readable(
    entries: Iterable[FileEntry], max_file_bytes: int, skipped: Counter[str]
) -> list[FileEntry]:
    chosen: list[FileEntry] = []
    for entry in entries:
        if entry.kind not in READABLE_KINDS:
            skipped[entry.kind.value] += 1
        elif safe_parts(entry.path) is None:
            skipped["unsafe_path"] += 1
        elif entry.size > max_file_bytes:
            skipped["too_large"] += 1
        else:
            chosen.append(entry)
    return chosen


def _write(root: Path, path: str, data: bytes, max_file_bytes: int) -> str | None:
    """Write one file under ``root``; the reason it was not written, or None."""
    if len(data) > max_file_bytes:  # the file grew between the index and the read
        return "too_large"
    parts = safe_parts(path)
    assert parts is not None  # filtered by _readable
    folder = root
    try:
        for part in parts[:-1]:
            folder = folder / part
            _make_folder(folder)
        descriptor = os.open(folder / parts[-1], _FILE_FLAGS, 0o600)
    except (FileExistsError, NotADirectoryError):
        return "collision"
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return None


def _make_folder(folder: Path) -> None:
    """Create ``folder`` unless it is already a real folder (never a symlink to one)."""
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            raise
