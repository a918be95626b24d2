"""The LockfileParser Protocol and the registry of installed parsers.

Built-in parsers register in Assay's ``pyproject.toml`` under the
``assay.deps.parsers`` entry-point group, as a third-party package would.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import ClassVar, Protocol, runtime_checkable

from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ParsedFile,
    Problem,
    Scope,
    SourceKind,
)
from assay.deps.purl import make_purl

ENTRY_POINT_GROUP = "assay.deps.parsers"


@runtime_checkable
class LockfileParser(Protocol):
    """Reads one manifest or lock format. Never executes, imports or fetches anything.

    ``patterns`` are globs on the file's base name. ``parse`` gets the decoded
    text and returns what it understood; a file it cannot read at all raises
    ``ManifestError`` naming the line where it can.
    """

    format: ClassVar[str]
    ecosystem: ClassVar[Ecosystem]
    kind: ClassVar[FileKind]
    patterns: ClassVar[tuple[str, ...]]

    def parse(self, path: str, text: str) -> ParsedFile: ...


@dataclass(frozen=True, slots=True)
class ParserSet:
    """The parsers in use, and the ones that failed to load (id -> reason)."""

    parsers: tuple[LockfileParser, ...]
    broken: dict[str, str]

    def for_path(self, path: str) -> LockfileParser | None:
        """The parser that claims ``path`` by its base name, if any."""
        name = posixpath.basename(path)
        for parser in self.parsers:
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in parser.patterns):
                return parser
        return None


def load_parsers(points: Iterable[EntryPoint] | None = None) -> ParserSet:
    """Every registered parser, in a stable order (by format id)."""
    found = entry_points(group=ENTRY_POINT_GROUP) if points is None else points
    parsers: list[LockfileParser] = []
    broken: dict[str, str] = {}
    for point in sorted(found, key=lambda p: p.name):
        try:
            parser = point.load()()
        except Exception as exc:  # a broken plugin must not break the audit
            broken[point.name] = f"cannot load {point.value}: {type(exc).__name__}: {exc}"
            continue
        if not isinstance(parser, LockfileParser):
            broken[point.name] = f"{point.value} does not implement LockfileParser"
            continue
        parsers.append(parser)
    return ParserSet(parsers=tuple(parsers), broken=broken)


def component(
    *,
    name: str,
    version: str | None,
    ecosystem: Ecosystem,
    declared_in: str,
    direct: bool | None,
    scope: Scope = Scope.RUNTIME,
    line: int | None = None,
    requirement: str | None = None,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
    license: str | None = None,
) -> Component:
    """A component with its purl worked out; what every parser builds components with."""
    return Component(
        name=name,
        version=version,
        ecosystem=ecosystem,
        purl=make_purl(ecosystem, name, version),
        direct=direct,
        scope=scope,
        declared_in=declared_in,
        line=line,
        requirement=requirement,
        source=source,
        location=location,
        license=license,
    )


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset, for parsers that search the text."""
    return text.count("\n", 0, offset) + 1


def sorted_components(components: Sequence[Component]) -> tuple[Component, ...]:
    """Components in a stable order, so outputs and caches do not depend on dict order."""
    return tuple(sorted(components, key=lambda c: (c.name, c.version or "", c.line or 0)))


def parsed(
    parser: LockfileParser,
    path: str,
    components: Iterable[Component],
    *,
    problems: Iterable[Problem] = (),
    includes: Iterable[str] = (),
) -> ParsedFile:
    """What ``parser`` read from ``path``, components in their stable order."""
    return ParsedFile(
        path=path,
        format=parser.format,
        kind=parser.kind,
        ecosystem=parser.ecosystem,
        components=sorted_components(list(components)),
        includes=tuple(includes),
        problems=tuple(problems),
    )
