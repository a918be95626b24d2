"""NuGet ``packages.lock.json``: the resolved packages of a .NET project, per target framework.

The lock holds one package graph per target framework (``net8.0``,
``net8.0/linux-x64`` …). A package resolved the same way in several graphs
is one component; at two versions it is two. Entries of type ``Project`` are
other projects of the same solution, not packages, and are left out. A package
is direct when any graph lists it as ``Direct``. The lock does not separate
test-only packages (a test project has a lock of its own), so the scope is
runtime. NuGet compares names without case; the first spelling met is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from assay.deps.formats._json import json_type, load_object
from assay.deps.model import Component, Ecosystem, FileKind, ManifestError, ParsedFile, Problem
from assay.deps.parsers import component, parsed

_KNOWN_VERSIONS = (1, 2)
_DIRECT_TYPES = frozenset({"Direct"})
_TRANSITIVE_TYPES = frozenset({"Transitive", "CentralTransitive"})
_PROJECT_TYPE = "Project"
# A JSON key whose value is an object; the key is kept as written (escapes undecoded).
_OBJECT_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*\{')


@dataclass(slots=True)
class _Seen:
    """A (name, version) met in one or more framework graphs."""

    name: str
    version: str
    direct: bool | None
    line: int | None


class _Packages:
    """Entries of every framework graph, merged by (name, version) without case."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.seen: dict[tuple[str, str], _Seen] = {}
        self.problems: list[Problem] = []

    def add(self, framework: str, name: str, entry: object) -> None:
        line = self.lines.get(name)
        where = f"{name} ({framework})"
        if not isinstance(entry, dict):
            self.problems.append(Problem(message=f"skipped {where}: not an object", line=line))
            return
        kind = entry.get("type")
        if kind == _PROJECT_TYPE:
            return
        resolved = entry.get("resolved")
        if not isinstance(resolved, str) or not resolved:
            self.problems.append(
                Problem(message=f"skipped {where}: no resolved version", line=line)
            )
            return
        direct = _direct(kind)
        if direct is None:
            self.problems.append(Problem(message=f"unknown type {kind!r} of {where}", line=line))
        key = (name.casefold(), resolved.casefold())
        known = self.seen.get(key)
        if known is None:
            self.seen[key] = _Seen(name=name, version=resolved, direct=direct, line=line)
        elif direct is True or known.direct is None:
            # Direct in any framework wins; a known answer beats an unknown one.
            known.direct = direct if direct is not None else known.direct


class NugetLockParser:
    format: ClassVar[str] = "packages.lock.json"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NUGET
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("packages.lock.json",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = load_object(path, text)
        graphs = document.get("dependencies")
        if not isinstance(graphs, dict):
            found = "nothing" if graphs is None else json_type(graphs)
            raise ManifestError(path, f'"dependencies" must be an object, found {found}')
        packages = _Packages(_entry_lines(text))
        version = document.get("version")
        if version not in _KNOWN_VERSIONS:
            packages.problems.append(Problem(message=f"unknown lock file version {version!r}"))
        for framework, graph in graphs.items():
            if not isinstance(graph, dict):
                packages.problems.append(
                    Problem(message=f"skipped framework {framework!r}: not an object")
                )
                continue
            for name, entry in graph.items():
                packages.add(framework, name, entry)
        components: list[Component] = [
            component(
                name=item.name,
                version=item.version,
                ecosystem=self.ecosystem,
                declared_in=path,
                direct=item.direct,
                line=item.line,
            )
            for item in packages.seen.values()
        ]
        return parsed(self, path, components, problems=packages.problems)


def _direct(kind: object) -> bool | None:
    if kind in _DIRECT_TYPES:
        return True
    if kind in _TRANSITIVE_TYPES:
        return False
    return None


def _entry_lines(text: str) -> dict[str, int]:
    """Line of the first ``"Name": {`` of each key: a package entry, not a dependency edge.

    One pass over the text, counting newlines as it goes, so a large lock stays linear.
    """
    lines: dict[str, int] = {}
    line, offset = 1, 0
    for match in _OBJECT_KEY.finditer(text):
        line += text.count("\n", offset, match.start())
        offset = match.start()
        lines.setdefault(match.group(1), line)
    return lines
