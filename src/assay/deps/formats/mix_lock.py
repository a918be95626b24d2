"""Elixir ``mix.lock``: the locked dependencies of a Mix project.

The file is an Elixir map literal, ``%{"app": {:hex, :package, "1.2.3", ...}, ...}``.
It is never evaluated: a small reader below accepts only the data subset mix
writes (strings, atoms, integers, lists, keyword lists, tuples and maps) and
refuses anything else, with limits on nesting and on size.

The map key is the OTP application name; for a Hex package the second element
of the tuple is the package name as published, and that is the component name
(they differ when a project renames a dependency, ``{:app, hex: :package}``).
Hex entries are registry packages at the version in the third element. Git
entries carry the repository URL and a commit, not a version; path entries
carry a directory. The lock says neither which dependencies are direct nor
which serve only tests or development, so ``direct`` is None and the scope is
unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar, TypeAlias, TypeVar

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

_MAX_DEPTH = 32
_MAX_TOKENS = 1_000_000
_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_@]*[?!]?"
# ``#`` is escaped because the token regex is verbose (where a bare ``#`` starts a comment);
# ``#{`` (interpolation, which would be code) never appears inside an accepted string.
_STRING_BODY = r'"((?:[^"\\\#]|\\.|\#(?!\{))*)"'
_TOKEN = re.compile(
    rf"""
    (?P<space>[ \t\r\n]+|\#[^\n]*)
    | (?P<quoted_key>{_STRING_BODY}:(?=[ \t\r\n]))
    | (?P<key>{_IDENTIFIER}:(?=[ \t\r\n]))
    | (?P<string>{_STRING_BODY})
    | :(?P<quoted_atom>{_STRING_BODY})
    | :(?P<atom>{_IDENTIFIER})
    | (?P<integer>-?\d[\d_]*)
    | (?P<word>{_IDENTIFIER})
    | (?P<punct>%\{{|=>|[{{}}\[\],])
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "s": " ", "e": "\x1b", "0": "\0"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_BARE_ATOMS = frozenset({"true", "false", "nil"})
_LOCAL_SOURCES = {"git": SourceKind.GIT, "path": SourceKind.PATH}


@dataclass(frozen=True, slots=True)
class _Atom:
    name: str


@dataclass(frozen=True, slots=True)
class _Map:
    """A map literal's entries in order, each with the line of its key."""

    entries: tuple[tuple[_Value, _Value, int], ...]


# Elixir tuples are Python tuples, lists are lists; a keyword pair is a 2-tuple.
_Value: TypeAlias = "str | int | _Atom | _Map | tuple[_Value, ...] | list[_Value]"


_Item = TypeVar("_Item")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    line: int
    value: _Value | None = None


def _unescape(body: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _tokens(path: str, text: str) -> Iterator[_Token]:
    position, line, count = 0, 1, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ManifestError(path, _refusal(text[position]), line=line)
        kind, raw = match.lastgroup or "", match.group(0)
        if kind != "space":
            count += 1
            if count > _MAX_TOKENS:
                raise ManifestError(path, f"more than {_MAX_TOKENS} tokens", line=line)
            yield _token(kind, raw, line)
        line += raw.count("\n")
        position = match.end()
    yield _Token(kind="end", text="", line=line)


def _refusal(char: str) -> str:
    """Why no token starts with ``char``."""
    if char == '"':
        return "unterminated string, or string interpolation (not data)"
    return f"unexpected character {char!r}"


# How each kind of literal becomes a token: its role for the reader and its value.
_LITERALS: dict[str, Callable[[str], tuple[str, _Value]]] = {
    "quoted_key": lambda raw: ("key", _Atom(_unescape(raw[1:-2]))),
    "key": lambda raw: ("key", _Atom(raw[:-1])),
    "string": lambda raw: ("value", _unescape(raw[1:-1])),
    "quoted_atom": lambda raw: ("value", _Atom(_unescape(raw[2:-1]))),
    "atom": lambda raw: ("value", _Atom(raw[1:])),
    "integer": lambda raw: ("value", int(raw.replace("_", ""))),
}


def _token(kind: str, raw: str, line: int) -> _Token:
    if kind in _LITERALS:
        role, value = _LITERALS[kind](raw)
        return _Token(kind=role, text=raw, line=line, value=value)
    if kind == "word" and raw in _BARE_ATOMS:
        return _Token(kind="value", text=raw, line=line, value=_Atom(raw))
    # Other bare words (module names, variables, calls) are not data: the reader refuses them.
    return _Token(kind=kind, text=raw, line=line)


class _Reader:
    """Recursive descent over the tokens, one value at a time, with a nesting bound."""

    def __init__(self, path: str, text: str) -> None:
        self._path = path
        self._tokens = _tokens(path, text)
        self._current = next(self._tokens)

    def document(self) -> _Map:
        if self._current.text != "%{":
            raise self._error("expected a map %{...} at the top")
        top = self._value(0)
        if self._current.kind != "end":
            raise self._error(f"unexpected {self._current.text!r} after the map")
        assert isinstance(top, _Map)
        return top

    def _error(self, message: str) -> ManifestError:
        return ManifestError(self._path, message, line=self._current.line)

    def _advance(self) -> _Token:
        token, self._current = self._current, next(self._tokens)
        return token

    def _expect(self, punct: str) -> None:
        if self._current.kind != "punct" or self._current.text != punct:
            found = "end of file" if self._current.kind == "end" else repr(self._current.text)
            raise self._error(f"expected {punct!r}, found {found}")
        self._advance()

    def _value(self, depth: int) -> _Value:
        if depth > _MAX_DEPTH:
            raise self._error(f"nested deeper than {_MAX_DEPTH} levels")
        token = self._current
        if token.kind == "value" and token.value is not None:
            self._advance()
            return token.value
        if token.kind == "punct" and token.text in ("%{", "{", "["):
            self._advance()
            return self._collection(token.text, depth + 1)
        found = "end of file" if token.kind == "end" else repr(token.text)
        raise self._error(f"unexpected {found}")

    def _collection(self, opener: str, depth: int) -> _Value:
        if opener == "%{":
            return _Map(entries=tuple(self._items("}", lambda: self._entry(depth))))
        if opener == "[":
            return self._items("]", lambda: self._list_item(depth))
        return tuple(self._items("}", lambda: self._value(depth)))

    def _items(self, closer: str, read: Callable[[], _Item]) -> list[_Item]:
        """Comma-separated items up to ``closer`` (a trailing comma is allowed)."""
        items: list[_Item] = []
        while not self._at(closer):
            items.append(read())
            if self._at(","):
                self._advance()
            elif not self._at(closer):
                self._expect(closer)
        self._advance()
        return items

    def _at(self, punct: str) -> bool:
        return self._current.kind == "punct" and self._current.text == punct

    def _entry(self, depth: int) -> tuple[_Value, _Value, int]:
        """``"key": value``, ``key: value`` or ``key => value``."""
        line = self._current.line
        if self._current.kind == "key":
            key = self._advance().value
            assert key is not None
            return (key, self._value(depth), line)
        key = self._value(depth)
        self._expect("=>")
        return (key, self._value(depth), line)

    def _list_item(self, depth: int) -> _Value:
        """A value, or a keyword pair ``key: value`` (a 2-tuple, as in Elixir)."""
        if self._current.kind == "key":
            key = self._advance().value
            assert key is not None
            return (key, self._value(depth))
        return self._value(depth)


def _name(key: _Value) -> str | None:
    if isinstance(key, _Atom):
        return key.name
    return key if isinstance(key, str) else None


class MixLockParser:
    format: ClassVar[str] = "mix.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.HEX
    kind: ClassVar[FileKind] = "lock"
    patterns: ClassVar[tuple[str, ...]] = ("mix.lock",)

    def parse(self, path: str, text: str) -> ParsedFile:
        top = _Reader(path, text).document()
        problems: list[Problem] = []
        entries: dict[str, tuple[_Value, int]] = {}
        for key, value, line in top.entries:
            app = _name(key)
            if app is None:
                problems.append(
                    Problem(message="skipped an entry whose key is not a name", line=line)
                )
                continue
            if app in entries:
                # Elixir keeps the last of duplicate keys in a map literal; so does this.
                earlier = entries[app][1]
                problems.append(
                    Problem(message=f"duplicate key {app!r}, replaces line {earlier}", line=line)
                )
            entries[app] = (value, line)
        components: list[Component] = []
        for app, (value, line) in entries.items():
            built = self._component(path, app, value, line, problems)
            if built is not None:
                components.append(built)
        return parsed(self, path, components, problems=problems)

    def _component(
        self, path: str, app: str, value: _Value, line: int, problems: list[Problem]
    ) -> Component | None:
        scm = value[0] if isinstance(value, tuple) and value else None
        if not isinstance(scm, _Atom) or not isinstance(value, tuple):
            problems.append(Problem(message=f"skipped {app}: not a {{:scm, ...}} tuple", line=line))
            return None
        if scm.name not in ("hex", *_LOCAL_SOURCES):
            problems.append(
                Problem(message=f"skipped {app}: unknown source :{scm.name}", line=line)
            )
            return None
        built = (
            self._hex(path, value, line)
            if scm.name == "hex"
            else self._local(path, app, value, line)
        )
        if built is None:
            problems.append(
                Problem(message=f"skipped {app}: malformed :{scm.name} entry", line=line)
            )
        return built

    def _hex(self, path: str, value: tuple[_Value, ...], line: int) -> Component | None:
        """``{:hex, :package, "version", "hash", [tools], [deps], "repo", "hash"}``."""
        package = value[1] if len(value) > 1 else None
        version = value[2] if len(value) > 2 else None
        if not isinstance(package, _Atom) or not isinstance(version, str) or not version:
            return None
        return component(
            name=package.name,
            version=version,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=None,
            scope=Scope.UNKNOWN,
            line=line,
        )

    def _local(self, path: str, app: str, value: tuple[_Value, ...], line: int) -> Component | None:
        """``{:git, "url", "commit", [options]}`` or ``{:path, "dir", ...}``: no version."""
        scm = value[0]
        location = value[1] if len(value) > 1 else None
        if not isinstance(scm, _Atom) or not isinstance(location, str) or not location:
            return None
        return component(
            name=app,
            version=None,
            ecosystem=self.ecosystem,
            declared_in=path,
            direct=None,
            scope=Scope.UNKNOWN,
            line=line,
            source=_LOCAL_SOURCES[scm.name],
            location=location,
        )
