"""Gradle dependency locking: ``gradle.lockfile`` (one ``group:artifact:version=configs`` per line).

The file does not say which dependencies are direct. A component used only by
test configurations (``testCompileClasspath`` …) is a dev dependency.
"""

from __future__ import annotations

from typing import ClassVar

from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ManifestError,
    ParsedFile,
    Problem,
    Scope,
)
from assay.deps.parsers import component, parsed


def _scope(configurations: list[str]) -> Scope:
    if not configurations:
        return Scope.UNKNOWN
    if all(name.startswith("test") for name in configurations):
        return Scope.DEV
    return Scope.RUNTIME


class GradleLockfileParser:
    format: ClassVar[str] = "gradle.lockfile"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.MAVEN
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("gradle.lockfile", "*.lockfile")

    def parse(self, path: str, text: str) -> ParsedFile:
        components: list[Component] = []
        problems: list[Problem] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#") or line.startswith("empty="):
                continue
            coordinates, _, configs = line.partition("=")
            parts = coordinates.split(":")
            if len(parts) != 3 or not all(parts):
                problems.append(
                    Problem(message=f"not group:artifact:version: {coordinates!r}", line=number)
                )
                continue
            group, artifact, version = parts
            components.append(
                component(
                    name=f"{group}:{artifact}",
                    version=version,
                    ecosystem=self.ecosystem,
                    declared_in=path,
                    direct=None,
                    scope=_scope([c for c in configs.split(",") if c]),
                    line=number,
                )
            )
        if problems and not components:
            raise ManifestError(path, "no dependency line could be read", line=problems[0].line)
        return parsed(self, path, components, problems=problems)
