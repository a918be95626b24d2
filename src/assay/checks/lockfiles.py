"""Every dependency manifest has its lock file, so builds resolve the same versions.

A lock counts when it sits in the manifest's folder or in a parent folder
(workspaces keep one lock at their root). A ``pyproject.toml`` is a manifest
only when it declares dependencies; it is read (as TOML, never executed). For
Python, a requirements file in which every requirement is pinned with ``==``
(what ``pip freeze`` or ``pip-compile`` write) also counts as the lock.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import tomllib
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from assay.checks.api import CheckOutput, NoParams, finding
from assay.model import FileEntry, Measure, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot, read_one

# manifest file name (glob) -> lock file names (globs) that satisfy it
LOCKS: dict[str, tuple[str, ...]] = {
    "package.json": (
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
        "bun.lock",
    ),
    "pyproject.toml": ("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "pylock.*.toml"),
    "Pipfile": ("Pipfile.lock",),
    "Gemfile": ("Gemfile.lock",),
    "Cargo.toml": ("Cargo.lock",),
    "go.mod": ("go.sum",),
    "composer.json": ("composer.lock",),
    "mix.exs": ("mix.lock",),
    "pubspec.yaml": ("pubspec.lock",),
    "Package.swift": ("Package.resolved",),
    "*.csproj": ("packages.lock.json",),
}  # fmt: skip
# Folders holding other people's code, whose manifests are not the product's.
_VENDORED = frozenset({"node_modules", "vendor", "third_party", "third-party", ".venv", "venv"})
_MANIFEST_READ_LIMIT = 1024 * 1024
# Requirements files that may be a pinned lock of a pyproject.toml.
_PINNED_CANDIDATES = ("requirements*.txt", "constraints*.txt")
_PINNED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s;]+(\s*;.*)?")


_EXACT_MANIFESTS = frozenset(pattern for pattern in LOCKS if "*" not in pattern)
_GLOB_MANIFESTS = tuple(pattern for pattern in LOCKS if "*" in pattern)


def _manifest_kind(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    if name in _EXACT_MANIFESTS:
        return name
    for pattern in _GLOB_MANIFESTS:
        if fnmatch.fnmatchcase(name, pattern):
            return pattern
    return None


class _MalformedError(Exception):
    """A table of the manifest is not a table."""


def _table(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The table at ``keys`` (empty when absent); _MalformedError when a level is not a table."""
    for key in keys:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise _MalformedError(key)
        data = value
    return data


def _declares_dependencies(text: str) -> bool:
    try:
        data = tomllib.loads(text)
        project = _table(data, "project")
        poetry = _table(data, "tool", "poetry")
        poetry_deps = {k for k in _table(poetry, "dependencies") if k != "python"}
        poetry_dev = _table(poetry, "dev-dependencies")
        poetry_groups = [_table(poetry, "group", name, "dependencies")
                         for name in _table(poetry, "group")]  # fmt: skip
    except (tomllib.TOMLDecodeError, _MalformedError):
        return True  # unreadable: judge it as a manifest rather than let it pass unseen
    deps = project.get("dependencies") or project.get("optional-dependencies")
    return bool(
        deps or poetry_deps or poetry_dev or any(poetry_groups) or data.get("dependency-groups")
    )


def _lock_for(manifest: str, pattern: str, files_by_dir: dict[str, list[str]]) -> str | None:
    directory = posixpath.dirname(manifest)
    while True:
        for name in files_by_dir.get(directory, []):
            if any(fnmatch.fnmatchcase(name, lock) for lock in LOCKS[pattern]):
                return posixpath.join(directory, name) if directory else name
        if not directory:
            return None
        directory = posixpath.dirname(directory)


