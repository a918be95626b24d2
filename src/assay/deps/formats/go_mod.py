"""Go modules: ``go.mod``, the main module's requirements and replacements.

Every ``require`` names one exact version (Go picks versions by minimal version
selection, so the listed version is the one built unless another requirement
raises it). ``// indirect`` marks a requirement the main module does not import
itself. A ``replace`` directive swaps the module for another one at another
version, or for a local directory; the component then describes what is built.
Go does not separate test-only requirements, so every component is runtime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

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

# A canonical module version: v1.2.3, v1.2.3-pre, pseudo-versions, v2.0.0+incompatible.
_VERSION = re.compile(r"^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")
# Directives that carry no dependency (or, for exclude/retract, none this file builds).
_IGNORED = frozenset({"go", "toolchain", "godebug", "exclude", "retract", "tool", "ignore"})
_PUNCTUATION = ("=>", "(", ")")


def is_module_version(text: str) -> bool:
    """Whether ``text`` is a canonical Go module version (what go.mod and go.sum record)."""
    return _VERSION.match(text) is not None


def _is_local(target: str) -> bool:
    """A replacement that names a directory rather than a module (Go's own rule)."""
    if target in (".", ".."):
        return True
    if target.startswith(("./", "../", "/", ".\\", "..\\")):
        return True
    return _WINDOWS_ABSOLUTE.match(target) is not None


@dataclass(frozen=True, kw_only=True, slots=True)
class _Entry:
    """One directive line; a line inside a block carries the block's verb."""

    verb: str
    args: tuple[str, ...]
    comment: str
    line: int


@dataclass(frozen=True, kw_only=True, slots=True)
class _Replacement:
    target: str
    version: str | None


def _quoted(raw: str, start: int, path: str, number: int) -> tuple[str, int]:
    """The unquoted string opening at ``start`` and the offset just after it."""
    quote = raw[start]
    chars: list[str] = []
    index = start + 1
    while index < len(raw):
        char = raw[index]
        if char == quote:
            return "".join(chars), index + 1
        if char == "\\" and quote == '"' and index + 1 < len(raw):
            index += 1
            char = raw[index]
        chars.append(char)
        index += 1
    raise ManifestError(path, "unterminated quoted string", line=number)


def _tokenize(raw: str, path: str, number: int) -> tuple[list[str], str]:
    """The words of one line and the text of its ``//`` comment."""
    tokens: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char.isspace():
            index += 1
        elif raw.startswith("//", index):
            return tokens, raw[index + 2 :].strip()
        elif char in '"`':
            word, index = _quoted(raw, index, path, number)
            tokens.append(word)
        elif punctuation := next((p for p in _PUNCTUATION if raw.startswith(p, index)), None):
            tokens.append(punctuation)
            index += len(punctuation)
        else:
            end = index
            while end < len(raw) and not raw[end].isspace() and not raw.startswith("//", end):
                if any(raw.startswith(p, end) for p in _PUNCTUATION):
                    break
                end += 1
            tokens.append(raw[index:end])
            index = end
    return tokens, ""


def _entries(path: str, text: str) -> list[_Entry]:
    """Every directive, with blocks (``require ( … )``) unfolded into single entries."""
    entries: list[_Entry] = []
    block: _Entry | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        tokens, comment = _tokenize(raw, path, number)
        if not tokens:
            continue
        if block is not None:
            if tokens == [")"]:
                block = None
            else:
                entries.append(
                    _Entry(verb=block.verb, args=tuple(tokens), comment=comment, line=number)
                )
            continue
        verb, args = tokens[0], tokens[1:]
        if args == ["("]:
            block = _Entry(verb=verb, args=(), comment="", line=number)
        elif args != ["(", ")"]:
            entries.append(_Entry(verb=verb, args=tuple(args), comment=comment, line=number))
    if block is not None:
        raise ManifestError(path, f"{block.verb} block is not closed", line=block.line)
    return entries


def _is_indirect(comment: str) -> bool:
    """Go reads ``// indirect`` (optionally followed by ``; more text``) as the marker."""
    return comment == "indirect" or comment.startswith("indirect;")


def _replacement(entry: _Entry) -> tuple[tuple[str, str | None], _Replacement] | str:
    """The (module, version or any) a replace applies to and what replaces it, or a problem."""
    args = list(entry.args)
    if "=>" not in args:
        return f"replace without '=>': {' '.join(args)!r}"
    arrow = args.index("=>")
    old, new = args[:arrow], args[arrow + 1 :]
    if len(old) not in (1, 2) or len(new) not in (1, 2):
        return f"replace is not 'module [version] => target [version]': {' '.join(args)!r}"
    for version in (*old[1:], *new[1:]):
        if not is_module_version(version):
            return f"not a Go module version: {version!r}"
    local = _is_local(new[0])
    if local and len(new) == 2:
        return f"a local replacement takes no version: {' '.join(args)!r}"
    if not local and len(new) == 1:
        return f"replacement module {new[0]!r} has no version"
    key = (old[0], old[1] if len(old) == 2 else None)
    return key, _Replacement(target=new[0], version=None if local else new[1])


class GoModParser:
    format: ClassVar[str] = "go.mod"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.GO
    kind: ClassVar[FileKind] = "manifest"
    patterns: ClassVar[tuple[str, ...]] = ("go.mod",)

    def parse(self, path: str, text: str) -> ParsedFile:
        entries = _entries(path, text)
        if entries and not any(entry.verb == "module" for entry in entries):
            raise ManifestError(path, "no module directive", line=entries[0].line)
        problems: list[Problem] = []
        replacements: dict[tuple[str, str | None], _Replacement] = {}
        requires: list[_Entry] = []
        for entry in entries:
            if entry.verb == "require":
                requires.append(entry)
            elif entry.verb == "replace":
                self._add_replacement(entry, replacements, problems)
            elif entry.verb != "module" and entry.verb not in _IGNORED:
                problems.append(
                    Problem(message=f"unknown directive {entry.verb!r}", line=entry.line)
                )
        components: list[Component] = []
        for entry in requires:
            built = self._required(path, entry, replacements)
            if isinstance(built, str):
                problems.append(Problem(message=built, line=entry.line))
            else:
                components.append(built)
        return parsed(self, path, components, problems=sorted(problems, key=lambda p: p.line or 0))

    def _add_replacement(
        self,
        entry: _Entry,
        replacements: dict[tuple[str, str | None], _Replacement],
        problems: list[Problem],
    ) -> None:
        found = _replacement(entry)
        if isinstance(found, str):
            problems.append(Problem(message=found, line=entry.line))
            return
        key, replacement = found
        if key in replacements:
            # The go command refuses two replacements of the same module version.
            problems.append(
                Problem(message=f"{key[0]} is replaced more than once", line=entry.line)
            )
            return
        replacements[key] = replacement

    def _required(
        self, path: str, entry: _Entry, replacements: dict[tuple[str, str | None], _Replacement]
    ) -> Component | str:
        if len(entry.args) != 2:
            return f"require is not 'module version': {' '.join(entry.args)!r}"
        module, version = entry.args
        if not is_module_version(version):
            return f"not a Go module version: {version!r}"
        # A replacement of this exact version wins over one of every version (as in Go).
        replacement = replacements.get((module, version)) or replacements.get((module, None))
        direct = not _is_indirect(entry.comment)
        if replacement is not None and replacement.version is None:
            return component(
                name=module,
                version=None,
                ecosystem=self.ecosystem,
                declared_in=path,
                direct=direct,
                scope=Scope.RUNTIME,
                line=entry.line,
                source=SourceKind.PATH,
                location=replacement.target,
            )
        if replacement is not None:
            module, version = replacement.target, replacement.version or version
        return component(
            name=module,
            version=version,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=direct,
            scope=Scope.RUNTIME,
            line=entry.line,
        )
