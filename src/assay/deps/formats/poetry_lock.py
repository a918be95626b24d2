"""``poetry.lock``: one ``[[package]]`` table per locked package, ``[metadata]`` last.

The lock lists the whole graph without saying which packages the project asked
for, so ``direct`` is None (the inventory settles it from pyproject.toml).
Scope comes from ``groups`` (Poetry 2: ``main`` among them -> runtime, else
dev) or the older ``category`` (``main``/``dev``); locks written by Poetry 1.5
to 1.8 carry neither, so their scope is unknown. A ``legacy`` source is a
private index: still the registry kind. Poetry writes ``[metadata]`` at the end,
so a lock without it was cut short.
"""

from __future__ import annotations

import posixpath
from typing import Any, ClassVar

from assay.deps.formats.pyproject import array_table_lines, expect_array, load_toml
from assay.deps.formats.requirements import canonical_name, path_location
from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ManifestError,
    ParsedFile,
    Problem,
    Scope,
    SourceKind,
)
from assay.deps.parsers import component, parsed

_SOURCE_KINDS = {
    "git": SourceKind.GIT,
    "directory": SourceKind.PATH,
    "file": SourceKind.PATH,
    "url": SourceKind.URL,
    "legacy": SourceKind.REGISTRY,
}


def _scope(entry: dict[str, Any]) -> Scope:
    groups = entry.get("groups")
    if isinstance(groups, list) and groups:
        return Scope.RUNTIME if "main" in groups else Scope.DEV
    return {"main": Scope.RUNTIME, "dev": Scope.DEV}.get(str(entry.get("category")), Scope.UNKNOWN)


def _source(entry: dict[str, Any], base_dir: str) -> tuple[SourceKind, str | None]:
    """Source kind and location; ValueError for a source type Poetry does not write."""
    source = entry.get("source")
    if not isinstance(source, dict):
        return SourceKind.REGISTRY, None
    kind = _SOURCE_KINDS.get(str(source.get("type")))
    if kind is None:
        raise ValueError(f"unknown source type {source.get('type')!r}")
    url = source.get("url")
    if kind is SourceKind.REGISTRY or not isinstance(url, str):
        return kind, None
    return kind, path_location(base_dir, url) if kind is SourceKind.PATH else url


class PoetryLockParser:
    format: ClassVar[str] = "poetry.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("poetry.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        data = load_toml(path, text)
        if not isinstance(data.get("metadata"), dict):
            raise ManifestError(path, "no [metadata] table: the lock is truncated or not Poetry's")
        packages = expect_array(data.get("package"), path, text, "package")
        lines = array_table_lines(text, "package", len(packages))
        components: list[Component] = []
        problems: list[Problem] = []
        for entry, line in zip(packages, lines, strict=True):
            try:
                components.append(self._component(entry, path, line))
            except ValueError as exc:
                problems.append(Problem(message=str(exc), line=line))
        return parsed(self, path, components, problems=problems)

    def _component(self, entry: object, path: str, line: int | None) -> Component:
        if not isinstance(entry, dict):
            raise ValueError(f"[[package]] entry is not a table: {entry!r}")
        name = canonical_name(str(entry.get("name", "")))
        version = entry.get("version")
        if name is None:
            raise ValueError(f"[[package]] entry with an invalid name {entry.get('name')!r}")
        if not isinstance(version, str) or not version:
            raise ValueError(f"package {name!r} has no version")
        try:
            source, location = _source(entry, posixpath.dirname(path))
        except ValueError as exc:
            raise ValueError(f"package {name!r}: {exc}") from exc
        return component(
            name=name,
            version=version,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=None,
            scope=_scope(entry),
            line=line,
            source=source,
            location=location,
        )
