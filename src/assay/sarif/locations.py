"""Where a SARIF result points, as a repository path, or why it cannot be one.

A SARIF artifact location is a URI, absolute or relative to a named base
(``uriBaseId``). The run may say what each base is (``originalUriBaseIds``, whose
entries may themselves be relative to another base) and which base is the root of the
repository (``versionControlProvenance[].mappedTo.uriBaseId``). The URI is resolved
through that chain, percent-decoded, and then:

- a relative path is a path from the repository root; a base the run leaves undefined
  (``%SRCROOT%`` without ``originalUriBaseIds``, as many tools write it) is taken as
  the repository root, and so is a base named as the repository's in the provenance;
- an absolute path (``/...`` or ``file:``) is made relative to the repository root when
  it lies inside it; otherwise it is dropped, as is any absolute path when no root is
  known;
- a path that climbs above the root with ``..``, a URI of another scheme (``http:``,
  ``https:``...), a ``file:`` URI of another host, a Windows drive path, and a chain of
  bases that loops are dropped.

A dropped location is never a reason to lose the result: the finding is kept without
a location and says why (``dropped: <reason>``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

OUTSIDE = "absolute path outside the repository"
NO_ROOT = "absolute path, and no repository root to relate it to"
CLIMBS = "path leaves the repository"
CYCLE = "uriBaseId cycle"
EMPTY = "path names the repository root, not a file"
INVALID = "invalid path"


@dataclass(frozen=True, kw_only=True, slots=True)
class Place:
    """A repository path, or the reason the location was dropped (never both)."""

    path: str | None = None
    dropped: str | None = None


@dataclass(frozen=True, slots=True)
class _State:
    # "relative" (from the repository root), "absolute", or "elsewhere" (not a file here).
    kind: str
    value: str


class UriResolver:
    """Resolves artifact locations of one run."""

    def __init__(
        self,
        *,
        bases: Mapping[str, tuple[str | None, str | None]],
        repository_bases: frozenset[str],
        root: Path | None,
    ) -> None:
        self._bases = bases
        self._repository_bases = repository_bases
        self._roots = _root_forms(root)

    def resolve(self, uri: str, base_id: str | None) -> Place:
        chain = self._chain(uri, base_id)
        if chain is None:
            return Place(dropped=CYCLE)
        state = _State("relative", "")
        for part in chain:
            state = _apply(state, part)
        if state.kind == "elsewhere":
            return Place(dropped=state.value)
        if state.kind == "absolute":
            return self._from_absolute(state.value)
        return _inside(state.value)

    def _chain(self, uri: str, base_id: str | None) -> list[str] | None:
        """The URIs to join, outermost base first; None when the bases loop."""
        parts = [uri]
        seen: set[str] = set()
        while base_id is not None and base_id not in self._repository_bases:
            if base_id in seen:
                return None
            seen.add(base_id)
            base = self._bases.get(base_id)
            if base is None:
                break  # a base the run does not define: the repository root
            base_uri, base_id = base
            if base_uri:
                parts.insert(0, base_uri)
        return parts

    def _from_absolute(self, path: str) -> Place:
        if not self._roots:
            return Place(dropped=NO_ROOT)
        normal = posixpath.normpath(path)
        for root in self._roots:
            if normal == root:
                return Place(dropped=EMPTY)
            if normal.startswith(root + "/"):
                return _inside(normal[len(root) + 1 :])
        return Place(dropped=OUTSIDE)


def _root_forms(root: Path | None) -> tuple[str, ...]:
    if root is None:
        return ()
    forms = {root.as_posix().rstrip("/"), root.resolve().as_posix().rstrip("/")}
    return tuple(sorted(form for form in forms if form))


def _apply(state: _State, part: str) -> _State:
    """``part`` resolved against ``state`` (RFC 3986, without hiding a climbing ``..``)."""
    if state.kind == "elsewhere":
        return state
    split = urlsplit(part)
    if split.scheme:
        return _with_scheme(split.scheme.lower(), split, part)
    path = unquote(split.path).replace("\\", "/")
    if path.startswith("/"):
        return _State("absolute", path)
    if state.value and not state.value.endswith("/"):
        return _State(state.kind, f"{state.value}/{path}")
    return _State(state.kind, state.value + path)


def _with_scheme(scheme: str, split: SplitResult, part: str) -> _State:
    if len(scheme) == 1:
        return _State("elsewhere", f"Windows drive path ({part[:2]})")
    if scheme != "file":
        return _State("elsewhere", f"URI scheme '{scheme}' is not a file of the repository")
    if split.netloc not in {"", "localhost"}:
        return _State("elsewhere", f"file URI of another host ({split.netloc})")
    return _State("absolute", unquote(split.path))


def _inside(relative: str) -> Place:
    """A relative path made normal, or dropped when it climbs above the root."""
    if "\0" in relative:
        return Place(dropped=INVALID)
    segments: list[str] = []
    for segment in relative.split("/"):
        if segment in {"", "."}:
            continue
        if segment == "..":
            if not segments:
                return Place(dropped=CLIMBS)
            segments.pop()
        else:
            segments.append(segment)
    if not segments:
        return Place(dropped=EMPTY)
    return Place(path="/".join(segments))
