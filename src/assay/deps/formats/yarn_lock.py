"""Yarn's ``yarn.lock``, in both of its formats.

Classic (Yarn 1, marked ``# yarn lockfile v1``) is Yarn's own indented format: a
header line lists the specs an entry satisfies (``"pkg@^1.0.0", pkg@^1.1.0:``), its
indented lines hold ``version "1.2.3"``, ``resolved``, ``integrity`` and blocks of
the entry's own dependencies. It is read line by line with plain string operations.
It does not list the project's own packages, so ``direct`` stays None (the inventory
settles it from package.json).

Berry (Yarn 2 and later, with a ``__metadata`` key) is YAML. Keys list descriptors
(``"pkg@npm:^1.0.0, pkg@npm:^1.1.0"``) and ``resolution`` names what was locked
(``pkg@npm:1.2.3``). Entries resolved with ``workspace:`` are the product itself,
not components; their ``dependencies`` (Yarn folds dev dependencies in) say which
descriptors the product asks for, so a package is direct when one of its
descriptors is listed there. ``patch:`` and ``virtual:`` resolutions stand for the
package they wrap.

Neither format records whether a dependency serves development only: the scope
is unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import unquote

from assay.deps.formats._npm import (
    is_package_name,
    kind_of,
    load_yaml_mapping,
    local_path,
    looks_like_git_url,
    merge_copies,
    read_spec,
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

CLASSIC_MARKER = "# yarn lockfile v1"
METADATA = "__metadata"
# Yarn gives workspaces and links this placeholder instead of a version.
LOCAL_VERSION = "0.0.0-use.local"
_SEPARATOR = re.compile(r"[ ,]")
_GIT_PROTOCOLS = ("git+", "git://", "git@", "github:", "gitlab:", "bitbucket:")
_PATH_PROTOCOLS = ("file:", "portal:", "link:")
_SHOWN = 60  # characters of an unreadable line quoted in an error

Found = tuple[list[Component], list[Problem]]


class YarnLockParser:
    format: ClassVar[str] = "yarn.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("yarn.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        if is_berry(text):
            components, problems = _read_berry(path, text)
        else:
            components, problems = _read_classic(path, text)
        if problems and not components:
            raise ManifestError(path, "no entry could be read", line=problems[0].line)
        return parsed(self, path, merge_copies(components), problems=problems)


def is_berry(text: str) -> bool:
    """Berry files have a top-level ``__metadata`` key; classic ones carry the v1 marker."""
    lines = "\n" + text.replace("\r\n", "\n")
    if f"\n{CLASSIC_MARKER}\n" in lines + "\n":
        return False
    return f"\n{METADATA}:" in lines


# ------------------------------------------------------------------ classic


@dataclass(kw_only=True, slots=True)
class _Block:
    descriptors: list[str]
    line: int
    fields: dict[str, str] = field(default_factory=dict)


def _read_classic(path: str, text: str) -> Found:
    components: list[Component] = []
    problems: list[Problem] = []
    for block in _classic_blocks(path, text):
        made = _classic_component(path, block, problems)
        if made is not None:
            components.append(made)
    return components, problems


def _classic_blocks(path: str, text: str) -> list[_Block]:
    """Entries with their top-level fields; the nested dependency blocks are checked, not kept."""
    blocks: list[_Block] = []
    current: _Block | None = None
    in_nested_block = False
    # Split on newlines only, as Yarn does: splitlines() would also break at \x0c or U+2028.
    for number, raw in enumerate(text.split("\n"), start=1):
        content = raw.strip()
        if not content or content.startswith("#"):
            continue
        body = raw.lstrip(" ")
        indent = len(raw) - len(body)
        if body[0] == "\t":
            raise ManifestError(path, "tabs are not allowed for indentation", line=number)
        if indent == 0:
            if not content.endswith(":"):
                found = _shown(content)
                message = f"expected an entry header ending with ':', found {found}"
                raise ManifestError(path, message, line=number)
            descriptors = _words(path, content[:-1], number)
            if not descriptors:
                raise ManifestError(path, "an entry header names no package", line=number)
            current = _Block(descriptors=descriptors, line=number)
            blocks.append(current)
            in_nested_block = False
        elif current is None:
            raise ManifestError(path, "an indented line before the first entry", line=number)
        elif indent <= 2:
            in_nested_block = _classic_field(path, current, content, number)
        elif not in_nested_block:
            raise ManifestError(path, "unexpected indentation", line=number)
    return blocks


def _classic_field(path: str, block: _Block, content: str, number: int) -> bool:
    """Store one ``key value`` line; True when the line opens a nested block (``key:``)."""
    words = _words(path, content, number)
    if len(words) == 1 and content.endswith(":"):
        return True
    if len(words) != 2:
        message = f"expected 'key value', found {_shown(content)}"
        raise ManifestError(path, message, line=number)
    block.fields[words[0]] = words[1]
    return False


def _words(path: str, text: str, number: int) -> list[str]:
    """Words separated by spaces or commas; double-quoted words use JSON escapes."""
    words: list[str] = []
    index, end = 0, len(text)
    while index < end:
        if text[index] in " ,":
            index += 1
        elif text[index] == '"':
            close = _closing_quote(text, index)
            if close == -1:
                raise ManifestError(path, "a quoted string is not closed", line=number)
            try:
                words.append(json.loads(text[index : close + 1]))
            except json.JSONDecodeError:
                raise ManifestError(path, "a quoted string has a bad escape", line=number) from None
            index = close + 1
        else:
            separator = _SEPARATOR.search(text, index)
            stop = end if separator is None else separator.start()
            words.append(text[index:stop])
            index = stop
    return words


def _closing_quote(text: str, start: int) -> int:
    """Offset of the quote closing the string opened at ``start``, or -1."""
    at = start + 1
    while True:
        at = text.find('"', at)
        if at == -1:
            return -1
        backslashes = 0
        while text[at - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return at
        at += 1


def _shown(content: str) -> str:
    return repr(content if len(content) <= _SHOWN else content[: _SHOWN - 3] + "...")


def _classic_component(path: str, block: _Block, problems: list[Problem]) -> Component | None:
    label = block.descriptors[0]
    version = block.fields.get("version")
    if not version:
        problems.append(Problem(message=f"{label}: no version", line=block.line))
        return None
    specs = [read_spec(*split_name(descriptor)) for descriptor in block.descriptors]
    names = list(dict.fromkeys(spec.name for spec in specs))
    if not all(is_package_name(name) for name in names):
        message = f"{label}: not a package name in {', '.join(block.descriptors)!r}"
        problems.append(Problem(message=message, line=block.line))
        return None
    if len(names) > 1:
        message = (
            f"{label}: the entry names several packages ({', '.join(names)}); read as {names[0]}"
        )
        problems.append(Problem(message=message, line=block.line))
    resolved = block.fields.get("resolved")
    source, location = resolved_source(resolved)
    asked = next((spec for spec in specs if spec.source is not SourceKind.REGISTRY), None)
    if asked is not None:
        source = asked.source
        keeps_pin = source is not SourceKind.PATH and resolved is not None
        location = resolved if keeps_pin else asked.location
    return component(
        name=names[0],
        version=version,
        ecosystem=Ecosystem.NPM,
        declared_in=path,
        direct=None,
        scope=Scope.UNKNOWN,
        line=block.line,
        source=source,
        location=location,
    )


# ------------------------------------------------------------------ berry


def _read_berry(path: str, text: str) -> Found:
    document = load_yaml_mapping(path, text)
    data, lines = document.data, document.lines
    if not isinstance(data.get(METADATA), dict):
        found = kind_of(data.get(METADATA))
        message = f"{METADATA} should be a mapping, found {found}"
        raise ManifestError(path, message, line=lines.get((METADATA,)))
    problems: list[Problem] = []
    entries: dict[str, dict[str, Any]] = {}
    for key, entry in data.items():
        if key == METADATA:
            continue
        if isinstance(entry, dict) and isinstance(key, str):
            entries[key] = entry
        else:
            message = f"{key}: should be a mapping, found {kind_of(entry)}"
            problems.append(Problem(message=message, line=lines.get((str(key),))))
    wanted = _workspace_descriptors(entries)
    components: list[Component] = []
    for key, entry in entries.items():
        line = lines.get((key,))
        direct = None if wanted is None else any(d in wanted for d in _descriptors(key))
        made = _berry_component(path, key, entry, problems, direct=direct, line=line)
        if made is not None:
            components.append(made)
    return components, problems


def _descriptors(key: str) -> list[str]:
    """A key's descriptors, without the ``::locator=`` binding of relative-path ones."""
    return [part.strip().partition("::")[0] for part in key.split(",") if part.strip()]


