"""Snapshot of a plain directory as it is on disk, with ``.gitignore`` honoured.

Symlinks are recorded and never followed; there is no history, and no blob ids
until files are read, so directories are audited without the result cache.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from assay.errors import SnapshotError
from assay.model import EntryKind, FileEntry, SourceInfo
from assay.snapshot.base import READABLE_KINDS
from assay.snapshot.language import language_from_name


def _ignore_spec(directory: Path, rel: str) -> object | None:
    gitignore = directory / ".gitignore"
    if gitignore.is_symlink() or not gitignore.is_file():
        return None
    import pathspec

    lines = gitignore.read_text("utf-8", "replace").splitlines()
    return (rel, pathspec.GitIgnoreSpec.from_lines(lines))


def _is_ignored(specs: list[tuple[str, object]], rel_path: str, is_dir: bool) -> bool:
    # As in git, the deepest .gitignore with a matching rule decides, so a nested
    # file can re-include (``!keep.log``) what a parent folder's file excludes.
    for base, spec in reversed(specs):
        sub = rel_path[len(base) + 1 :] if base else rel_path
        result = spec.check_file(sub + "/" if is_dir else sub)  # type: ignore[attr-defined]
        if result.include is not None:
            return bool(result.include)
    return False


def walk(root: Path) -> list[FileEntry]:
    """List the files of ``root`` without following symlinks, honouring .gitignore files."""
    entries: list[FileEntry] = []
    stack: list[tuple[Path, str, list[tuple[str, object]]]] = [(root, "", [])]
    while stack:
        directory, rel, inherited = stack.pop()
        specs = list(inherited)
        own = _ignore_spec(directory, rel)
        if own is not None:
            specs.append(own)  # type: ignore[arg-type]
        try:
            with os.scandir(directory) as listing:
                items = sorted(listing, key=lambda item: item.name)
        except OSError as exc:
            where = rel or "."
            raise SnapshotError(
                f"{root}: cannot list the folder {where!r}: {exc.strerror or exc}",
                hint="give Assay read access to the whole product, or audit a git clone",
            ) from exc
        for item in items:
            rel_path = f"{rel}/{item.name}" if rel else item.name
            try:
                info = item.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed while the folder was being listed
            if stat.S_ISDIR(info.st_mode):
                if item.name == ".git":
                    continue
                if not _is_ignored(specs, rel_path, True):
                    stack.append((Path(item.path), rel_path, specs))
                continue
            if _is_ignored(specs, rel_path, False):
                continue
            entries.append(_entry(rel_path, info))
    entries.sort(key=lambda e: e.path)
    return entries


def _entry(rel_path: str, info: os.stat_result) -> FileEntry:
    regular = stat.S_ISREG(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        kind = EntryKind.SYMLINK
    elif not regular:
        kind = EntryKind.SPECIAL  # a named pipe, socket or device: never opened
    elif info.st_mode & stat.S_IXUSR:
        kind = EntryKind.EXECUTABLE
    else:
        kind = EntryKind.FILE
    return FileEntry(
        path=rel_path,
        kind=kind,
        blob_id=None,
        size=info.st_size,
        language=language_from_name(rel_path) if regular else None,
    )


def _read_regular_file(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is still a regular file, else None."""
    # O_NOFOLLOW: a file swapped for a symlink after the walk is still not followed;
    # O_NONBLOCK: one swapped for a named pipe does not hang the audit on open.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


class DirectorySnapshot:
    """A directory that is not a git repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._entries: Sequence[FileEntry] = walk(root)
        self.source = SourceInfo(kind="directory")

    @property
    def entries(self) -> Sequence[FileEntry]:
        return self._entries

    def read_blobs(self, entries: Iterable[FileEntry]) -> Iterator[tuple[FileEntry, bytes]]:
        for entry in entries:
            if entry.kind not in READABLE_KINDS:
                continue
            path = self.root / entry.path
            data = _read_regular_file(path)
            if data is None:
                continue  # the engine records every requested file not yielded as unreadable
            yield entry, data

    def history(self) -> None:
        return None

    def detach(self) -> None:
        return None  # every read opens its own file

    def close(self) -> None:
        return None
