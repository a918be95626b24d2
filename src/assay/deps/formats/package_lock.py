"""npm's lock files, ``package-lock.json`` and ``npm-shrinkwrap.json``.

lockfileVersion 2 and 3 describe the installed tree in ``packages``, keyed by install
folder (``node_modules/a/node_modules/@scope/b``); version 2 repeats it in the old
``dependencies`` tree for npm 6, and ``packages`` is preferred. The root entry ``""``
and the workspace folders (keys outside any ``node_modules``) are the product's own
code: a package is direct when Node would resolve one of their declared dependencies
to it. Linked folders inside the project (workspaces, local packages) are not
components either; links to folders outside it are ``path`` components.

lockfileVersion 1 has only the nested ``dependencies`` tree and does not say which
packages the root asks for, so ``direct`` stays None there.
"""

from __future__ import annotations

from typing import Any, ClassVar

from assay.deps.formats._npm import (
    KeyPath,
    is_package_name,
    json_key_lines,
    kind_of,
    load_json_object,
    merge_copies,
    read_spec,
    resolved_source,
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

KNOWN_VERSIONS = (1, 2, 3)
# npm 7 (lockfileVersion 2) introduced the ``packages`` map.
FIRST_WITH_PACKAGES = 2
# Peer dependencies are supplied by whoever installs the package; see package_json.py.
DECLARED_SECTIONS = ("dependencies", "optionalDependencies", "devDependencies")
_MODULES = "node_modules/"

Found = tuple[list[Component], list[Problem]]


def _wanted(path: KeyPath) -> bool:
    """Key paths whose line is reported: top-level keys, packages, the v1 tree."""
    if len(path) <= 2 and path[0] in ("packages", "lockfileVersion"):
        return True
    return all(part == "dependencies" for part in path[::2])


class PackageLockParser:
    format: ClassVar[str] = "package-lock.json"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("package-lock.json", "npm-shrinkwrap.json")

    def parse(self, path: str, text: str) -> ParsedFile:
        data = load_json_object(path, text)
        lines = json_key_lines(text, _wanted)
        version = data.get("lockfileVersion")
        if not isinstance(version, int) or isinstance(version, bool):
            found = "nothing" if version is None else kind_of(version)
            message = f"lockfileVersion should be a number, found {found}"
            raise ManifestError(path, message, line=lines.get(("lockfileVersion",)))
        if "packages" not in data and version >= FIRST_WITH_PACKAGES:
            message = f"lockfileVersion {version} should have a packages object"
            raise ManifestError(path, message, line=lines.get(("lockfileVersion",)))
        if "packages" in data:
            packages = _mapping(path, data, "packages", lines)
            components, problems = _Packages(path, packages, lines).read()
        else:
            tree = _mapping(path, data, "dependencies", lines)
            components, problems = _read_tree(path, tree, lines)
        if version not in KNOWN_VERSIONS:
            message = f"lockfileVersion {version} is not one of 1, 2, 3; read like the nearest"
            problems.insert(0, Problem(message=message, line=lines.get(("lockfileVersion",))))
        return parsed(self, path, merge_copies(components), problems=problems)


def _mapping(path: str, data: dict[str, Any], key: str, lines: dict[KeyPath, int]) -> Any:
    value = data.get(key, {})
    if not isinstance(value, dict):
        message = f"{key} should be an object, found {kind_of(value)}"
        raise ManifestError(path, message, line=lines.get((key,)))
    return value


def _is_install(key: str) -> bool:
    return key.startswith(_MODULES) or f"/{_MODULES}" in key


def _outside_project(folder: str) -> bool:
    return folder == ".." or folder.startswith(("../", "/"))


def _scope(entry: dict[str, Any]) -> Scope:
    dev = entry.get("dev") is True or entry.get("devOptional") is True
    return Scope.DEV if dev else Scope.RUNTIME


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) and value else None


