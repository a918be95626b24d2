"""What a parsed manifest or lock file holds: components, includes and problems."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from assay.errors import AssayError


class Ecosystem(StrEnum):
    """Package ecosystems, spelled as OSV spells them (so advisories match by equality)."""

    PYPI = "PyPI"
    NPM = "npm"
    GO = "Go"
    CARGO = "crates.io"
    RUBYGEMS = "RubyGems"
    PACKAGIST = "Packagist"
    MAVEN = "Maven"
    NUGET = "NuGet"
    HEX = "Hex"
    PUB = "Pub"


class Scope(StrEnum):
    """Whether a component ships with the product or only serves its development."""

    RUNTIME = "runtime"
    DEV = "dev"
    # The file does not say (e.g. gradle.lockfile without configuration names).
    UNKNOWN = "unknown"


class SourceKind(StrEnum):
    """Where a component comes from."""

    REGISTRY = "registry"
    GIT = "git"
    PATH = "path"
    URL = "url"


FileKind = Literal["manifest", "lock"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Component:
    """One dependency as one file declares it.

    ``version`` is the exact version when the file fixes one (every lock file, an
    ``==`` pin in a manifest), else None and ``requirement`` holds what was asked
    for (``>=2.0,<3``). ``direct`` is None when the file alone cannot tell (a
    Cargo.lock without its Cargo.toml); the inventory settles it from the
    manifest beside it when there is one.
    """

    name: str
    version: str | None
    ecosystem: Ecosystem
    purl: str
    direct: bool | None
    scope: Scope
    declared_in: str
    line: int | None = None
    requirement: str | None = None
    source: SourceKind = SourceKind.REGISTRY
    # Git URL, local path or download URL when the source is not the registry.
    location: str | None = None
    # The licence as the file declares it, verbatim (normalised later by license.*).
    license: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """Something in a file that a parser skipped but the user should know about."""

    message: str
    line: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedFile:
    """All a parser got from one file."""

    path: str
    format: str
    kind: FileKind
    ecosystem: Ecosystem
    components: tuple[Component, ...] = ()
    # Repository paths of other files this one pulls in (requirements ``-r``/``-c``).
    includes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


class ManifestError(AssayError):
    """A manifest or lock file cannot be parsed at all: truncated, invalid, wrong shape.

    The message names the file and, where known, the line; the deps checks turn it
    into a finding, so a broken lock file is visible and never a silent pass.
    """

    def __init__(self, path: str, message: str, *, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