def is_pinned_requirements(text: str) -> bool:
    """Whether every requirement in a requirements file is pinned to one version."""
    logical = re.sub(r"\\\r?\n", " ", text)  # join continuation lines
    requirements = 0
    for raw in logical.splitlines():
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        if not line:
            continue
        if line.startswith(("-r", "-c", "-e", "--requirement", "--constraint", "--editable")):
            return False  # an include or an editable install is not a pinned set
        if line.startswith("-"):
            continue  # index options and the like
        requirement = line.split(" --", 1)[0].strip()  # drop trailing --hash options
        if not _PINNED.fullmatch(requirement):
            return False
        requirements += 1
    return requirements > 0


def _pinned_lock_for(
    snapshot: Snapshot, manifest: str, files_by_dir: dict[str, list[str]]
) -> str | None:
    directory = posixpath.dirname(manifest)
    while True:
        for name in sorted(files_by_dir.get(directory, [])):
            if not any(fnmatch.fnmatchcase(name, glob) for glob in _PINNED_CANDIDATES):
                continue
            path = posixpath.join(directory, name) if directory else name
            data = read_one(snapshot, path, limit=_MANIFEST_READ_LIMIT)
            if data is not None and is_pinned_requirements(data.decode("utf-8", "replace")):
                return path
        if not directory:
            return None
        directory = posixpath.dirname(directory)


def _files_by_dir(entries: Sequence[FileEntry], manifest_paths: list[str]) -> dict[str, list[str]]:
    """File names per folder, for the folders where a manifest's lock may lie (its ancestors)."""
    folders = {""}
    for path in manifest_paths:
        folder = path
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            folders.add(folder)
    by_dir: dict[str, list[str]] = {}
    for entry in entries:
        folder, _, name = entry.path.rpartition("/")
        if folder in folders:
            by_dir.setdefault(folder, []).append(name)
    return by_dir


def manifests(entries: Sequence[FileEntry]) -> list[tuple[FileEntry, str]]:
    found = []
    for entry in entries:
        if entry.kind not in READABLE_KINDS:
            continue
        pattern = _manifest_kind(entry.path)
        if pattern is not None and not _VENDORED.intersection(entry.path.split("/")[:-1]):
            found.append((entry, pattern))
    return found


class LockfilesCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = "hygiene.lockfiles"
    # 2: Poetry dependency groups count; a pyproject.toml with a malformed table is a manifest.
    # 3: a fully pinned requirements file counts as the lock of a pyproject.toml.
    version: ClassVar[str] = "3"
    description: ClassVar[str] = "Every dependency manifest has its lock file."
    Params: ClassVar[type[BaseModel]] = NoParams

    def run(self, snapshot: Snapshot, params: NoParams) -> CheckOutput:
        candidates = manifests(snapshot.entries)
        files_by_dir = _files_by_dir(snapshot.entries, [entry.path for entry, _ in candidates])
        checked = 0
        findings = []
        for entry, pattern in candidates:
            if pattern == "pyproject.toml":
                data = read_one(snapshot, entry.path, limit=_MANIFEST_READ_LIMIT)
                if data is not None and not _declares_dependencies(data.decode("utf-8", "replace")):
                    continue
            checked += 1
            lock = _lock_for(entry.path, pattern, files_by_dir)
            if lock is None and pattern == "pyproject.toml":
                lock = _pinned_lock_for(snapshot, entry.path, files_by_dir)
            if lock is None:
                wanted = " or ".join(LOCKS[pattern])
                if pattern == "pyproject.toml":
                    wanted += " or a fully pinned requirements*.txt"
                findings.append(
                    finding(self.id, "hygiene.lockfiles.missing",
                            f"{entry.path} has no lock file ({wanted})",
                            severity=Severity.MEDIUM, path=entry.path)
                )  # fmt: skip
        measures = [
            Measure(check_id=self.id, name="dependency.manifests", value=checked, unit="files")
        ]
        if not checked:
            return CheckOutput(
                measures=measures, not_applicable="no dependency manifest in the repository"
            )
        return CheckOutput(findings=findings, measures=measures)
