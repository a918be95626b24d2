"""npm's manifest, ``package.json``: the dependencies a package asks for, all direct.

``dependencies`` and ``optionalDependencies`` ship with the product; ``devDependencies``
only serve its development. ``peerDependencies`` are left out: the package that
declares them does not install them, whoever depends on it supplies them (they show
up in the lock file of the project that does install them). When a name is declared
in several sections, npm's precedence decides which spec counts: optional over
regular over dev. ``workspaces`` only names folders holding more manifests; the
inventory finds those manifests itself, so it gives no component.
"""

from __future__ import annotations

from typing import Any, ClassVar

from assay.deps.formats._npm import (
    KeyPath,
    Spec,
    is_package_name,
    json_key_lines,
    kind_of,
    load_json_object,
    read_spec,
)
from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ParsedFile,
    Problem,
    Scope,
)
from assay.deps.parsers import component, parsed

# Lowest precedence first: a later section's spec replaces an earlier one's, as in npm.
SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("devDependencies", Scope.DEV),
    ("dependencies", Scope.RUNTIME),
    ("optionalDependencies", Scope.RUNTIME),
)
_SECTION_NAMES = frozenset(name for name, _ in SECTIONS) | {"workspaces"}


def _wanted(path: KeyPath) -> bool:
    return path[0] in _SECTION_NAMES and len(path) <= 2


class PackageJsonParser:
    format: ClassVar[str] = "package.json"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = ("package.json",)

    def parse(self, path: str, text: str) -> ParsedFile:
        data = load_json_object(path, text)
        lines = json_key_lines(text, _wanted)
        problems: list[Problem] = []
        chosen: dict[str, tuple[Scope, Spec, KeyPath]] = {}
        for section, scope in SECTIONS:
            for name, spec in _entries(data, section, lines, problems):
                chosen[name] = (scope, spec, (section, name))
        problems.extend(_workspace_problems(data.get("workspaces"), lines))
        components = [
            self._component(path, spec, scope, lines.get(key))
            for scope, spec, key in chosen.values()
        ]
        return parsed(
            self, path, components, problems=sorted(problems, key=lambda problem: problem.line or 0)
        )

    def _component(self, path: str, spec: Spec, scope: Scope, line: int | None) -> Component:
        return component(
            name=spec.name,
            version=spec.version,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=True,
            scope=scope,
            line=line,
            requirement=None if spec.version else spec.requirement,
            source=spec.source,
            location=spec.location,
        )


def _entries(
    data: dict[str, Any], section: str, lines: dict[KeyPath, int], problems: list[Problem]
) -> list[tuple[str, Spec]]:
    """The declarations of one dependency section; anything else becomes a Problem."""
    value = data.get(section)
    if value is None:
        return []
    if not isinstance(value, dict):
        message = f"{section} should be an object, found {kind_of(value)}"
        problems.append(Problem(message=message, line=lines.get((section,))))
        return []
    entries: list[tuple[str, Spec]] = []
    for name, written in value.items():
        line = lines.get((section, name))
        if not is_package_name(name):
            message = f"{section}: {name!r} is not a package name"
            problems.append(Problem(message=message, line=line))
        elif not isinstance(written, str):
            message = f"{section}.{name}: expected a version string, found {kind_of(written)}"
            problems.append(Problem(message=message, line=line))
        elif not is_package_name((spec := read_spec(name, written)).name):
            message = f"{section}.{name}: {written!r} names no package"
            problems.append(Problem(message=message, line=line))
        else:
            entries.append((name, spec))
    return entries


def _workspace_problems(value: object, lines: dict[KeyPath, int]) -> list[Problem]:
    """``workspaces`` is a list of folder globs, or an object whose ``packages`` is one."""
    globs = value.get("packages", []) if isinstance(value, dict) else value
    if value is None or (isinstance(globs, list) and all(isinstance(g, str) for g in globs)):
        return []
    message = "workspaces should be a list of folder patterns"
    return [Problem(message=message, line=lines.get(("workspaces",)))]
