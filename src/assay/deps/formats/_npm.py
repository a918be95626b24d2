"""What the npm-family parsers share: dependency specs, JSON key positions, guarded YAML.

package.json, package-lock.json, yarn.lock and pnpm-lock.yaml all use npm's language
for saying where a dependency comes from: a semver range or tag for the registry,
``npm:real@^1`` for an alias, ``github:user/repo`` or ``git+https://…`` for git,
``file:../lib`` for a local folder or tarball, ``workspace:*`` for a sibling package.
This module reads that language once for all four formats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from assay.deps.model import Component, ManifestError, Scope, SourceKind

# ------------------------------------------------------------------ dependency specs

_GIT_PREFIXES = ("git+", "git://", "git@", "github:", "gitlab:", "bitbucket:", "gist:")
_PATH_PROTOCOLS = ("file:", "link:", "portal:")
_PATH_STARTS = ("./", "../", "/", "~/")
# Longer specs are never plain versions; the cap also bounds the regex's work.
_MAX_VERSION_LENGTH = 256
_IDENTIFIERS = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
_EXACT_VERSION = re.compile(rf"[0-9]+\.[0-9]+\.[0-9]+(?:-{_IDENTIFIERS})?(?:\+{_IDENTIFIERS})?")


@dataclass(frozen=True, kw_only=True, slots=True)
class Spec:
    """What one dependency spec asks for."""

    # The package really installed: the target of an ``npm:`` alias, else the given name.
    name: str
    # The range, tag or reference as written (without the alias prefix); "*" when empty.
    requirement: str
    # The exact version, when the spec pins one.
    version: str | None
    source: SourceKind
    # Git URL, local path or download URL for non-registry sources (none for ``workspace:``).
    location: str | None = None


def exact_version(spec: str) -> str | None:
    """The version ``spec`` pins (``1.2.3``, ``=1.2.3``, ``v1.2.3-rc.1``), or None for a range."""
    text = spec.strip()
    if len(text) > _MAX_VERSION_LENGTH:
        return None
    text = text.removeprefix("=").lstrip().removeprefix("v")
    return text if _EXACT_VERSION.fullmatch(text) else None


def split_name(descriptor: str) -> tuple[str, str]:
    """``name@range`` split at the ``@`` that ends the name (scoped names start with ``@``)."""
    at = descriptor.find("@", 1)
    if at == -1:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1 :]


def is_package_name(name: str) -> bool:
    """Whether ``name`` can name an npm package (and so make a purl): ``x`` or ``@scope/x``."""
    if name.startswith("@"):
        scope, slash, rest = name.partition("/")
        if not slash or scope == "@":
            return False
    else:
        rest = name
    return bool(rest.strip()) and "/" not in rest


def read_spec(name: str, spec: str) -> Spec:
    """Classify the spec ``name`` is declared with, following one ``npm:`` alias."""
    text = spec.strip()
    if text.startswith("npm:"):
        real, target = split_name(text[len("npm:") :])
        return replace(_plain_spec(target), name=real or name)
    return replace(_plain_spec(text), name=name)


def _plain_spec(text: str) -> Spec:
    requirement = text or "*"
    if text.startswith("workspace:"):  # a package of the same repository, found by name
        return Spec(name="", requirement=requirement, version=None, source=SourceKind.PATH)
    source, location = _non_registry(text)
    version = exact_version(text) if source is SourceKind.REGISTRY else None
    return Spec(name="", requirement=requirement, version=version, source=source, location=location)


def _non_registry(text: str) -> tuple[SourceKind, str | None]:
    """Where a spec that does not name a registry version points, if it does not."""
    if text.startswith(_PATH_PROTOCOLS):
        return SourceKind.PATH, local_path(text)
    if text.startswith(_PATH_STARTS) or text in (".", ".."):
        return SourceKind.PATH, text
    if text.startswith(_GIT_PREFIXES):
        return SourceKind.GIT, text
    if "://" in text:
        return (SourceKind.GIT if looks_like_git_url(text) else SourceKind.URL), text
    if _is_github_shorthand(text):
        return SourceKind.GIT, f"github:{text}"
    return SourceKind.REGISTRY, None


def _is_github_shorthand(text: str) -> bool:
    """``user/repo`` or ``user/repo#ref``: npm reads a bare slash pair as a GitHub repository."""
    repository = text.partition("#")[0]
    owner, slash, project = repository.partition("/")
    return (
        bool(slash and owner and project)
        and not text.startswith(("@", "."))
        and "/" not in project
        and not any(character.isspace() for character in text)
    )


