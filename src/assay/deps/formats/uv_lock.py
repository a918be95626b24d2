"""``uv.lock``: one ``[[package]]`` table per locked package, with its dependency edges.

The project's own packages (workspace members: source ``editable``/``virtual``
at ``"."``, or named in ``[manifest] members``) are not dependencies and are left
out; what they list in ``dependencies``, ``optional-dependencies`` and
``dev-dependencies`` is direct, everything else is not. Scope follows the
edges: a package reachable from a member's runtime dependencies (or from an
extra whose name is not a development word) is runtime, one reachable only
from ``dev-dependencies`` (or development extras) is dev. Extras are followed
only where an edge asks for them. A lock with no member (``uv lock --script``)
gives ``direct=None`` and an unknown scope.

The same name may appear at several versions (uv forks the resolution by
marker); dependency edges then name the version, and the source, they mean.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from assay.deps.formats.pyproject import (
    array_table_lines,
    expect_array,
    expect_table,
    load_toml,
)
from assay.deps.formats.requirements import canonical_name, looks_dev, path_location
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

_PATH_SOURCES = ("path", "directory", "editable", "virtual")


@dataclass(frozen=True, slots=True)
class _Edge:
    """One entry of a package's dependency list."""

    name: str
    version: str | None
    source: object
    extras: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class _Node:
    index: int
    name: str
    version: str | None
    source: object
    line: int | None
    member: bool
    dependencies: tuple[_Edge, ...]
    optional: Mapping[str, tuple[_Edge, ...]]
    dev: Mapping[str, tuple[_Edge, ...]]


def _source(source: object, base_dir: str) -> tuple[SourceKind, str | None]:
    """Source kind and location; ValueError for a source uv does not write."""
    if not isinstance(source, dict) or "registry" in source:
        return SourceKind.REGISTRY, None
    if isinstance(source.get("git"), str):
        return SourceKind.GIT, source["git"]
    if isinstance(source.get("url"), str):
        return SourceKind.URL, source["url"]
    for key in _PATH_SOURCES:
        if isinstance(source.get(key), str):
            return SourceKind.PATH, path_location(base_dir, source[key])
    raise ValueError(f"unknown source {source!r}")


def _edges(values: object, owner: str) -> tuple[_Edge, ...]:
    edges: list[_Edge] = []
    for value in values if isinstance(values, list) else []:
        name = canonical_name(str(value.get("name", ""))) if isinstance(value, dict) else None
        if not isinstance(value, dict) or name is None:
            raise ValueError(f"package {owner!r} has an invalid dependency entry {value!r}")
        extras = value.get("extra")
        version = value.get("version")
        edges.append(
            _Edge(
                name=name,
                version=version if isinstance(version, str) else None,
                source=value.get("source"),
                extras=tuple(str(e) for e in extras) if isinstance(extras, list) else (),
            )
        )
    return tuple(edges)


def _groups(values: object, owner: str) -> dict[str, tuple[_Edge, ...]]:
    if not isinstance(values, dict):
        return {}
    return {str(group): _edges(edges, owner) for group, edges in values.items()}


def _node(index: int, entry: object, line: int | None, members: set[str]) -> _Node:
    if not isinstance(entry, dict):
        raise ValueError(f"[[package]] entry is not a table: {entry!r}")
    name = canonical_name(str(entry.get("name", "")))
    if name is None:
        raise ValueError(f"[[package]] entry with an invalid name {entry.get('name')!r}")
    source = entry.get("source")
    at_root = isinstance(source, dict) and "." in (source.get("editable"), source.get("virtual"))
    version = entry.get("version")
    return _Node(
        index=index,
        name=name,
        version=version if isinstance(version, str) and version else None,
        source=source,
        line=line,
        member=at_root or name in members,
        dependencies=_edges(entry.get("dependencies"), name),
        optional=_groups(entry.get("optional-dependencies"), name),
        dev=_groups(entry.get("dev-dependencies"), name),
    )


