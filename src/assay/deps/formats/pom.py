"""Maven ``pom.xml``: the dependencies a project declares, read without Maven.

Only the file itself is read: ``<dependencies>`` of the project, with
``${...}`` properties taken from its own ``<properties>`` and its own
project/parent coordinates. Entries of ``<dependencyManagement>`` are version
constraints, not dependencies: they are not components, but they fill in the
version (and scope) of a dependency declared without one. Versions that come
from a parent POM, an imported BOM, a profile or ``settings.xml`` are not known
here; such a dependency has no version. A plain version is the one Maven uses
(its "soft requirement"), so it is the component's version; a range such as
``[1.0,2.0)`` is only a requirement.

The XML goes through defusedxml: entity declarations (billion laughs) and
external references are refused and the file is reported as unreadable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from xml.parsers import expat

# defusedxml ships no type stubs; everything used from it is annotated here.
from defusedxml import (
    DefusedXmlException,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml import ElementTree as SafeET

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

# A property reference; the name holds no nested ``${`` (inner ones resolve first).
_REFERENCE = re.compile(r"\$\{([^${}]+)\}")
# Nesting deeper than this is not a real POM; it also keeps recursion bounded.
_MAX_DEPTH = 32
# Properties that double at each level would otherwise grow exponentially.
_MAX_LENGTH = 4096
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DEPENDENCY_TAG = re.compile(r"<(?:[\w.-]+:)?dependency[\s/>]")
# Stands for a value whose properties cannot be expanded (its Problem is recorded):
# it must not be replaced by a managed version, and is None in the component.
_UNKNOWN = "${?}"
_DEV_SCOPES = frozenset({"test"})
_RUNTIME_SCOPES = frozenset({"compile", "runtime", "provided", "system"})


def _local(tag: object) -> str:
    """The element name without its namespace: POMs come with and without xmlns."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next(_children(element, name), None)


def _text(element: ET.Element | None, name: str) -> str | None:
    """Stripped text of the first child ``name``; None when absent or empty."""
    child = _child(element, name)
    text = (child.text or "").strip() if child is not None else ""
    return text or None


class _UnresolvedError(Exception):
    """A value cannot be expanded; the message says why, for a Problem."""


