"""Bundler lock files: ``Gemfile.lock`` (or ``gems.locked``).

The file is a list of sections named in capitals at the start of a line. Source
sections (``GEM``, ``GIT``, ``PATH``, ``PLUGIN SOURCE``) give their options as
``  key: value`` lines, then ``  specs:`` with one ``    name (version)`` line
per gem and its own requirements indented by six spaces. ``DEPENDENCIES`` lists
what the Gemfile asks for, which makes those gems direct; a trailing ``!``
there only says the gem comes from a GIT or PATH source. The lock does not
record Gemfile groups, so the scope is unknown.

A gem built for one platform is written ``name (1.13.10-x86_64-linux)``. As
Bundler does, everything after the first ``-`` is the platform; it is dropped,
and the variants of one version for several platforms make one component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

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

_SOURCES: dict[str, SourceKind] = {
    "GEM": SourceKind.REGISTRY,
    "GIT": SourceKind.GIT,
    "PATH": SourceKind.PATH,
    "PLUGIN SOURCE": SourceKind.URL,
}
_DEPENDENCIES = "DEPENDENCIES"
# Sections that say nothing about which gems are used.
_IGNORED = frozenset({"PLATFORMS", "RUBY VERSION", "BUNDLED WITH", "CHECKSUMS"})
_RUBYGEMS = frozenset({"https://rubygems.org", "http://rubygems.org"})
_OPTION = re.compile(r"^  (?P<key>[a-z_]+):(?: (?P<value>.*))?$")
_SPEC = re.compile(r"^    (?P<name>[^ ()!]+) \((?P<version>[^-)]+)(?:-(?P<platform>[^)]+))?\)$")
_SPEC_REQUIREMENT = re.compile(r"^      \S")
_DEPENDENCY = re.compile(r"^  (?P<name>[^ ()!]+)(?: \((?P<requirement>[^)]*)\))?!?$")


@dataclass(frozen=True, kw_only=True, slots=True)
class _Spec:
    name: str
    version: str
    line: int


@dataclass(kw_only=True, slots=True)
class _Source:
    """One source section as it is read; options come before its specs."""

    kind: SourceKind
    options: dict[str, list[str]] = field(default_factory=dict)
    in_specs: bool = False
    specs: list[_Spec] = field(default_factory=list)

    def option(self, key: str) -> str | None:
        values = self.options.get(key, [])
        return values[0] if values else None

    def location(self) -> str | None:
        """Where the gems come from; the public rubygems.org needs no location."""
        remote = self.option("remote")
        if self.kind is SourceKind.GIT and remote is not None:
            revision = self.option("revision")
            return f"{remote}#{revision}" if revision else remote
        if self.kind is SourceKind.REGISTRY:
            # Old lock files list several remotes in one GEM section; then the gem's
            # own remote is not recorded, so no location is claimed.
            private = [r for r in self.options.get("remote", []) if r.rstrip("/") not in _RUBYGEMS]
            return private[0] if len(self.options.get("remote", [])) == 1 and private else None
        return remote


@dataclass(kw_only=True, slots=True)
class _Reading:
    """Everything gathered while walking the lines."""

    sources: list[_Source] = field(default_factory=list)
    direct: set[str] = field(default_factory=set)
    seen_dependencies: bool = False
    problems: list[Problem] = field(default_factory=list)


class GemfileLockParser:
    format: ClassVar[str] = "Gemfile.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.RUBYGEMS
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("Gemfile.lock", "gems.locked")

    def parse(self, path: str, text: str) -> ParsedFile:
        reading = self._read(path, text)
        if reading.sources and not reading.seen_dependencies:
            raise ManifestError(path, "no DEPENDENCIES section; the file looks truncated")
        components: dict[tuple[str, str, SourceKind, str | None], Component] = {}
        for source in reading.sources:
            location = source.location()
            for spec in source.specs:
                key = (spec.name, spec.version, source.kind, location)
                if key in components:
                    continue
                components[key] = component(
                    name=spec.name,
                    version=spec.version,
                    ecosystem=self.ecosystem,
                    declared_in=path,
                    direct=spec.name in reading.direct,
                    scope=Scope.UNKNOWN,
                    line=spec.line,
                    source=source.kind,
                    location=location,
                )
        return parsed(self, path, components.values(), problems=reading.problems)

    def _read(self, path: str, text: str) -> _Reading:
        reading = _Reading()
        section: str | None = None
        known = False
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.rstrip("\r")
            if not line.strip():
                continue
            if not line.startswith(" "):
                section = line.strip()
                known = self._open(section, number, reading) or known
            elif section is None:
                raise ManifestError(
                    path, "expected a section name such as GEM, found an indented line", line=number
                )
            else:
                self._line(section, line, number, reading)
        if not known and section is not None:
            raise ManifestError(path, "no GEM, GIT, PATH or DEPENDENCIES section")
        return reading

    @staticmethod
    def _open(section: str, number: int, reading: _Reading) -> bool:
        """Start a section; False when it is not one Bundler writes."""
        if section in _SOURCES:
            reading.sources.append(_Source(kind=_SOURCES[section]))
        elif section == _DEPENDENCIES:
            reading.seen_dependencies = True
        elif section not in _IGNORED:
            reading.problems.append(Problem(message=f"unknown section {section!r}", line=number))
            return False
        return True

    @staticmethod
    def _line(section: str, line: str, number: int, reading: _Reading) -> None:
        """One indented line of ``section``."""
        if section in _SOURCES:
            wrong = _source_line(reading.sources[-1], line, number)
        elif section == _DEPENDENCIES:
            wrong = _dependency_line(reading, line)
        else:
            return
        if wrong:
            reading.problems.append(
                Problem(message=f"unexpected line in {section}: {line.strip()!r}", line=number)
            )


def _source_line(source: _Source, line: str, number: int) -> bool:
    """Read one line of a source section; True when it does not fit."""
    if source.in_specs:
        if _SPEC_REQUIREMENT.match(line):
            return False
        found = _SPEC.match(line)
        if found is None:
            return True
        source.specs.append(_Spec(name=found["name"], version=found["version"], line=number))
        return False
    if line == "  specs:":
        source.in_specs = True
        return False
    option = _OPTION.match(line)
    if option is None:
        return True
    source.options.setdefault(option["key"], []).append(option["value"] or "")
    return False


def _dependency_line(reading: _Reading, line: str) -> bool:
    """Read one line of DEPENDENCIES; True when it does not fit."""
    found = _DEPENDENCY.match(line)
    if found is None:
        return True
    reading.direct.add(found["name"])
    return False
