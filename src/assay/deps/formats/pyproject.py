"""``pyproject.toml``: PEP 621 and PEP 735 dependencies, and Poetry's own tables.

Read: ``[project] dependencies`` (runtime), ``[project.optional-dependencies]``
(runtime, unless the extra's name is a development word such as ``dev``,
``test``, ``lint``, ``docs`` or ``typing``: extras ship in the package's
metadata, development extras are only a convention), ``[dependency-groups]``
(dev: PEP 735 groups are never part of the built package),
``[tool.poetry.dependencies]`` (runtime; ``python`` is skipped) and
``[tool.poetry.dev-dependencies]`` / ``[tool.poetry.group.<name>.dependencies]``
(dev, except the ``main`` group). Every component is direct.

Poetry 2 may declare a package in ``[project]`` and refine it in
``[tool.poetry.dependencies]``; the ``[project]`` entry wins and the refinement
is not counted twice. Line numbers are found by searching the text and may be
None. The TOML helpers below are shared by the Python lock-file parsers.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from packaging.version import InvalidVersion, Version

from assay.deps.formats.requirements import (
    Declared,
    canonical_name,
    classify_location,
    looks_dev,
    path_location,
    read_pep508,
)
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
from assay.deps.parsers import line_of, parsed

_AT_LINE = re.compile(r"^(?P<reason>.*) \(at line (?P<line>\d+), column \d+\)$", re.DOTALL)
_AT_END = re.compile(r"^(?P<reason>.*) \(at end of document\)$", re.DOTALL)


def load_toml(path: str, text: str) -> dict[str, Any]:
    """The TOML document, or ManifestError naming the line tomllib stopped at."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason, line = str(exc), None
        if found := _AT_LINE.match(reason):
            reason, line = found["reason"], int(found["line"])
        elif found := _AT_END.match(reason):
            reason, line = found["reason"], max(len(text.splitlines()), 1)
        raise ManifestError(path, f"invalid TOML: {reason}", line=line) from exc


def _dotted(parts: list[str] | tuple[str, ...]) -> str:
    """Regex for a dotted TOML key, each part bare or quoted."""
    return r"[ \t]*\.[ \t]*".join(rf"[\"']?{re.escape(part)}[\"']?" for part in parts)


def key_line(text: str, name: str) -> int | None:
    """Line where a dotted name (``project.dependencies``) is defined, for error messages:
    its own ``[header]``, or a key under the header of a prefix; None when not found."""
    parts = name.split(".")
    for cut in range(len(parts), -1, -1):
        head, tail = parts[:cut], parts[cut:]
        start = 0
        if head:
            header = re.search(rf"^[ \t]*\[\[?[ \t]*{_dotted(head)}[ \t]*\]", text, re.MULTILINE)
            if header is None:
                continue
            if not tail:
                return line_of(text, header.start())
            start = header.end()
        key = re.compile(rf"^[ \t]*{_dotted(tail)}[ \t]*=", re.MULTILINE).search(text, start)
        if key is not None:
            return line_of(text, key.start())
    return None


def expect_table(value: object, path: str, text: str, name: str) -> dict[str, Any]:
    """``value`` when it is a table (absent counts as empty), else ManifestError."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ManifestError(path, f"'{name}' is not a table", line=key_line(text, name))
    return value


def expect_array(value: object, path: str, text: str, name: str) -> list[Any]:
    """``value`` when it is an array (absent counts as empty), else ManifestError."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ManifestError(path, f"'{name}' is not an array", line=key_line(text, name))
    return value


