"""Rust manifests: ``Cargo.toml`` dependency tables.

``[dependencies]`` ship with the crate; ``[dev-dependencies]`` and
``[build-dependencies]`` only serve building and testing it. The same tables
under ``[target.<cfg>]`` apply on some platforms only and keep their scope.
``[workspace.dependencies]`` declares versions that members inherit with
``workspace = true``; whether such a crate ships depends on the member, so its
scope is unknown. A bare requirement such as ``"1.2.3"`` means ``^1.2.3`` in
Cargo, so only ``=1.2.3`` fixes a version.
"""

from __future__ import annotations

import contextlib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

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

_SECTIONS: dict[str, Scope] = {
    "dependencies": Scope.RUNTIME,
    "dev-dependencies": Scope.DEV,
    "build-dependencies": Scope.DEV,
    # The underscore spellings are older aliases Cargo still accepts.
    "dev_dependencies": Scope.DEV,
    "build_dependencies": Scope.DEV,
}
_EXACT = re.compile(r"^=\s*(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$")
_GIT_REFERENCES = ("branch", "tag", "rev")
_TOML_POSITION = re.compile(r" \(at line (\d+), column \d+\)$")
_TOML_END = " (at end of document)"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LITERAL_KEY = re.compile(r"'([^']*)'")

Table = Mapping[str, Any]


def read_toml(path: str, text: str) -> dict[str, Any]:
    """The TOML document, or a ManifestError naming the line tomllib stopped at."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line: int | None = None
        if position := _TOML_POSITION.search(message):
            line = int(position.group(1))
            message = message[: position.start()]
        elif message.endswith(_TOML_END):
            line = text.rstrip().count("\n") + 1
            message = message.removesuffix(_TOML_END)
        raise ManifestError(path, f"invalid TOML: {message}", line=line) from None


def _key(text: str, start: int) -> tuple[tuple[str, ...], int] | None:
    """The dotted TOML key at ``start`` and the offset after it, or None if there is none."""
    parts: list[str] = []
    index = start
    while True:
        while index < len(text) and text[index] in " \t":
            index += 1
        for pattern in (_BASIC_KEY, _LITERAL_KEY, _BARE_KEY):
            if found := pattern.match(text, index):
                break
        else:
            return None
        part = found.group(found.lastindex or 0)
        if pattern is _BASIC_KEY:
            with contextlib.suppress(ValueError):
                part = json.loads(f'"{part}"')
        parts.append(part)
        index = found.end()
        while index < len(text) and text[index] in " \t":
            index += 1
        if index < len(text) and text[index] == ".":
            index += 1
            continue
        return tuple(parts), index


def _key_path(line: str, table: tuple[str, ...]) -> tuple[tuple[str, ...], bool] | None:
    """The full key path a line opens and whether it is a table header."""
    stripped = line.strip()
    for opening, closing in (("[[", "]]"), ("[", "]")):
        if stripped.startswith(opening):
            found = _key(stripped, len(opening))
            if found is None or not stripped.startswith(closing, found[1]):
                return None
            return found[0], True
    found = _key(stripped, 0)
    if found is None or not stripped.startswith("=", found[1]):
        return None
    return table + found[0], False


@dataclass(frozen=True, slots=True)
class TomlLines:
    """Where keys sit in a TOML text, since tomllib keeps no positions.

    Best effort: table headers and ``key =`` lines are found by reading lines,
    skipping the inside of multi-line strings; what it cannot place gets no line.
    """

    keys: tuple[tuple[tuple[str, ...], int], ...]

    @classmethod
    def of(cls, text: str) -> TomlLines:
        keys: list[tuple[tuple[str, ...], int]] = []
        table: tuple[str, ...] = ()
        open_string: str | None = None
        for number, line in enumerate(text.split("\n"), start=1):
            if open_string is not None:
                if open_string in line:
                    open_string = None
                continue
            if found := _key_path(line, table):
                keys.append((found[0], number))
                if found[1]:
                    table = found[0]
            open_string = next((q for q in ('"""', "'''") if line.count(q) % 2 == 1), None)
        return cls(tuple(keys))

    def line(self, *prefix: str) -> int | None:
        """The first line that defines ``prefix`` or a key below it."""
        size = len(prefix)
        return next((number for key, number in self.keys if key[:size] == prefix), None)


