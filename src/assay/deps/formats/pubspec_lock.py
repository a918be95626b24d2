"""Dart and Flutter ``pubspec.lock``: every package pub resolved, with its exact version.

Each entry of ``packages`` says how the project depends on it: ``direct main``
(direct, runtime), ``direct dev`` (direct, dev), ``direct overridden`` (direct,
pinned by ``dependency_overrides``, scope unknown) or ``transitive`` (scope
unknown: the lock does not say whose dependency it is). Packages that come
with the SDK (``flutter``, ``flutter_test``, ``sky_engine`` …) are part of the
toolchain, not downloads, and are left out. Git and path packages keep the
version their own pubspec declares, with the repository URL or the path as
location.

The YAML goes through ruamel's safe loader. pub never writes anchors or
aliases, so a document with any alias is refused before it is built: that is
what makes alias bombs (a billion laughs in YAML) harmless. Nesting is bounded
for the same reason.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

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

# pub writes four levels at most (packages / name / description / field).
_MAX_DEPTH = 16
_DEPENDENCY: dict[str, tuple[bool, Scope]] = {
    "direct main": (True, Scope.RUNTIME),
    "direct dev": (True, Scope.DEV),
    "direct overridden": (True, Scope.UNKNOWN),
    "transitive": (False, Scope.UNKNOWN),
}
_SOURCES = {"hosted": SourceKind.REGISTRY, "git": SourceKind.GIT, "path": SourceKind.PATH}
_SDK_SOURCE = "sdk"
_PACKAGES_KEY = re.compile(r"^packages:[ \t]*(?:#.*)?$", re.MULTILINE)
_ENTRY_KEY = re.compile(r"""^([ \t]+)["']?([^"':\s]+)["']?:[ \t]*$""", re.MULTILINE)


def _yaml_error(path: str, exc: YAMLError) -> ManifestError:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        return ManifestError(path, f"invalid YAML: {exc.problem}", line=exc.problem_mark.line + 1)
    return ManifestError(path, f"invalid YAML: {exc}")


def _check_events(path: str, text: str, yaml: YAML) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is built."""
    depth = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, AliasEvent):
            raise ManifestError(path, "YAML aliases are not allowed in pubspec.lock", line=line)
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                raise ManifestError(path, f"nested deeper than {_MAX_DEPTH} levels", line=line)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _load(path: str, text: str) -> dict[Any, Any]:
    yaml = YAML(typ="safe", pure=True)
    try:
        _check_events(path, text, yaml)
        document = yaml.load(text)
    except YAMLError as exc:
        raise _yaml_error(path, exc) from exc
    if not isinstance(document, dict):
        found = "nothing" if document is None else type(document).__name__
        raise ManifestError(path, f"expected a mapping at the top level, found {found}")
    return document


def _entry_lines(text: str) -> dict[str, int]:
    """Line of each package key under ``packages:`` (the safe loader keeps no positions).

    Package keys are the shallowest indented keys after ``packages:``; deeper ones
    (``description:``) are fields. One pass, counting newlines as it goes.
    """
    start = _PACKAGES_KEY.search(text)
    if start is None:
        return {}
    lines: dict[str, int] = {}
    line, offset = 1, 0
    indent: str | None = None
    for match in _ENTRY_KEY.finditer(text, start.end()):
        indent = match.group(1) if indent is None else indent
        if match.group(1) != indent:
            continue
        line += text.count("\n", offset, match.start())
        offset = match.start()
        lines.setdefault(match.group(2), line)
    return lines


def _location(source: SourceKind, description: object) -> str | None:
    if not isinstance(description, dict):
        return None
    field = {SourceKind.GIT: "url", SourceKind.PATH: "path"}.get(source)
    value = description.get(field) if field else None
    return value if isinstance(value, str) and value else None


class PubspecLockParser:
    format: ClassVar[str] = "pubspec.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PUB
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("pubspec.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = _load(path, text)
        packages = document.get("packages")
        if packages is None and "packages" in document:
            packages = {}
        if not isinstance(packages, dict):
            found = "nothing" if packages is None else type(packages).__name__
            raise ManifestError(path, f'"packages" must be a mapping, found {found}')
        lines = _entry_lines(text)
        components: list[Component] = []
        problems: list[Problem] = []
        for name, entry in packages.items():
            built = self._component(path, str(name), entry, lines.get(str(name)), problems)
            if built is not None:
                components.append(built)
        return parsed(self, path, components, problems=problems)

    def _component(
        self, path: str, name: str, entry: object, line: int | None, problems: list[Problem]
    ) -> Component | None:
        if not isinstance(entry, dict):
            problems.append(Problem(message=f"skipped {name}: not a mapping", line=line))
            return None
        raw_source = entry.get("source")
        if raw_source == _SDK_SOURCE:
            return None
        version = entry.get("version")
        if not isinstance(version, str) or not version:
            problems.append(Problem(message=f"skipped {name}: no version", line=line))
            return None
        source = _SOURCES.get(str(raw_source))
        if source is None:
            problems.append(
                Problem(
                    message=f"unknown source {raw_source!r} of {name}; read as hosted", line=line
                )
            )
        dependency = entry.get("dependency")
        direct, scope = _DEPENDENCY.get(str(dependency), (None, Scope.UNKNOWN))
        if str(dependency) not in _DEPENDENCY:
            problems.append(
                Problem(message=f"unknown dependency {dependency!r} of {name}", line=line)
            )
        kind = source or SourceKind.REGISTRY
        return component(
            name=name,
            version=version,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=direct,
            scope=scope,
            line=line,
            source=kind,
            location=_location(kind, entry.get("description")),
        )
