"""``pdm.lock``: ``[metadata]`` first, then one ``[[package]]`` table per locked package.

Scope comes from each package's ``groups``: ``default`` among them -> runtime,
only other groups -> dev; locks written without the ``inherit_metadata``
strategy have no ``groups``, so scope is unknown. The lock does not say which
packages the project asked for: ``direct`` is None. PDM repeats a package once
per extra asked for (``requests`` and ``requests[socks]``, same version, the
latter with ``extras``); that repetition is dropped when the plain entry is
there. Sources: ``git`` -> git, ``path`` -> local path, ``url`` -> download.
"""

from __future__ import annotations

import posixpath
from typing import Any, ClassVar

from assay.deps.formats.pyproject import array_table_lines, expect_array, load_toml
from assay.deps.formats.requirements import canonical_name, classify_location, path_location
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


def _scope(entry: dict[str, Any]) -> Scope:
    groups = entry.get("groups")
    if not isinstance(groups, list) or not groups:
        return Scope.UNKNOWN
    return Scope.RUNTIME if "default" in groups else Scope.DEV


def _source(entry: dict[str, Any], base_dir: str) -> tuple[SourceKind, str | None]:
    if isinstance(entry.get("git"), str):
        return SourceKind.GIT, entry["git"]
    if isinstance(entry.get("path"), str):
        return SourceKind.PATH, path_location(base_dir, entry["path"])
    if isinstance(entry.get("url"), str):
        return classify_location(entry["url"], base_dir)
    return SourceKind.REGISTRY, None


def _identity(entry: object) -> tuple[str, str] | None:
    """Name and version of a well-formed entry, for spotting per-extra repeats."""
    if not isinstance(entry, dict):
        return None
    return canonical_name(str(entry.get("name", ""))) or "", str(entry.get("version"))


class PdmLockParser:
    format: ClassVar[str] = "pdm.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("pdm.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        data = load_toml(path, text)
        if not isinstance(data.get("metadata"), dict):
            raise ManifestError(path, "no [metadata] table: not a PDM lock file")
        packages = expect_array(data.get("package"), path, text, "package")
        plain = {
            _identity(entry)
            for entry in packages
            if isinstance(entry, dict) and not entry.get("extras")
        }
        components: list[Component] = []
        problems: list[Problem] = []
        for entry, line in zip(
            packages, array_table_lines(text, "package", len(packages)), strict=True
        ):
            if isinstance(entry, dict) and entry.get("extras") and _identity(entry) in plain:
                continue
            try:
                components.append(self._component(entry, path, line))
            except ValueError as exc:
                problems.append(Problem(message=str(exc), line=line))
        return parsed(self, path, components, problems=problems)

    def _component(self, entry: object, path: str, line: int | None) -> Component:
        if not isinstance(entry, dict):
            raise ValueError(f"[[package]] entry is not a table: {entry!r}")
        name = canonical_name(str(entry.get("name", "")))
        if name is None:
            raise ValueError(f"[[package]] entry with an invalid name {entry.get('name')!r}")
        version = entry.get("version")
        if not isinstance(version, str) or not version:
            raise ValueError(f"package {name!r} has no version")
        source, location = _source(entry, posixpath.dirname(path))
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
