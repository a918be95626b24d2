"""Paths written in reports, resolved to files of the repository.

Reports name files as the CI job saw them: relative to the directory the tests
ran in, relative to a declared source root (Cobertura's ``<sources>``), or
absolute under the CI's checkout directory, on Windows with backslashes. Assay
knows only the repository's own paths, so a report path is resolved by:

1. an exact match (after normalising separators, ``.`` and ``a/..``);
2. an exact match after joining it to a declared root, or after stripping a
   declared root from an absolute path;
3. else the longest tail of the path, on whole components, that names exactly
   one repository file: either the file's whole path (the rest of the report
   path is the checkout directory) or the end of it (the report path is
   relative to a directory inside the repository, such as JaCoCo's package
   paths under ``src/main/java``). A tail that ends two or more files is
   ambiguous and resolves to nothing. A bare file name is not evidence enough
   when the report gave directories: ``/usr/lib/python3.11/os.py`` must not
   become the repository's ``tools/os.py``.

A relative path that climbs above the repository (``../lib/x.py``) is resolved
only through a root; callers report it with :func:`escapes_repository`.
Matching is case-sensitive, as git's paths are.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable, Sequence

_DRIVE = re.compile(r"[A-Za-z]:(/|$)")


def normalise(path: str) -> str:
    """Forward slashes, no ``.`` or ``a/..`` components, no trailing slash ("" if empty)."""
    text = path.strip().replace("\\", "/")
    if not text:
        return ""
    normal = posixpath.normpath(text)
    return "" if normal == "." else normal


def is_absolute(path: str) -> bool:
    """A POSIX, UNC or Windows drive path."""
    text = path.strip().replace("\\", "/")
    return text.startswith("/") or _DRIVE.match(text) is not None


def escapes_repository(path: str) -> bool:
    """True for a relative path whose ``..`` components climb above its starting directory."""
    if is_absolute(path):
        return False
    normal = normalise(path)
    return normal == ".." or normal.startswith("../")


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


class RepositoryIndex:
    """The repository's paths, indexed by every tail so that lookups stay fast.

    Build one per snapshot and call :meth:`resolve` for each report path;
    :func:`map_to_repository` builds one per call.
    """

    def __init__(self, repo_files: Iterable[str]) -> None:
        self._files = frozenset(repo_files)
        # Each proper tail of a path -> up to two files ending with it: two means ambiguous.
        self._ending: dict[str, tuple[str, ...]] = {}
        for file in self._files:
            parts = file.split("/")
            for start in range(1, len(parts)):
                tail = "/".join(parts[start:])
                known = self._ending.get(tail, ())
                if len(known) < 2:
                    self._ending[tail] = (*known, file)

    def resolve(self, report_path: str, roots: Sequence[str] = ()) -> str | None:
        """The repository path ``report_path`` names, or None (see the module's rules)."""
        path = normalise(report_path)
        if not path:
            return None
        own = [] if escapes_repository(path) else [path]
        joined, stripped = _rooted(path, roots)
        for candidate in (*own, *joined, *stripped):
            if candidate in self._files:
                return candidate
        # Longest context first: a path joined to its root says the most.
        for candidate in (*joined, *own, *stripped):
            found = self._by_tail(_parts(candidate))
            if found is not None:
                return found
        return None

    def _by_tail(self, parts: list[str]) -> str | None:
        for length in range(len(parts), 0, -1):
            tail = "/".join(parts[-length:])
            if tail in self._files:
                return tail
            if length == 1 and len(parts) > 1:
                return None
            ending = self._ending.get(tail, ())
            if ending:
                return ending[0] if len(ending) == 1 else None
        return None


def _rooted(path: str, roots: Sequence[str]) -> tuple[list[str], list[str]]:
    """``path`` joined to each root (when relative) and stripped of each (when under it)."""
    joined: list[str] = []
    stripped: list[str] = []
    for raw_root in roots:
        root = normalise(raw_root)
        if not root:
            continue
        if not is_absolute(path):
            candidate = normalise(f"{root}/{path}")
            if not escapes_repository(candidate):
                joined.append(candidate)
            continue
        prefix = _parts(root)
        parts = _parts(path)
        if is_absolute(root) and parts[: len(prefix)] == prefix and len(parts) > len(prefix):
            stripped.append("/".join(parts[len(prefix) :]))
    return joined, stripped


def map_to_repository(
    report_path: str, repo_files: Collection[str], roots: Sequence[str] = ()
) -> str | None:
    """The repository-relative path that ``report_path`` names, or None when nothing matches."""
    return RepositoryIndex(repo_files).resolve(report_path, roots)
