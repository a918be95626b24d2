"""pip requirements files: ``requirements*.txt``, ``constraints*.txt``, ``requirements*.in``.

A requirements file lists what the product asked for, so every component is
direct; a constraints file only narrows versions of packages asked for
elsewhere, so its components have ``direct=None``. A file whose path has a
development word in it (``requirements-dev.txt``, ``requirements/test.txt``,
``docs/requirements.txt``) holds dev dependencies.

Names are canonicalised as PEP 503 says (``Foo_Bar`` -> ``foo-bar``) in
``Component.name`` too, not only in the purl, so the same package declared in
two files, or in a manifest and its lock, matches by equality. The other
Python parsers use the helpers below for the same reason.

Nothing in a requirements file makes the whole file unreadable: each line that
cannot be read is a ``Problem`` with its line number, the others still count.
Identical lines are not merged: a file listing a package twice yields two
components (the inventory deduplicates). Options other than ``-r``/``-c``/``-e``
(index URLs, ``--hash`` …) do not change what is asked for and are skipped.

Includes and local paths are resolved from the file's own directory (pip takes
``-e ./lib`` from the working directory, usually that one) into repository
paths. ``-e .`` is the product itself and yields no component.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import (
    InvalidName,
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from assay.deps.model import (
    Component,
    Ecosystem,
    FileKind,
    ParsedFile,
    Problem,
    Scope,
    SourceKind,
)
from assay.deps.parsers import component, parsed

# Words that, as one part of a file path or a dependency-group name, mark
# dependencies used only to develop, test, lint, type-check or document the product.
DEV_WORDS = frozenset(
    {
        "dev",
        "devel",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "linting",
        "linters",
        "doc",
        "docs",
        "documentation",
        "typing",
    }
)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# pip treats ``#`` as a comment only at the start of a line or after whitespace (URLs keep #egg=).
_COMMENT = re.compile(r"(^|\s+)#.*$")
_MARKER_SEPARATOR = re.compile(r"\s+;|;\s+")
_EXTRAS_SUFFIX = re.compile(r"\[[^\]]*\]$")
_EGG_NAME = re.compile(r"^[A-Za-z0-9._-]+")
_ARCHIVE_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz")

# pip options that take a value and do not change what is required.
_IGNORED_WITH_VALUE = frozenset(
    {
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--trusted-host",
        "--no-binary",
        "--only-binary",
        "--use-feature",
        "--hash",
        "--config-settings",
        "--global-option",
        "--install-option",
    }
)
_IGNORED_FLAGS = frozenset({"--pre", "--no-index", "--prefer-binary", "--require-hashes"})
_INCLUDES = frozenset({"-r", "--requirement", "-c", "--constraint"})
_EDITABLES = frozenset({"-e", "--editable"})
# Options that may follow a requirement on its own line.
_PER_REQUIREMENT = frozenset({"--hash", "--config-settings", "--global-option", "--install-option"})
_WITH_VALUE = _IGNORED_WITH_VALUE | _INCLUDES | _EDITABLES


def looks_dev(name: str) -> bool:
    """Whether a path or group name has a development word as one of its parts."""
    return any(part in DEV_WORDS for part in re.split(r"[^a-z0-9]+", name.lower()))


def canonical_name(name: str) -> str | None:
    """The PEP 503 form of a project name, or None when it is not a valid name."""
    try:
        return canonicalize_name(name.strip(), validate=True)
    except InvalidName:
        return None


def repo_path(base_dir: str, target: str) -> str | None:
    """``target``, relative to ``base_dir``, as a repository path; None when it leaves the
    repository (``../`` above the root, an absolute path, a URL)."""
    if posixpath.isabs(target) or _SCHEME.match(target):
        return None
    joined = posixpath.normpath(posixpath.join(base_dir, target))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def path_location(base_dir: str, target: str) -> str:
    """Where a local-path dependency lives: its repository path when it is inside the
    repository, else the path as the file writes it (it cannot be read from the snapshot)."""
    return repo_path(base_dir, target) or target


@dataclass(frozen=True, kw_only=True, slots=True)
class Declared:
    """What one dependency declaration asks for, before it becomes a component."""

    name: str
    version: str | None = None
    requirement: str | None = None
    source: SourceKind = SourceKind.REGISTRY
    location: str | None = None

    def component(
        self, *, path: str, direct: bool | None, scope: Scope, line: int | None
    ) -> Component:
        return component(
            name=self.name,
            version=self.version,
            ecosystem=Ecosystem.PYPI,
            declared_in=path,
            direct=direct,
            scope=scope,
            line=line,
            requirement=self.requirement,
            source=self.source,
            location=self.location,
        )


def pinned_version(specifier: SpecifierSet) -> str | None:
    """The version a specifier fixes: a lone ``==X`` (not ``==X.*``) or ``===X``."""
    specs = list(specifier)
    if len(specs) != 1:
        return None
    spec = specs[0]
    if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
        return spec.version
    return None


def classify_location(location: str, base_dir: str) -> tuple[SourceKind, str]:
    """The source kind of a URL or path, and the location to record for it."""
    lowered = location.lower()
    if lowered.startswith(("git+", "git://")):
        return SourceKind.GIT, location
    if lowered.startswith("file:"):
        return SourceKind.PATH, location
    if _SCHEME.match(location):
        # Other VCS schemes (hg+, svn+, bzr+) have no kind of their own: a download URL.
        return SourceKind.URL, location
    return SourceKind.PATH, path_location(base_dir, location)


@lru_cache(maxsize=4096)
def read_pep508(text: str, base_dir: str) -> Declared:
    """A PEP 508 requirement string; ValueError (with a one-line reason) when invalid.

    ``requirement`` is the specifier in packaging's normal form (sorted, no spaces).
    """
    try:
        parsed = Requirement(text)
    except ValueError as exc:
        raise ValueError(f"invalid requirement {text!r}: {str(exc).splitlines()[0]}") from exc
    name = canonical_name(parsed.name)
    if name is None:
        raise ValueError(f"invalid requirement {text!r}: bad project name")
    if parsed.url:
        source, location = classify_location(parsed.url, base_dir)
        return Declared(name=name, source=source, location=location)
    version = pinned_version(parsed.specifier)
    spec = str(parsed.specifier)
    return Declared(name=name, version=version, requirement=None if version or not spec else spec)


def _egg_name(location: str) -> str | None:
    eggs = parse_qs(urlsplit(location).fragment).get("egg")
    if not eggs:
        return None
    found = _EGG_NAME.match(eggs[0])
    return canonical_name(found.group()) if found else None


def _archive(location: str) -> tuple[str, str] | None:
    """Name and version from a wheel or sdist file name."""
    filename = posixpath.basename(urlsplit(location).path)
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        elif filename.endswith(_ARCHIVE_SUFFIXES):
            name, version = parse_sdist_filename(filename)
        else:
            return None
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return str(name), str(version)


def read_location(location: str, base_dir: str) -> Declared | None:
    """A requirement given as a bare URL or path (``./libs/x``, ``git+https://…#egg=x``).

    The name comes from ``#egg=``, a wheel or sdist file name, or, for a local
    directory, the directory's name (a guess: its own metadata is not read).
    None for the directory of the file itself or the repository root (``-e .``): that is
    the product, not a dependency.
    Raises ValueError when the name cannot be told.
    """
    source, where = classify_location(location, base_dir)
    if source is SourceKind.PATH and where in (".", posixpath.normpath(base_dir or ".")):
        return None
    name = _egg_name(location)
    version: str | None = None
    if name is None and (archive := _archive(location)) is not None:
        name, version = archive
    if name is None and source is SourceKind.PATH and not location.startswith("file:"):
        name = canonical_name(posixpath.basename(posixpath.normpath(where)))
    if name is None:
        raise ValueError(f"cannot tell the package name of {location!r}: add #egg=<name>")
    return Declared(name=name, version=version, source=source, location=where)


def _is_location(spec: str) -> bool:
    """Whether a requirement line is a bare URL or path rather than a PEP 508 string."""
    if _SCHEME.match(spec):
        return True
    if "@" in spec:
        return False
    head = _MARKER_SEPARATOR.split(spec, maxsplit=1)[0].strip()
    return "/" in head or head.startswith(".") or head.endswith(_ARCHIVE_SUFFIXES)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with comments removed and backslash continuations joined, each with the
    number of the physical line it starts on."""
    start: int | None = None
    pending = ""
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = _COMMENT.sub("", raw)
        if start is None:
            start = number
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        joined = (pending + line).strip()
        if joined:
            yield start, joined
        start, pending = None, ""
    if start is not None and pending.strip():
        yield start, pending.strip()


def _options(tokens: list[str]) -> Iterator[tuple[str, str | None]]:
    """``(option, value)`` pairs; ``-rfile`` and ``--requirement=file`` spellings included.

    Raises ValueError on a token that is not an option or a missing value.
    """
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token.startswith("-"):
            raise ValueError(f"unexpected {token!r} after an option")
        name, equals, value = token.partition("=")
        if not token.startswith("--") and len(token) > 2:
            name, equals, value = token[:2], "=", token[2:]
        if name not in _WITH_VALUE:
            yield name, None
        elif equals:
            yield name, value
        elif index < len(tokens):
            yield name, tokens[index]
            index += 1
        else:
            raise ValueError(f"option {name} needs a value")


def _split_options(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


class _Reader:
    """Collects what one requirements file declares, line by line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.base_dir = posixpath.dirname(path)
        self.scope = Scope.DEV if looks_dev(path) else Scope.RUNTIME
        is_constraints = posixpath.basename(path).lower().startswith("constraints")
        self.direct: bool | None = None if is_constraints else True
        self.components: list[Component] = []
        self.includes: list[str] = []
        self.problems: list[Problem] = []
        self._made: dict[Declared, Component] = {}

    def read(self, number: int, line: str) -> None:
        try:
            if line.startswith("-"):
                self._option_line(number, _split_options(line))
            else:
                self._requirement_line(number, line)
        except ValueError as exc:
            self.problems.append(Problem(message=str(exc), line=number))

    def _requirement_line(self, number: int, line: str) -> None:
        tokens = line.split()
        cut = next((i for i, t in enumerate(tokens) if t.startswith("-")), len(tokens))
        spec = " ".join(tokens[:cut])
        for option, _ in _options(tokens[cut:]):
            if option not in _PER_REQUIREMENT:
                self.problems.append(
                    Problem(message=f"unknown option {option} ignored", line=number)
                )
        if _is_location(spec):
            location = _MARKER_SEPARATOR.split(spec, maxsplit=1)[0].strip()
            self._add(number, read_location(location, self.base_dir))
        else:
            self._add(number, read_pep508(spec, self.base_dir))

    def _option_line(self, number: int, tokens: list[str]) -> None:
        for option, value in _options(tokens):
            if value is not None and option in _INCLUDES:
                self._include(number, value)
            elif value is not None and option in _EDITABLES:
                target = value if _SCHEME.match(value) else _EXTRAS_SUFFIX.sub("", value)
                self._add(number, read_location(target, self.base_dir))
            elif option not in _IGNORED_WITH_VALUE and option not in _IGNORED_FLAGS:
                self.problems.append(
                    Problem(message=f"unknown option {option} ignored", line=number)
                )

    def _include(self, number: int, target: str) -> None:
        if _SCHEME.match(target):
            self.problems.append(
                Problem(message=f"remote include {target!r} is not followed", line=number)
            )
            return
        resolved = repo_path(self.base_dir, target)
        if resolved is None:
            self.problems.append(
                Problem(message=f"include {target!r} points outside the repository", line=number)
            )
        elif resolved not in self.includes:
            self.includes.append(resolved)

    def _add(self, number: int, declared: Declared | None) -> None:
        if declared is None:
            return
        # Repeated lines (generated files list a package once per marker) reuse the
        # component already built, and so its purl: only the line differs.
        made = self._made.get(declared)
        if made is None:
            made = declared.component(
                path=self.path, direct=self.direct, scope=self.scope, line=None
            )
            self._made[declared] = made
        self.components.append(replace(made, line=number))


class RequirementsParser:
    format: ClassVar[str] = "requirements.txt"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = (
        "requirements*.txt",
        "constraints*.txt",
        "requirements*.in",
        "*.requirements.txt",
        # dev-requirements.txt, test-requirements.txt: common enough to claim too.
        "*-requirements.txt",
    )

    def parse(self, path: str, text: str) -> ParsedFile:
        reader = _Reader(path)
        for number, line in logical_lines(text):
            reader.read(number, line)
        return parsed(
            self, path, reader.components, problems=reader.problems, includes=reader.includes
        )
