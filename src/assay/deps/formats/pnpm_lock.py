"""pnpm's lock file, ``pnpm-lock.yaml`` (lockfileVersion 5.x, 6.x and 9.x).

``packages`` holds one entry per locked package. Its keys changed over the versions:
``/name/1.2.3_peer@1.0.0`` in 5.x, ``/name@1.2.3(peer@1.0.0)`` in 6.x, and
``name@1.2.3`` in 9.x, where the peer-resolved variants moved to ``snapshots``.
Peer suffixes are not part of the version and are dropped; variants of one package
become one component.

The product's own packages are the importers (``importers``, or the top level of a
5.x single-project lock). A package an importer depends on is direct; ``link:``
dependencies point at other importers and are not components. Up to 6.x each
package carries ``dev: true`` (development only) or ``dev: false``; without the flag
it serves both and counts as runtime. 9.x dropped the flag, so the scope is worked
out from the dependency graph in ``snapshots``: runtime when reachable from an
importer's ``dependencies`` or ``optionalDependencies``, dev when reachable only
from ``devDependencies``, unknown when not reachable at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from assay.deps.formats._npm import (
    exact_version,
    is_package_name,
    kind_of,
    load_yaml_mapping,
    merge_copies,
    resolved_source,
    split_name,
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
from assay.deps.parsers import component, parsed

# The key spellings: 5.x, 6.x, and 9.x (whose rules later versions are read by).
V5, V6, V9 = 5, 6, 9
KNOWN_MAJORS = (V5, V6, V9)
RUNTIME_SECTIONS = ("dependencies", "optionalDependencies")
DEV_SECTIONS = ("devDependencies",)
_HOSTED_GIT = ("github.com/", "gitlab.com/", "bitbucket.org/")

Lines = dict[tuple[str, ...], int]


class PnpmLockParser:
    format: ClassVar[str] = "pnpm-lock.yaml"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("pnpm-lock.yaml",)

    def parse(self, path: str, text: str) -> ParsedFile:
        document = load_yaml_mapping(path, text)
        lock = _Lock(path, document.data, document.lines)
        components = lock.components()
        return parsed(self, path, merge_copies(components), problems=lock.problems)


def _text(value: object) -> str | None:
    """A scalar as text: YAML reads ``version: 1.0`` or ``5.4`` as numbers."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value) or None


