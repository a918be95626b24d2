"""Rust lock files: ``Cargo.lock`` (formats 1 to 4, one ``[[package]]`` per crate version).

A package without ``source`` is one of the workspace's own crates (or a local
path crate): it is the product itself, so it is not a component, but its
``dependencies`` list tells which crates the product uses directly. The list
names a crate as ``name``, ``name version`` or ``name version (source)``, as
much as it takes to be unambiguous. The lock does not say which dependencies
are dev- or build-only, so the scope is unknown. Format 1's ``[metadata]``
checksum table and its ``[root]`` table (the old place of the root crate) are
understood; checksums are not needed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from assay.deps.formats.cargo_toml import read_toml
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
from assay.deps.parsers import component, line_of, parsed

_NEWEST_FORMAT = 4
_CRATES_IO = frozenset(
    {
        "registry+https://github.com/rust-lang/crates.io-index",
        "sparse+https://index.crates.io/",
    }
)
_PACKAGE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*package[ \t]*\]\][ \t]*(?:#.*)?$", re.MULTILINE)
_ROOT_HEADER = re.compile(r"^[ \t]*\[[ \t]*root[ \t]*\][ \t]*(?:#.*)?$", re.MULTILINE)
_REFERENCE = re.compile(r"^(?P<name>\S+)(?: (?P<version>\S+))?(?: \((?P<source>[^)]+)\))?$")


@dataclass(frozen=True, kw_only=True, slots=True)
class _Package:
    name: str
    version: str
    source: str | None
    dependencies: tuple[str, ...]
    line: int | None


def _source(source: str) -> tuple[SourceKind, str | None] | None:
    """Kind and location of a ``source`` string; crates.io needs no location."""
    scheme, plus, url = source.partition("+")
    if not plus or not url:
        return None
    if scheme in ("registry", "sparse"):
        return SourceKind.REGISTRY, None if source in _CRATES_IO else url
    if scheme == "git":
        return SourceKind.GIT, url
    return None


def _format(document: dict[str, Any], path: str, problems: list[Problem]) -> None:
    """Check the top-level ``version``; absent means format 1 or 2."""
    version = document.get("version")
    if version is None:
        return
    if not isinstance(version, int) or isinstance(version, bool):
        raise ManifestError(path, "'version' is not an integer")
    if version > _NEWEST_FORMAT:
        problems.append(
            Problem(message=f"Cargo.lock format {version} is newer than {_NEWEST_FORMAT}")
        )


def _package(entry: dict[str, Any], line: int | None) -> _Package | str:
    """One ``[[package]]`` entry, or why it cannot be read."""
    name, version, source = entry.get("name"), entry.get("version"), entry.get("source")
    if not isinstance(name, str) or not isinstance(version, str):
        return "[[package]] without a string name and version"
    if source is not None and not isinstance(source, str):
        return f"package {name} {version}: 'source' is not a string"
    dependencies = entry.get("dependencies", [])
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        return f"package {name} {version}: 'dependencies' is not a list of strings"
    return _Package(
        name=name, version=version, source=source, dependencies=tuple(dependencies), line=line
    )


def _entries(
    document: dict[str, Any], text: str, path: str
) -> list[tuple[dict[str, Any], int | None]]:
    """The ``[[package]]`` tables (and format 1's ``[root]``) with their header lines."""
    packages = document.get("package", [])
    if not isinstance(packages, list) or not all(isinstance(p, dict) for p in packages):
        raise ManifestError(path, "'package' is not an array of tables")
    headers = [line_of(text, found.start()) for found in _PACKAGE_HEADER.finditer(text)]
    # Lines are only trusted when every entry has its own header (not an inline array).
    lines: list[int | None] = (
        list(headers) if len(headers) == len(packages) else [None] * len(packages)
    )
    entries = list(zip(packages, lines, strict=True))
    root = document.get("root")
    if root is not None:
        if not isinstance(root, dict):
            raise ManifestError(path, "'root' is not a table")
        header = _ROOT_HEADER.search(text)
        entries.append(
            ({**root, "source": None}, line_of(text, header.start()) if header else None)
        )
    return entries


def _matches(reference: re.Match[str], package: _Package) -> bool:
    return (
        reference["name"] == package.name
        and reference["version"] in (None, package.version)
        and reference["source"] in (None, package.source)
    )


def _direct(packages: list[_Package], problems: list[Problem]) -> set[int]:
    """Indexes of the packages that a workspace crate names in its dependencies."""
    direct: set[int] = set()
    for owner in packages:
        if owner.source is not None:
            continue
        for dependency in owner.dependencies:
            reference = _REFERENCE.match(dependency)
            matched = [i for i, p in enumerate(packages) if reference and _matches(reference, p)]
            if not matched:
                problems.append(
                    Problem(
                        message=f"{owner.name} depends on {dependency!r}, found in no package",
                        line=owner.line,
                    )
                )
            direct.update(matched)
    return direct


class CargoLockParser:
    format: ClassVar[str] = "Cargo.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.CARGO
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("Cargo.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = read_toml(path, text)
        problems: list[Problem] = []
        _format(document, path, problems)
        packages: list[_Package] = []
        for entry, line in _entries(document, text, path):
            package = _package(entry, line)
            if isinstance(package, str):
                problems.append(Problem(message=package, line=line))
            else:
                packages.append(package)
        direct = _direct(packages, problems)
        # Without any workspace crate the file cannot tell direct from transitive.
        knows_direct = any(p.source is None for p in packages)
        components: list[Component] = []
        for index, package in enumerate(packages):
            if package.source is None:
                continue
            source = _source(package.source)
            if source is None:
                problems.append(
                    Problem(
                        message=f"package {package.name} {package.version}: "
                        f"unknown source {package.source!r}",
                        line=package.line,
                    )
                )
                continue
            components.append(
                component(
                    name=package.name,
                    version=package.version,
                    ecosystem=self.ecosystem,
                    declared_in=path,
                    direct=index in direct if knows_direct else None,
                    scope=Scope.UNKNOWN,
                    line=package.line,
                    source=source[0],
                    location=source[1],
                )
            )
        return parsed(self, path, components, problems=problems)