def local_path(text: str) -> str:
    """The path of a ``file:``, ``link:`` or ``portal:`` spec (``file:///x`` -> ``/x``)."""
    _, _, rest = text.partition(":")
    return rest[2:] if rest.startswith("///") else rest


def looks_like_git_url(url: str) -> bool:
    """An http(s) URL of a git repository rather than of a tarball."""
    return url.partition("#")[0].endswith(".git") or "#commit=" in url


def resolved_source(resolved: str | None) -> tuple[SourceKind, str | None]:
    """Where a lock file's ``resolved`` address fetched a package from.

    Registry tarballs, on npmjs.org or a private registry alike, live under
    ``<name>/-/<file>.tgz``; any other http(s) address is a direct download.
    """
    if not resolved:
        return SourceKind.REGISTRY, None
    if resolved.startswith(_GIT_PREFIXES):
        return SourceKind.GIT, resolved
    if resolved.startswith(_PATH_PROTOCOLS):
        return SourceKind.PATH, local_path(resolved)
    if "://" not in resolved:
        return SourceKind.PATH, resolved
    if resolved.startswith(("https://", "http://")) and "/-/" in resolved:
        return SourceKind.REGISTRY, None
    return (SourceKind.GIT if looks_like_git_url(resolved) else SourceKind.URL), resolved