class _Properties:
    """``${name}`` expansion from the POM's own properties, memoised and cycle-safe."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = values
        self._done: dict[str, str] = {}

    def expand(self, raw: str) -> str:
        """``raw`` with every reference replaced; raises ``_UnresolvedError``."""
        return self._expand(raw, ())

    def _expand(self, raw: str, chain: tuple[str, ...]) -> str:
        result = _REFERENCE.sub(lambda match: self._lookup(match.group(1), chain), raw)
        if len(result) > _MAX_LENGTH:
            raise _UnresolvedError(f"property expansion longer than {_MAX_LENGTH} characters")
        return result

    def _lookup(self, name: str, chain: tuple[str, ...]) -> str:
        if name in self._done:
            return self._done[name]
        if name in chain:
            cycle = " -> ".join(f"${{{n}}}" for n in (*chain[chain.index(name) :], name))
            raise _UnresolvedError(f"property cycle {cycle}")
        if len(chain) >= _MAX_DEPTH:
            raise _UnresolvedError(f"properties nested deeper than {_MAX_DEPTH}")
        if name not in self._values:
            raise _UnresolvedError(f"unresolved property ${{{name}}}")
        value = self._expand(self._values[name], (*chain, name))
        self._done[name] = value
        return value


def _properties(project: ET.Element) -> _Properties:
    """User properties plus the project coordinates POMs refer to.

    The coordinates win over a user property of the same name, as in Maven.
    """
    values: dict[str, str] = {}
    section = _child(project, "properties")
    for child in section if section is not None else ():
        name = _local(child.tag)
        if name:
            values[name] = (child.text or "").strip()
    parent = _child(project, "parent")
    coordinates = {
        "version": _text(project, "version") or _text(parent, "version"),
        "groupId": _text(project, "groupId") or _text(parent, "groupId"),
        "artifactId": _text(project, "artifactId"),
    }
    for key, value in coordinates.items():
        if value is not None:
            values[f"project.{key}"] = value
            values[f"pom.{key}"] = value
    if coordinates["version"] is not None:
        values["version"] = coordinates["version"]
    for key in ("version", "groupId", "artifactId"):
        value = _text(parent, key)
        if value is not None:
            values[f"project.parent.{key}"] = value
    return _Properties(values)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Declared:
    """One ``<dependency>`` with its properties expanded."""

    name: str
    version: str | None
    scope: str | None
    system_path: str | None


def _is_range(version: str) -> bool:
    """Ranges start with a bracket; LATEST/RELEASE are moving targets, not versions."""
    return version.startswith(("[", "(")) or version in ("LATEST", "RELEASE")


def _scope(raw: str | None) -> Scope:
    if raw is None or raw in _RUNTIME_SCOPES:
        return Scope.RUNTIME
    if raw in _DEV_SCOPES:
        return Scope.DEV
    return Scope.UNKNOWN


def _dependency_lines(text: str) -> list[int]:
    """Line of each ``<dependency>`` start tag in document order, comments ignored.

    ElementTree keeps no line numbers; the k-th ``dependency`` element of the
    tree is the k-th such tag in the text once comments are blanked out.
    """
    blanked = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    # Blanking changes offsets but keeps every newline, so line numbers stay right.
    lines: list[int] = []
    line, offset = 1, 0
    for match in _DEPENDENCY_TAG.finditer(blanked):
        line += blanked.count("\n", offset, match.start())
        offset = match.start()
        lines.append(line)
    return lines


def _element_lines(project: ET.Element, text: str) -> dict[int, int]:
    """Line of each ``dependency`` element, by ``id()``; empty if text and tree disagree."""
    elements = [element for element in project.iter() if _local(element.tag) == "dependency"]
    lines = _dependency_lines(text)
    if len(lines) != len(elements):
        return {}
    return {id(element): line for element, line in zip(elements, lines, strict=True)}


def _parse_xml(path: str, text: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(text)
    except ET.ParseError as exc:
        reason = f"invalid XML: {expat.ErrorString(exc.code)}"
        raise ManifestError(path, reason, line=exc.position[0]) from exc
    except EntitiesForbidden as exc:
        where = text.find("<!ENTITY")
        raise ManifestError(
            path,
            f"refused unsafe XML: it declares the entity {exc.name!r}",
            line=line_of(text, where) if where >= 0 else None,
        ) from exc
    except ExternalReferenceForbidden as exc:
        raise ManifestError(path, "refused unsafe XML: it references an external resource") from exc
    except DefusedXmlException as exc:
        raise ManifestError(path, f"refused unsafe XML: {type(exc).__name__}") from exc
    if _local(root.tag) != "project":
        raise ManifestError(path, f"the root element is <{_local(root.tag)}>, not <project>")
    return root


class PomParser:
    format: ClassVar[str] = "pom.xml"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.MAVEN
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = ("pom.xml",)

    def parse(self, path: str, text: str) -> ParsedFile:
        project = _parse_xml(path, text)
        properties = _properties(project)
        lines = _element_lines(project, text)
        problems: list[Problem] = []
        managed = self._managed(project, properties, lines, problems)
        components: list[Component] = []
        section = _child(project, "dependencies")
        for element in _children(section, "dependency") if section is not None else ():
            line = lines.get(id(element))
            declared = self._declared(element, properties, line, problems)
            if declared is not None:
                components.append(self._component(path, declared, managed, line, problems))
        return parsed(self, path, components, problems=problems)

    def _managed(
        self,
        project: ET.Element,
        properties: _Properties,
        lines: dict[int, int],
        problems: list[Problem],
    ) -> dict[str, _Declared]:
        """``<dependencyManagement>`` entries by name; imported BOMs are not read."""
        section = _child(_child(project, "dependencyManagement"), "dependencies")
        managed: dict[str, _Declared] = {}
        for element in _children(section, "dependency") if section is not None else ():
            declared = self._declared(element, properties, lines.get(id(element)), problems)
            if declared is not None and declared.scope != "import":
                managed.setdefault(declared.name, declared)
        return managed

    def _declared(
        self,
        element: ET.Element,
        properties: _Properties,
        line: int | None,
        problems: list[Problem],
    ) -> _Declared | None:
        """The entry with properties expanded, or None (and a Problem) when unusable."""
        group, artifact = _text(element, "groupId"), _text(element, "artifactId")
        if group is None or artifact is None:
            missing = "groupId" if group is None else "artifactId"
            problems.append(Problem(message=f"skipped a dependency without {missing}", line=line))
            return None
        try:
            name = f"{properties.expand(group)}:{properties.expand(artifact)}"
        except _UnresolvedError as exc:
            problems.append(Problem(message=f"skipped {group}:{artifact}: {exc}", line=line))
            return None

        def expanded(field: str) -> str | None:
            raw = _text(element, field)
            if raw is None:
                return None
            try:
                return properties.expand(raw) or None
            except _UnresolvedError as exc:
                problems.append(Problem(message=f"{field} of {name} unknown: {exc}", line=line))
                return _UNKNOWN

        return _Declared(
            name=name,
            version=expanded("version"),
            scope=_text(element, "scope"),
            system_path=expanded("systemPath"),
        )

    def _component(
        self,
        path: str,
        declared: _Declared,
        managed: dict[str, _Declared],
        line: int | None,
        problems: list[Problem],
    ) -> Component:
        rule = managed.get(declared.name)
        version = declared.version or (rule.version if rule else None)
        scope = declared.scope or (rule.scope if rule else None)
        if _scope(scope) is Scope.UNKNOWN:
            problems.append(
                Problem(message=f"unknown scope {scope!r} of {declared.name}", line=line)
            )
        if version == _UNKNOWN:
            version = None
        ranged = version is not None and _is_range(version)
        system_path = None if declared.system_path == _UNKNOWN else declared.system_path
        return component(
            name=declared.name,
            version=None if ranged else version,
            requirement=version if ranged else None,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=True,
            scope=_scope(scope),
            line=line,
            # A system-scoped jar is a file in the repository, not a registry download.
            source=SourceKind.PATH if scope == "system" else SourceKind.REGISTRY,
            location=system_path,
        )
