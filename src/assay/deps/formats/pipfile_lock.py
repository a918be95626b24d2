"""``Pipfile.lock``: JSON with a ``default`` (runtime) and a ``develop`` (dev) section.

Each section maps a package name to what pipenv locked: ``version`` (``==1.2.3``,
the ``==`` is dropped), or a ``git`` URL, a local ``path`` or a ``file`` URL.
The sections hold the whole graph and say nothing of what the Pipfile asked
for, so ``direct`` is None; the Pipfile itself is not parsed. A package in both
sections yields two components, one per scope. ``_meta`` is not read.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any, ClassVar

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
from assay.deps.parsers import component, line_of, parsed

_SECTIONS = (("default", Scope.RUNTIME), ("develop", Scope.DEV))


def _version(value: object) -> tuple[str | None, str | None]:
    """Version and requirement: ``==X``/``===X`` is the version, anything else a requirement."""
    if not isinstance(value, str) or value.strip() in ("", "*"):
        return None, None
    text = value.strip()
    for operator in ("===", "=="):
        if text.startswith(operator) and "*" not in text and "," not in text:
            return text.removeprefix(operator).strip(), None
    return None, text


def _source(entry: dict[str, Any], base_dir: str) -> tuple[SourceKind, str | None]:
    if isinstance(entry.get("git"), str):
        return SourceKind.GIT, entry["git"]
    if isinstance(entry.get("path"), str):
        return SourceKind.PATH, path_location(base_dir, entry["path"])
    if isinstance(entry.get("file"), str):
        return classify_location(entry["file"], base_dir)
    return SourceKind.REGISTRY, None


class _Locator:
    """Line of a package's key inside a section, found by searching the JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def line(self, section: str, name: str) -> int | None:
        start = self.text.find(f'"{section}"')
        found = re.compile(rf'"{re.escape(name)}"\s*:').search(self.text, max(start, 0))
        return line_of(self.text, found.start()) if found else None


class PipfileLockParser:
    format: ClassVar[str] = "Pipfile.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("Pipfile.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        data = self._load(path, text)
        locator = _Locator(text)
        components: list[Component] = []
        problems: list[Problem] = []
        for section, scope in _SECTIONS:
            entries = data.get(section, {})
            if not isinstance(entries, dict):
                line = locator.line(section, section)
                raise ManifestError(path, f"'{section}' is not an object", line=line)
            for key, entry in entries.items():
                line = locator.line(section, key)
                try:
                    components.append(self._component(path, key, entry, scope, line))
                except ValueError as exc:
                    problems.append(Problem(message=f"{section}: {exc}", line=line))
        return parsed(self, path, components, problems=problems)

    def _load(self, path: str, text: str) -> dict[str, Any]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ManifestError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
        if not isinstance(data, dict):
            raise ManifestError(path, "the top level is not a JSON object", line=1)
        if "default" not in data and "develop" not in data:
            raise ManifestError(path, "no 'default' or 'develop' section: not a Pipfile.lock")
        return data

    def _component(
        self, path: str, key: str, entry: object, scope: Scope, line: int | None
    ) -> Component:
        name = canonical_name(key)
        if name is None:
            raise ValueError(f"invalid package name {key!r}")
        if not isinstance(entry, dict):
            raise ValueError(f"package {name!r} is not an object")
        version, requirement = _version(entry.get("version"))
        source, location = _source(entry, posixpath.dirname(path))
        if version is None and source is SourceKind.REGISTRY:
            raise ValueError(f"package {name!r} has no locked version")
        return component(
            name=name,
            version=version,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=None,
            scope=scope,
            line=line,
            requirement=requirement,
            source=source,
            location=location,
        )