def array_table_lines(text: str, name: str, count: int) -> list[int | None]:
    """Line of each ``[[name]]`` header, in order; all None when their number is not
    ``count`` (the array was written inline, or a string holds a header)."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\]", re.MULTILINE)
    lines: list[int | None] = []
    line, offset = 1, 0
    for found in pattern.finditer(text):
        line += text.count("\n", offset, found.start())
        offset = found.start()
        lines.append(line)
    return lines if len(lines) == count else [None] * count


def declared_license(path: str, text: str) -> str | None:
    """The licence a pyproject declares for its own project, verbatim: ``[project] license``
    (an SPDX string or a ``{text = …}`` table) or ``[tool.poetry] license``. None when
    absent or given only as a file. For the licence checks; components carry none."""
    data = load_toml(path, text)
    project = data.get("project")
    if isinstance(project, dict):
        value = project.get("license")
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            return str(value["text"])
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("license"), str):
        return str(poetry["license"])
    return None


def _header(*parts: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*\[[ \t]*{_dotted(parts)}[ \t]*\]", re.MULTILINE)


def _key(name: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*([\"']?){re.escape(name)}\1[ \t]*[=.]", re.MULTILINE)


def _quoted(value: str) -> re.Pattern[str]:
    return re.compile(rf"([\"']){re.escape(value)}\1")


def _find_line(
    text: str, anchors: tuple[re.Pattern[str], ...], needle: re.Pattern[str]
) -> int | None:
    """Line of ``needle`` after the anchors (each searched after the previous one found)."""
    start = 0
    for anchor in anchors:
        if found := anchor.search(text, start):
            start = found.end()
    found = needle.search(text, start) or needle.search(text)
    return line_of(text, found.start()) if found else None


def _poetry_constraint(constraint: str) -> tuple[str | None, str | None]:
    """Version and requirement of a Poetry constraint: a bare version (``1.2.3``) or
    ``==1.2.3`` is exact; anything else (``^1.2``, ``>=1,<2``) stays as written."""
    text = constraint.strip()
    if text in ("", "*"):
        return None, None
    candidate = text.removeprefix("==").strip()
    if "*" not in candidate:
        try:
            Version(candidate)
        except InvalidVersion:
            pass
        else:
            return candidate, None
    return None, text


def _poetry_table(name: str, value: dict[str, Any], base_dir: str) -> Declared:
    if isinstance(value.get("git"), str):
        return Declared(name=name, source=SourceKind.GIT, location=value["git"])
    if isinstance(value.get("path"), str):
        location = path_location(base_dir, value["path"])
        return Declared(name=name, source=SourceKind.PATH, location=location)
    if isinstance(value.get("url"), str):
        source, location = classify_location(value["url"], base_dir)
        return Declared(name=name, source=source, location=location)
    if isinstance(value.get("version"), str):
        version, requirement = _poetry_constraint(value["version"])
        return Declared(name=name, version=version, requirement=requirement)
    raise ValueError(f"poetry dependency {name!r} has no version, git, path or url")


def _poetry_entries(name: str, value: object, base_dir: str) -> Iterator[Declared]:
    """One declaration per constraint (Poetry allows a list of them, one per marker)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            version, requirement = _poetry_constraint(item)
            yield Declared(name=name, version=version, requirement=requirement)
        elif isinstance(item, dict):
            yield _poetry_table(name, item, base_dir)
        else:
            raise ValueError(f"poetry dependency {name!r} is neither a string nor a table")