class _Packages:
    """The ``packages`` map of lockfileVersion 2 and 3."""

    def __init__(self, path: str, packages: dict[str, Any], lines: dict[KeyPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []
        self.entries: dict[str, dict[str, Any]] = {}
        for key, entry in packages.items():
            if isinstance(entry, dict):
                self.entries[key] = entry
            else:
                message = f"packages[{key!r}] should be an object, found {kind_of(entry)}"
                self.problems.append(Problem(message=message, line=lines.get(("packages", key))))
        self.importers = [
            key for key in self.entries if not _is_install(key) and not _outside_project(key)
        ]

    def read(self) -> Found:
        direct = self._direct_keys()
        components: list[Component] = []
        for key, entry in self.entries.items():
            if not _is_install(key):
                continue  # the product's own folders, or the targets of links
            line = self.lines.get(("packages", key))
            made = self._component(key, entry, direct=key in direct, line=line)
            if made is not None:
                components.append(made)
        return components, self.problems

    def _component(
        self, key: str, entry: dict[str, Any], *, direct: bool, line: int | None
    ) -> Component | None:
        name = _text(entry, "name") or key.rpartition(_MODULES)[2]
        if not is_package_name(name):
            self.problems.append(
                Problem(message=f"{key}: {name!r} is not a package name", line=line)
            )
            return None
        license = _text(entry, "license")
        location: str | None
        if entry.get("link") is True:
            target = _text(entry, "resolved")
            if target is None:
                self.problems.append(Problem(message=f"{key}: a link without a target", line=line))
                return None
            if not _outside_project(target):
                return None  # a workspace or another folder of the product itself
            linked = self.entries.get(target, {})
            version, license = _text(linked, "version"), _text(linked, "license")
            source, location = SourceKind.PATH, target
        else:
            version = _text(entry, "version")
            if version is None:
                self.problems.append(Problem(message=f"{key}: no version", line=line))
                return None
            source, location = resolved_source(_text(entry, "resolved"))
        return component(
            name=name,
            version=version,
            ecosystem=Ecosystem.NPM,
            declared_in=self.path,
            direct=direct,
            scope=_scope(entry),
            line=line,
            source=source,
            location=location,
            license=license,
        )

    def _direct_keys(self) -> set[str]:
        """Install folders that the root or a workspace resolves a declared dependency to."""
        found: set[str] = set()
        for importer in self.importers:
            declared = self.entries[importer]
            for section in DECLARED_SECTIONS:
                names = declared.get(section)
                for name in names if isinstance(names, dict) else ():
                    key = self._resolve(importer, name)
                    if key is not None:
                        found.add(key)
                    elif section != "optionalDependencies":
                        owner = f"workspace {importer}" if importer else "the root package"
                        message = f"{name}: in {section} of {owner} but not installed"
                        line = self.lines.get(("packages", importer))
                        self.problems.append(Problem(message=message, line=line))
        return found

    def _resolve(self, folder: str, name: str) -> str | None:
        """Where Node finds ``name`` from ``folder``: the nearest node_modules up the tree."""
        while True:
            key = f"{folder}/{_MODULES}{name}" if folder else f"{_MODULES}{name}"
            if key in self.entries:
                return key
            if not folder:
                return None
            folder = folder.rpartition("/")[0]


def _read_tree(path: str, tree: dict[str, Any], lines: dict[KeyPath, int]) -> Found:
    """The nested ``dependencies`` tree of lockfileVersion 1, walked without recursion."""
    components: list[Component] = []
    problems: list[Problem] = []
    pending: list[tuple[KeyPath, dict[str, Any]]] = [(("dependencies",), tree)]
    while pending:
        trail, level = pending.pop()
        for name, entry in level.items():
            key = (*trail, name)
            where = " > ".join(key[1::2])
            line = lines.get(key)
            if not isinstance(entry, dict):
                message = f"{where} should be an object, found {kind_of(entry)}"
                problems.append(Problem(message=message, line=line))
                continue
            made = _tree_component(path, name, entry, line)
            if isinstance(made, str):
                problems.append(Problem(message=f"{where}: {made}", line=line))
            else:
                components.append(made)
            nested = entry.get("dependencies")
            if isinstance(nested, dict):
                pending.append(((*key, "dependencies"), nested))
            elif nested is not None:
                message = f"{where}: dependencies should be an object, found {kind_of(nested)}"
                problems.append(Problem(message=message, line=line))
    return components, problems


def _tree_component(
    path: str, name: str, entry: dict[str, Any], line: int | None
) -> Component | str:
    """One v1 entry, or why not; ``version`` is a version, an alias or a git/file/URL spec."""
    written = _text(entry, "version")
    if written is None:
        return "no version"
    spec = read_spec(name, written)
    if not is_package_name(spec.name):
        return f"{spec.name!r} is not a package name"
    version, source, location = None, spec.source, spec.location
    if spec.source is SourceKind.REGISTRY:
        version = spec.version or spec.requirement
        source, location = resolved_source(_text(entry, "resolved"))
    return component(
        name=spec.name,
        version=version,
        ecosystem=Ecosystem.NPM,
        declared_in=path,
        direct=None,
        scope=_scope(entry),
        line=line,
        source=source,
        location=location,
    )