class _Graph:
    """The lock's packages and the edges between them."""

    def __init__(self, nodes: list[_Node]) -> None:
        self.nodes = nodes
        self.by_name: dict[str, list[_Node]] = defaultdict(list)
        for node in nodes:
            self.by_name[node.name].append(node)

    def targets(self, edge: _Edge) -> list[_Node]:
        """The packages an edge means; it names version and source only when ambiguous."""
        found = self.by_name.get(edge.name, [])
        if edge.version is not None:
            found = [n for n in found if n.version == edge.version] or found
        if edge.source is not None:
            found = [n for n in found if n.source == edge.source] or found
        return found

    def reach(self, roots: Iterable[_Edge]) -> set[int]:
        """Indices of the packages the roots pull in, following extras only when asked."""
        stack = [(node, edge.extras) for edge in roots for node in self.targets(edge)]
        seen: set[tuple[int, str | None]] = set()
        reached: set[int] = set()
        while stack:
            node, extras = stack.pop()
            for extra in (None, *extras):
                if (node.index, extra) in seen:
                    continue
                seen.add((node.index, extra))
                reached.add(node.index)
                edges = node.dependencies if extra is None else node.optional.get(extra, ())
                stack.extend((target, e.extras) for e in edges for target in self.targets(e))
        return reached


@dataclass(frozen=True, kw_only=True, slots=True)
class _Roles:
    """Which packages the members ask for directly, and which need them at run time."""

    has_members: bool
    direct: frozenset[int]
    runtime: frozenset[int]
    dev: frozenset[int]

    @classmethod
    def of(cls, graph: _Graph) -> _Roles:
        runtime: list[_Edge] = []
        dev: list[_Edge] = []
        members = [node for node in graph.nodes if node.member]
        for member in members:
            runtime.extend(member.dependencies)
            for group, edges in member.optional.items():
                (dev if looks_dev(group) else runtime).extend(edges)
            for edges in member.dev.values():
                dev.extend(edges)
        return cls(
            has_members=bool(members),
            direct=frozenset(n.index for e in runtime + dev for n in graph.targets(e)),
            runtime=frozenset(graph.reach(runtime)),
            dev=frozenset(graph.reach(dev)),
        )

    def scope(self, node: _Node) -> Scope:
        if node.index in self.runtime:
            return Scope.RUNTIME
        return Scope.DEV if node.index in self.dev else Scope.UNKNOWN

    def is_direct(self, node: _Node) -> bool | None:
        return node.index in self.direct if self.has_members else None


class UvLockParser:
    format: ClassVar[str] = "uv.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("uv.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        data = load_toml(path, text)
        if not isinstance(data.get("version"), int):
            raise ManifestError(path, "no integer 'version' key: not a uv lock file")
        nodes, problems = self._nodes(path, text, data)
        components = self._components(path, _Graph(nodes), problems)
        return parsed(self, path, components, problems=problems)

    def _nodes(
        self, path: str, text: str, data: dict[str, Any]
    ) -> tuple[list[_Node], list[Problem]]:
        manifest = expect_table(data.get("manifest"), path, text, "manifest")
        listed = expect_array(manifest.get("members"), path, text, "manifest.members")
        members = {canonical_name(str(m)) or "" for m in listed}
        packages = expect_array(data.get("package"), path, text, "package")
        nodes: list[_Node] = []
        problems: list[Problem] = []
        for entry, line in zip(
            packages, array_table_lines(text, "package", len(packages)), strict=True
        ):
            try:
                nodes.append(_node(len(nodes), entry, line, members))
            except ValueError as exc:
                problems.append(Problem(message=str(exc), line=line))
        return nodes, problems

    def _components(self, path: str, graph: _Graph, problems: list[Problem]) -> list[Component]:
        roles = _Roles.of(graph)
        components: list[Component] = []
        for node in graph.nodes:
            if node.member:
                continue
            try:
                source, location = _source(node.source, posixpath.dirname(path))
                if node.version is None and source is not SourceKind.PATH:
                    raise ValueError("no version")
            except ValueError as exc:
                problems.append(Problem(message=f"package {node.name!r}: {exc}", line=node.line))
                continue
            components.append(
                component(
                    name=node.name,
                    version=node.version,
                    ecosystem=self.ecosystem,
                    declared_in=path,
                    direct=roles.is_direct(node),
                    scope=roles.scope(node),
                    line=node.line,
                    source=source,
                    location=location,
                )
            )
        return components