@dataclass(kw_only=True)
class _Reader:
    """Collects the components of one pyproject.toml, section by section."""

    path: str
    text: str
    components: list[Component] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def base_dir(self) -> str:
        return posixpath.dirname(self.path)

    def pep508_list(
        self, values: object, *, name: str, scope: Scope, anchors: tuple[re.Pattern[str], ...]
    ) -> set[str]:
        """Components of a list of PEP 508 strings; the names read."""
        names: set[str] = set()
        for value in expect_array(values, self.path, self.text, name):
            if isinstance(value, dict) and "include-group" in value:
                continue  # PEP 735: another group's entries, read with that group
            if not isinstance(value, str):
                self.problems.append(Problem(message=f"'{name}' has a non-string entry {value!r}"))
                continue
            line = _find_line(self.text, anchors, _quoted(value))
            try:
                declared = read_pep508(value, self.base_dir)
            except ValueError as exc:
                self.problems.append(Problem(message=str(exc), line=line))
                continue
            names.add(declared.name)
            self._add(declared, scope, line)
        return names

    def poetry_table(
        self, table: dict[str, Any], *, scope: Scope, header: re.Pattern[str], skip: set[str]
    ) -> None:
        for key, value in table.items():
            name = canonical_name(key)
            line = _find_line(self.text, (header,), _key(key))
            if key.lower() == "python" or (name is not None and name in skip):
                continue
            if name is None:
                self.problems.append(Problem(message=f"invalid project name {key!r}", line=line))
                continue
            try:
                for declared in _poetry_entries(name, value, self.base_dir):
                    self._add(declared, scope, line)
            except ValueError as exc:
                self.problems.append(Problem(message=str(exc), line=line))

    def _add(self, declared: Declared, scope: Scope, line: int | None) -> None:
        self.components.append(
            declared.component(path=self.path, direct=True, scope=scope, line=line)
        )


def _read_project(reader: _Reader, data: dict[str, Any]) -> set[str]:
    project = expect_table(data.get("project"), reader.path, reader.text, "project")
    header = _header("project")
    names = reader.pep508_list(
        project.get("dependencies"),
        name="project.dependencies",
        scope=Scope.RUNTIME,
        anchors=(header,),
    )
    extras = expect_table(
        project.get("optional-dependencies"),
        reader.path,
        reader.text,
        "project.optional-dependencies",
    )
    for group, values in extras.items():
        reader.pep508_list(
            values,
            name=f"project.optional-dependencies.{group}",
            scope=Scope.DEV if looks_dev(group) else Scope.RUNTIME,
            anchors=(re.compile("optional-dependencies"), _key(group)),
        )
    return names


def _read_groups(reader: _Reader, data: dict[str, Any]) -> None:
    groups = expect_table(
        data.get("dependency-groups"), reader.path, reader.text, "dependency-groups"
    )
    for group, values in groups.items():
        reader.pep508_list(
            values,
            name=f"dependency-groups.{group}",
            scope=Scope.DEV,
            anchors=(_header("dependency-groups"), _key(group)),
        )


def _read_poetry(reader: _Reader, data: dict[str, Any], project_names: set[str]) -> None:
    def table(value: object, parts: tuple[str, ...]) -> dict[str, Any]:
        return expect_table(value, reader.path, reader.text, ".".join(parts))

    poetry = table(table(data.get("tool"), ("tool",)).get("poetry"), ("tool", "poetry"))
    sections: list[tuple[object, Scope, tuple[str, ...]]] = [
        (poetry.get("dependencies"), Scope.RUNTIME, ("tool", "poetry", "dependencies")),
        (poetry.get("dev-dependencies"), Scope.DEV, ("tool", "poetry", "dev-dependencies")),
    ]
    for group, body in table(poetry.get("group"), ("tool", "poetry", "group")).items():
        parts = ("tool", "poetry", "group", group)
        scope = Scope.RUNTIME if group == "main" else Scope.DEV
        sections.append((table(body, parts).get("dependencies"), scope, (*parts, "dependencies")))
    for value, scope, dotted in sections:
        # Poetry 2 refines [project] entries here; they are already counted.
        skip = project_names if scope is Scope.RUNTIME else set()
        reader.poetry_table(table(value, dotted), scope=scope, header=_header(*dotted), skip=skip)


class PyprojectParser:
    format: ClassVar[str] = "pyproject.toml"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = ("pyproject.toml",)

    def parse(self, path: str, text: str) -> ParsedFile:
        data = load_toml(path, text)
        reader = _Reader(path=path, text=text)
        project_names = _read_project(reader, data)
        _read_groups(reader, data)
        _read_poetry(reader, data, project_names)
        return parsed(self, path, reader.components, problems=reader.problems)