def _workspace_descriptors(entries: dict[str, dict[str, Any]]) -> set[str] | None:
    """Descriptors the workspaces depend on, as keys spell them; None without workspaces."""
    wanted: set[str] | None = None
    for entry in entries.values():
        resolution = entry.get("resolution")
        if not isinstance(resolution, str) or not _is_workspace(resolution):
            continue
        wanted = wanted or set()
        for section in ("dependencies", "devDependencies"):
            declared = entry.get(section)
            for name, spec in declared.items() if isinstance(declared, dict) else ():
                wanted.add(f"{name}@{spec}")
                if ":" not in str(spec):  # keys spell the default protocol out
                    wanted.add(f"{name}@npm:{spec}")
    return wanted


def _is_workspace(resolution: str) -> bool:
    return _reference(resolution)[1].startswith("workspace:")


def _reference(resolution: str) -> tuple[str, str]:
    """Name and reference of a locator, with ``patch:``/``virtual:`` wrappers removed."""
    name, reference = split_name(resolution)
    for _ in range(8):  # a patch of a patch is possible; an endless one is not
        if reference.startswith("virtual:"):
            reference = reference.partition("#")[2]
        elif reference.startswith("patch:"):
            inner = unquote(reference[len("patch:") :].partition("#")[0])
            name, reference = split_name(inner)
        else:
            break
    return name, reference


