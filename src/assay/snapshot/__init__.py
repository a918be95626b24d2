"""Snapshots: read-only views of a product at one commit, or of a plain directory."""

from __future__ import annotations

from pathlib import Path

from assay.errors import SnapshotError
from assay.snapshot.base import Commit, History, Snapshot, read_one

__all__ = ["Commit", "History", "Snapshot", "open_snapshot", "read_one"]


def open_snapshot(
    path: Path, *, rev: str | None = None, require_git: bool = False, list_early: bool = False
) -> Snapshot:
    """Open ``path`` as a git repository at ``rev`` (default HEAD) or as a plain directory.

    Products of a portfolio are clones, so there ``require_git`` makes a plain
    directory an error rather than a silently history-less audit. ``list_early``
    starts listing a git commit in the background (see :class:`GitSnapshot`).
    """
    from assay.snapshot.directory import DirectorySnapshot
    from assay.snapshot.git import GitSnapshot, git

    if not path.exists():
        raise SnapshotError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise SnapshotError(f"{path}: not a directory")
    root = path.resolve()
    dot_git = root / ".git"
    if dot_git.is_symlink():
        raise SnapshotError(
            f"{path}: .git is a symlink; it is not followed",
            hint="audit the repository it points to, or a clone of it",
        )
    if dot_git.exists():
        top = git(root, "rev-parse", "--show-toplevel")
        if not top.ok or Path(top.stdout.decode().strip()).resolve() != root:
            detail = top.stderr_text().splitlines()[0] if top.stderr_text() else "unreadable"
            raise SnapshotError(
                f"{path}: corrupt git repository ({detail})",
                hint="repair the clone (or clone it again) before auditing it",
            )
        return GitSnapshot(root, rev=rev or "HEAD", list_early=list_early)
    if require_git:
        raise SnapshotError(f"{path}: not a git repository", hint="give the path of a local clone")
    if rev is not None:
        raise SnapshotError(
            f"{path}: --commit needs a git repository, and this is a plain directory"
        )
    return DirectorySnapshot(root)
