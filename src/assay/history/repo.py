"""Facts about a repository's history besides its log: shallow cuts, changes between commits."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from assay.errors import SnapshotError
from assay.snapshot.git import git

# A shallow list names one commit per line; far more than any real clone needs.
_SHALLOW_LIMIT = 16 << 20


def shallow_commits(root: Path) -> frozenset[str]:
    """Commits where a shallow clone's history is cut (their parents are missing).

    Empty for a complete clone. Git records them in the ``shallow`` file of the
    repository, which no command lists, so it is read (never through a symlink).
    """
    result = git(root, "rev-parse", "--is-shallow-repository", "--git-path", "shallow")
    lines = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    if not result.ok or len(lines) != 2:
        raise SnapshotError(f"{root}: git rev-parse failed: {result.stderr_text()}")
    if lines[0] != "true":
        return frozenset()
    path = root / lines[1]
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as file:
            data = file.read(_SHALLOW_LIMIT)
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read the list of shallow commits: {exc}") from exc
    return frozenset(data.decode("ascii", "replace").split())


def changed_paths(
    root: Path, old: str | None, new: str, pathspecs: Sequence[str] = ()
) -> tuple[str, ...]:
    """Paths whose content differs between commits ``old`` and ``new`` (``None``: nothing).

    Only paths matching ``pathspecs`` (git pathspecs, magic allowed) are compared.
    """
    base = old if old is not None else _empty_tree(root)
    result = git(
        root, "diff-tree", "-r", "-z", "--name-only", "--no-renames", "--no-ext-diff",
        "--no-textconv", "--end-of-options", base, new, "--", *pathspecs,
    )  # fmt: skip
    if not result.ok:
        raise SnapshotError(f"{root}: git diff-tree failed: {result.stderr_text()}")
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return tuple(name for name in names if name)


def _empty_tree(root: Path) -> str:
    # The id depends on the repository's hash function (SHA-1 or SHA-256); git knows
    # the empty tree without it being stored, and nothing is written.
    result = git(root, "hash-object", "-t", "tree", "--stdin", stdin=b"")
    if not result.ok:
        raise SnapshotError(f"{root}: git hash-object failed: {result.stderr_text()}")
    return result.stdout.decode().strip()