_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),  # before int: a bool is an int
    ((int, float), "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


def kind_of(value: object) -> str:
    """How an error message names a JSON or YAML value's type."""
    if value is None:
        return "null"
    for kind, name in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__


# ------------------------------------------------------------------ JSON

KeyPath = tuple[str, ...]

# A JSON string (the unrolled form matches in linear time) or a structural character.
# Numbers, true, false and null are skipped: only keys and nesting matter here.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],]')
_ARRAY_ITEM = "[]"


def load_json_object(path: str, text: str) -> dict[str, Any]:
    """The top-level JSON object of ``text``, or a ManifestError saying why not."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise ManifestError(path, f"invalid JSON: {error.msg}", line=error.lineno) from None
    except RecursionError:
        raise ManifestError(path, "invalid JSON: nested too deeply") from None
    except ValueError as error:  # a number longer than Python converts (4300 digits)
        raise ManifestError(path, f"invalid JSON: {error}") from None
    if not isinstance(data, dict):
        found = kind_of(data)
        raise ManifestError(path, f"expected a JSON object at the top level, found {found}", line=1)
    return data


@dataclass(slots=True)
class _Container:
    is_object: bool
    expecting_key: bool = True
    last_key: str = _ARRAY_ITEM


def json_key_lines(text: str, keep: Callable[[KeyPath], bool]) -> dict[KeyPath, int]:
    """1-based line of every object key whose path ``keep`` accepts, in valid JSON ``text``.

    ``json`` gives no positions, so this walks the tokens once more. Only the kept
    paths are stored: a large lock file has far more keys than the parser reports on.
    """
    lines: dict[KeyPath, int] = {}
    stack: list[_Container] = []
    keys: list[str] = []
    line, counted_to = 1, 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            top = stack[-1] if stack else None
            if top is None or not top.is_object or not top.expecting_key:
                continue
            key = json.loads(token) if "\\" in token else token[1:-1]
            top.last_key, top.expecting_key = key, False
            key_path = (*keys, key)
            if keep(key_path):
                line += text.count("\n", counted_to, match.start())
                counted_to = match.start()
                lines[key_path] = line
        elif first in "{[":
            if stack:
                keys.append(stack[-1].last_key)
            stack.append(_Container(is_object=first == "{"))
        elif first in "}]":
            if stack:
                stack.pop()
            if stack:  # ``keys`` holds one key per container below the root
                keys.pop()
        elif stack and stack[-1].is_object:  # a comma: a key comes next
            stack[-1].expecting_key = True
    return lines


# ------------------------------------------------------------------ YAML

# Aliases let a few lines stand for an exponential number of values ("billion laughs",
# or the same with ``<<`` merge keys). Lock files are written by tools that never use
# aliases, so a document whose aliases add more values than this is refused before it
# is built.
MAX_ALIAS_GROWTH = 10_000
# ruamel's scanner does work proportional to the flow nesting depth ([ [ [ …) for each
# token, so a small hostile file can keep it busy for minutes. Lock files nest flow
# collections one or two levels.
MAX_FLOW_DEPTH = 32
_FLOW_TOKEN = re.compile(
    r"""(?:^|(?<=[\s\[{,:]))(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\n]*(?:''[^'\n]*)*')
    |(?:^|(?<=\s))\#[^\n]*
    |[\[\]{}]""",
    re.VERBOSE | re.MULTILINE,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class YamlDocument:
    """A YAML mapping and the lines of its keys down to the second level."""

    data: dict[str, Any]
    lines: dict[KeyPath, int]


class _AliasBombError(Exception):
    """The document grows past the alias budget, or an alias refers to its own ancestor."""


def load_yaml_mapping(path: str, text: str) -> YamlDocument:
    """Parse ``text`` with ruamel's safe loader after the alias and nesting guards."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    deep = _too_deep_flow(text)
    if deep is not None:
        problem = f"flow collections ([ ], {{ }}) are nested more than {MAX_FLOW_DEPTH} deep"
        raise ManifestError(path, f"invalid YAML: {problem}", line=text.count("\n", 0, deep) + 1)
    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
        if root is not None:
            _check_aliases(root)
        data = None if root is None else yaml.constructor.construct_document(root)
    except _AliasBombError as bomb:
        raise ManifestError(path, str(bomb)) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        problem = error.problem or error.context or "unreadable"
        raise ManifestError(path, f"invalid YAML: {problem}", line=line) from None
    except ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        problem = f"unacceptable character #x{error.character:04x}"
        raise ManifestError(path, f"invalid YAML: {problem}", line=line) from None
    except YAMLError as error:
        raise ManifestError(path, f"invalid YAML: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise ManifestError(path, "invalid YAML: nested too deeply") from None
    except ValueError as error:  # explicitly tagged scalars (!!int x) convert unguarded
        raise ManifestError(path, f"invalid YAML: {error}") from None
    if not isinstance(data, dict):
        found = "an empty document" if data is None else kind_of(data)
        raise ManifestError(path, f"expected a mapping at the top level, found {found}", line=1)
    return YamlDocument(data=data, lines=_key_lines(root))


def _too_deep_flow(text: str) -> int | None:
    """Offset of a bracket that nests flow collections too deep; quotes and comments skipped."""
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _FLOW_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return match.start()
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


def _check_aliases(root: Any) -> None:
    """Refuse a node graph whose aliases expand it by more than MAX_ALIAS_GROWTH values."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    seen: set[int] = set()

    def size(node: Any) -> int:
        seen.add(id(node))
        if not isinstance(node, MappingNode | SequenceNode):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in visiting:
            raise _AliasBombError("YAML aliases refer to their own ancestors (a cycle)")
        visiting.add(id(node))
        if isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            children = [child for pair in node.value for child in pair]
        total = 1 + sum(size(child) for child in children)
        visiting.discard(id(node))
        sizes[id(node)] = total
        return total

    if size(root) - len(seen) > MAX_ALIAS_GROWTH:
        raise _AliasBombError(
            f"YAML aliases expand the document by more than {MAX_ALIAS_GROWTH} values"
        )


def _key_lines(root: Any) -> dict[KeyPath, int]:
    """Lines of the top-level keys and of the keys of top-level mappings."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    lines: dict[KeyPath, int] = {}
    if not isinstance(root, MappingNode):
        return lines
    for key, value in root.value:
        if not isinstance(key, ScalarNode):
            continue
        lines[(str(key.value),)] = key.start_mark.line + 1
        if isinstance(value, MappingNode):
            for inner, _ in value.value:
                if isinstance(inner, ScalarNode):
                    lines[(str(key.value), str(inner.value))] = inner.start_mark.line + 1
    return lines


# ------------------------------------------------------------------ merging copies


def merge_copies(components: list[Component]) -> list[Component]:
    """One component per package: copies installed at several places are folded.

    Lock files list a package once per install location (npm's nesting, pnpm's peer
    variants, yarn's patched twins). The copies differ only in where they sit, so one
    component stands for them: direct if any copy is, runtime if any copy is, the
    first line.
    """
    groups: dict[tuple[str, str | None, SourceKind, str | None], list[Component]] = {}
    for item in components:
        key = (item.name, item.version, item.source, item.location)
        groups.setdefault(key, []).append(item)
    return [_fold(copies) for copies in groups.values()]


def _fold(copies: list[Component]) -> Component:
    first = copies[0]
    if len(copies) == 1:
        return first
    flags = {copy.direct for copy in copies}
    direct = True if True in flags else (False if False in flags else None)
    scopes = {copy.scope for copy in copies}
    scope = next(s for s in (Scope.RUNTIME, Scope.UNKNOWN, Scope.DEV) if s in scopes)
    lines = [copy.line for copy in copies if copy.line is not None]
    licenses = [copy.license for copy in copies if copy.license is not None]
    return replace(
        first,
        direct=direct,
        scope=scope,
        line=min(lines) if lines else None,
        license=licenses[0] if licenses else None,
    )