class _Lock:
    def __init__(self, path: str, data: dict[str, Any], lines: Lines) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []
        self.style = self._style(data)
        self.packages = self._mapping(data, "packages")
        self.snapshots = self._mapping(data, "snapshots") if self.style == V9 else {}
        self.importers = self._importers(data)
        self.declared = list(self._declared())

    # -------------------------------------------------------------- reading the shape

    def _style(self, data: dict[str, Any]) -> int:
        """5, 6 or 9: which key spelling and which scope rules the file follows."""
        value = data.get("lockfileVersion")
        line = self.lines.get(("lockfileVersion",))
        written = _text(value)
        if written is None:
            found = "nothing" if value is None else kind_of(value)
            message = f"lockfileVersion should be a version number, found {found}"
            raise ManifestError(self.path, message, line=line)
        major = written.partition(".")[0]
        if not major.isdigit():
            message = f"lockfileVersion {written!r} is not a version number"
            raise ManifestError(self.path, message, line=line)
        number = int(major)
        if number not in KNOWN_MAJORS:
            message = (
                f"lockfileVersion {written} is not one of 5.x, 6.x, 9.x; read like the nearest"
            )
            self.problems.append(Problem(message=message, line=line))
        return V5 if number <= V5 else V6 if number == V6 else V9

    def _mapping(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:  # ``packages:`` with nothing under it
            return {}
        if not isinstance(value, dict):
            message = f"{key} should be a mapping, found {kind_of(value)}"
            raise ManifestError(self.path, message, line=self.lines.get((key,)))
        return value

    def _importers(self, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The product's packages; a lock without ``importers`` describes one, at the top."""
        if "importers" not in data:
            return {".": data}
        importers: dict[str, dict[str, Any]] = {}
        for name, importer in self._mapping(data, "importers").items():
            if isinstance(importer, dict):
                importers[str(name)] = importer
            elif importer is not None:
                message = f"importer {name!r} should be a mapping, found {kind_of(importer)}"
                self.problems.append(Problem(message=message, line=self._line("importers", name)))
        return importers

    def _line(self, section: str, key: object) -> int | None:
        return self.lines.get((section, str(key)))

    # -------------------------------------------------------------- direct and scope

    def _declared(self) -> Iterator[tuple[str, str, str, str]]:
        """(importer, section, name, version) for every dependency of every importer."""
        for importer, declared in self.importers.items():
            for section in (*RUNTIME_SECTIONS, *DEV_SECTIONS):
                entries = declared.get(section)
                for name, reference in entries.items() if isinstance(entries, dict) else ():
                    value = reference.get("version") if isinstance(reference, dict) else reference
                    version = _text(value)
                    if version is None:
                        message = f"{name}: in {section} of importer {importer!r} without a version"
                        line = self._line("importers", importer)
                        self.problems.append(Problem(message=message, line=line))
                    elif not version.startswith("link:"):  # another importer
                        yield importer, section, str(name), version

    def _package_key(self, name: str, version: str) -> str | None:
        """The ``packages`` key a dependency reference points at, if it is there."""
        if self.style == V5:
            candidates = (f"/{name}/{version}", version)
        elif self.style == V6:
            candidates = (f"/{name}@{version}", version)
        else:
            candidates = (f"{name}@{version}".partition("(")[0], version.partition("(")[0])
        return next((key for key in candidates if key in self.packages), None)

    def _snapshot_key(self, name: str, version: str) -> str | None:
        candidates = (f"{name}@{version}", version)
        return next((key for key in candidates if key in self.snapshots), None)

    def _direct(self) -> dict[str, Scope]:
        """Package keys the importers depend on, with the scope they declare them in."""
        direct: dict[str, Scope] = {}
        for importer, section, name, version in self.declared:
            key = self._package_key(name, version)
            if key is None:
                where = f"{section} of importer {importer!r}"
                message = f"{name} {version}: in {where} but not in packages"
                line = self._line("importers", importer)
                self.problems.append(Problem(message=message, line=line))
                continue
            if direct.get(key) is not Scope.RUNTIME:
                direct[key] = Scope.DEV if section in DEV_SECTIONS else Scope.RUNTIME
        return direct

    def _reachable(self, sections: tuple[str, ...]) -> set[str]:
        """Package keys reachable in ``snapshots`` from the importers' ``sections``."""
        pending = [
            key
            for _, section, name, version in self.declared
            if section in sections and (key := self._snapshot_key(name, version)) is not None
        ]
        seen: set[str] = set()
        while pending:
            key = pending.pop()
            if key in seen:
                continue
            seen.add(key)
            snapshot = self.snapshots.get(key)
            for section in RUNTIME_SECTIONS:
                entries = snapshot.get(section) if isinstance(snapshot, dict) else None
                for name, value in entries.items() if isinstance(entries, dict) else ():
                    version = _text(value)
                    following = None if version is None else self._snapshot_key(str(name), version)
                    if following is not None and following not in seen:
                        pending.append(following)
        return {key.partition("(")[0] for key in seen}

    def _scopes(self, direct: dict[str, Scope]) -> dict[str, Scope]:
        if self.style != V9:
            return {
                key: Scope.DEV if _flag(entry, "dev") else Scope.RUNTIME
                for key, entry in self.packages.items()
            }
        runtime = self._reachable(RUNTIME_SECTIONS)
        runtime.update(key for key, scope in direct.items() if scope is Scope.RUNTIME)
        dev = self._reachable(DEV_SECTIONS)
        dev.update(key for key, scope in direct.items() if scope is Scope.DEV)
        return {
            key: Scope.RUNTIME if key in runtime else Scope.DEV if key in dev else Scope.UNKNOWN
            for key in self.packages
        }

    # -------------------------------------------------------------- components

    def components(self) -> list[Component]:
        direct = self._direct()
        scopes = self._scopes(direct)
        found: list[Component] = []
        for key, entry in self.packages.items():
            line = self._line("packages", key)
            if not isinstance(entry, dict):
                message = f"packages[{key!r}] should be a mapping, found {kind_of(entry)}"
                self.problems.append(Problem(message=message, line=line))
                continue
            name, version = self._identify(str(key), entry)
            if name is None or not is_package_name(name):
                message = f"packages[{key!r}]: cannot tell the package name"
                self.problems.append(Problem(message=message, line=line))
                continue
            source, location = _source(str(key), entry)
            found.append(
                component(
                    name=name,
                    version=version,
                    ecosystem=Ecosystem.NPM,
                    declared_in=self.path,
                    direct=key in direct,
                    scope=scopes.get(key, Scope.UNKNOWN),
                    line=line,
                    source=source,
                    location=location,
                )
            )
        return found

    def _identify(self, key: str, entry: dict[str, Any]) -> tuple[str | None, str | None]:
        """Name and version from the key, unless the entry spells them (non-registry)."""
        if self.style == V5:
            # Keys outside the registry (github.com/user/repo/sha) name no package.
            bare = key[1:] if key.startswith("/") else ""
            name, _, version = bare.rpartition("/")
            version = version.partition("_")[0]
        else:
            name, version = split_name(key.removeprefix("/").partition("(")[0])
        written_name, written_version = _text(entry.get("name")), _text(entry.get("version"))
        return (
            written_name or name or None,
            written_version or (version if exact_version(version) else None),
        )


def _flag(entry: object, name: str) -> bool:
    return isinstance(entry, dict) and entry.get(name) is True


def _source(key: str, entry: dict[str, Any]) -> tuple[SourceKind, str | None]:
    """Where ``resolution`` says the package comes from."""
    resolution = entry.get("resolution")
    if not isinstance(resolution, dict):
        return SourceKind.REGISTRY, None
    kind = resolution.get("type")
    if kind == "git":
        repository, commit = _text(resolution.get("repo")), _text(resolution.get("commit"))
        location = f"{repository}#{commit}" if repository and commit else repository
        return SourceKind.GIT, location
    if kind == "directory":
        return SourceKind.PATH, _text(resolution.get("directory"))
    return _tarball_source(key, _text(resolution.get("tarball")))


def _tarball_source(key: str, tarball: str | None) -> tuple[SourceKind, str | None]:
    """Registry tarballs, hosted-git archives (codeload), local tarballs, other downloads."""
    if tarball is not None and (
        key.removeprefix("/").startswith(_HOSTED_GIT) or "://codeload.github.com/" in tarball
    ):
        return SourceKind.GIT, tarball
    return resolved_source(tarball)