def _version_text(value: object) -> str | None:
    """A berry ``version`` as text (YAML may read it as a number); None for placeholders."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return None if value == LOCAL_VERSION else str(value)


def _berry_component(
    path: str,
    key: str,
    entry: dict[str, Any],
    problems: list[Problem],
    *,
    direct: bool | None,
    line: int | None,
) -> Component | None:
    resolution = entry.get("resolution")
    if not isinstance(resolution, str) or not resolution:
        problems.append(Problem(message=f"{key}: no resolution", line=line))
        return None
    name, reference = _reference(resolution)
    if reference.startswith("workspace:"):
        return None  # the product itself
    if not is_package_name(name):
        message = f"{key}: no package name in {resolution!r}"
        problems.append(Problem(message=message, line=line))
        return None
    version = _version_text(entry.get("version"))
    source, location = SourceKind.REGISTRY, None
    if reference.startswith("npm:"):
        version = reference[len("npm:") :]
    elif reference.startswith(_PATH_PROTOCOLS):
        source = SourceKind.PATH
        location = local_path(reference.partition("::")[0].partition("#")[0])
    elif reference.startswith(_GIT_PROTOCOLS) or looks_like_git_url(reference):
        source, location = SourceKind.GIT, reference
    elif "://" in reference:
        source, location = SourceKind.URL, reference
    else:
        message = f"{key}: unknown resolution protocol in {resolution!r}"
        problems.append(Problem(message=message, line=line))
        return None
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.NPM,
        declared_in=path,
        direct=direct,
        scope=Scope.UNKNOWN,
        line=line,
        source=source,
        location=location,
    )