def _table(value: object, name: str, path: str) -> Table:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ManifestError(path, f"[{name}] is not a table")
    return value


def dependency_tables(document: Table, path: str) -> Iterator[tuple[tuple[str, ...], Scope, Table]]:
    """Every dependency table: its key path, its scope and its entries."""
    for section, scope in _SECTIONS.items():
        yield (section,), scope, _table(document.get(section), section, path)
    targets = _table(document.get("target"), "target", path)
    for target, value in targets.items():
        platform = _table(value, f"target.{target}", path)
        for section, scope in _SECTIONS.items():
            name = f"target.{target}.{section}"
            yield ("target", target, section), scope, _table(platform.get(section), name, path)
    workspace = _table(document.get("workspace"), "workspace", path)
    deps = _table(workspace.get("dependencies"), "workspace.dependencies", path)
    yield ("workspace", "dependencies"), Scope.UNKNOWN, deps


@dataclass(frozen=True, kw_only=True, slots=True)
class _Declared:
    """What one dependency entry asks for, before it becomes a component."""

    name: str
    requirement: str | None
    source: SourceKind = SourceKind.REGISTRY
    location: str | None = None


def _exact(requirement: str | None) -> str | None:
    """The version ``=1.2.3`` fixes; any other requirement leaves a range open."""
    found = _EXACT.match(requirement.strip()) if requirement else None
    return found.group(1) if found else None


def _git_location(url: str, entry: Table) -> str:
    """The repository with the branch, tag or revision asked for, as Cargo writes it."""
    for reference in _GIT_REFERENCES:
        if isinstance(entry.get(reference), str):
            return f"{url}?{reference}={entry[reference]}"
    return url


def _table_problem(name: str, entry: Table) -> str | None:
    """Why a dependency table cannot be read, or None when it can."""
    for key in ("version", "git", "path", "package"):
        if key in entry and not isinstance(entry[key], str):
            return f"dependency {name!r}: {key!r} is not a string"
    if "workspace" in entry and entry["workspace"] is not True:
        return f"dependency {name!r}: 'workspace' can only be true"
    if "git" in entry and "path" in entry:
        return f"dependency {name!r} names both a git repository and a path"
    return None


def _declared_table(name: str, entry: Table) -> _Declared | str:
    """What a ``{ version = …, git = …, path = … }`` entry asks for, or a problem."""
    if problem := _table_problem(name, entry):
        return problem
    if "workspace" in entry:
        # The version lives in the workspace root's [workspace.dependencies].
        return _Declared(name=name, requirement=None)
    real = entry.get("package", name)
    requirement = entry.get("version")
    if "git" in entry:
        location = _git_location(entry["git"], entry)
        return _Declared(
            name=real, requirement=requirement, source=SourceKind.GIT, location=location
        )
    if "path" in entry:
        return _Declared(
            name=real, requirement=requirement, source=SourceKind.PATH, location=entry["path"]
        )
    # Cargo reads a table without version, git or path as any version.
    return _Declared(name=real, requirement=requirement or "*")


def _declared(name: str, entry: object) -> _Declared | str:
    if isinstance(entry, str):
        return _Declared(name=name, requirement=entry)
    if isinstance(entry, dict):
        return _declared_table(name, entry)
    return f"dependency {name!r} is neither a version requirement nor a table"


class CargoTomlParser:
    format: ClassVar[str] = "Cargo.toml"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.CARGO
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = ("Cargo.toml",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = read_toml(path, text)
        lines = TomlLines.of(text)
        components: list[Component] = []
        problems: list[Problem] = []
        for section, scope, table in dependency_tables(document, path):
            for key, entry in table.items():
                line = lines.line(*section, key)
                declared = _declared(key, entry)
                if isinstance(declared, str):
                    problems.append(Problem(message=declared, line=line))
                    continue
                components.append(self._component(path, declared, scope, line))
        return parsed(self, path, components, problems=problems)

    def _component(
        self, path: str, declared: _Declared, scope: Scope, line: int | None
    ) -> Component:
        return component(
            name=declared.name,
            version=_exact(declared.requirement),
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=True,
            scope=scope,
            line=line,
            requirement=declared.requirement,
            source=declared.source,
            location=declared.location,
        )
