"""Source lines normalised for finding copies: comments gone, names and literals made alike.

Each line is reduced to its tokens without spacing; every identifier, number and
string becomes ``I``, and the language's keywords (taken from its tree-sitter
grammar) stay themselves, so a copy whose variables were renamed or whose constants
changed normalises to the same lines, while ``if`` and ``while`` remain different.
Comments are dropped. Lines with nothing but brackets or a lone name are not units
(they pad every block alike), and neither are imports and preprocessor lines (every
file starts with similar ones).

The work is three regular-expression passes over the whole text (one Python call per
string, comment and word), then one CRC-32 per line.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Language

from assay.syntax.languages import rules_for

_C_COMMENTS = r"//[^\n]*|/\*[\s\S]*?\*/"
_HASH_COMMENTS = r"#[^\n]*"
_QUOTED = r""""(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
_TRIPLE = r'''"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''''
_BACKTICK = r"`(?:\\.|[^`\\])*`"

# Comments and strings of each family, in one alternation so that a quote inside a
# comment or a comment marker inside a string is read as what it is. Each branch
# starts with a fixed character, which lets the scan skip ahead between them.
_FAMILIES = {
    "python": rf"{_HASH_COMMENTS}|{_TRIPLE}|{_QUOTED}",
    "c-like": rf"{_C_COMMENTS}|{_TRIPLE}|{_BACKTICK}|{_QUOTED}",
    "php": rf"{_C_COMMENTS}|{_HASH_COMMENTS}|{_QUOTED}",
    "ruby": rf"{_HASH_COMMENTS}|{_QUOTED}",
}
_FAMILY_OF = {"python": "python", "php": "php", "ruby": "ruby"}
_WORD = re.compile(r"\d[\w.]*|\w+")  # a number with its dots and suffix, or a word
_SPACE = re.compile(r"[ \t\r\f\v]+")
# Brackets and separators around at most one name: "})", "I,", "(I)".
_TRIVIAL = re.compile(r"[{}()\[\];,:.]*(?:I[{}()\[\];,:.]*)?")
_IMPORTS = ("import", "from", "package", "using", "use", "#", "@")


@dataclass(frozen=True, kw_only=True, slots=True)
class NormalisedFile:
    code_lines: int  # lines with something left after comments and spacing are removed
    units: list[tuple[int, int]]  # (line number, CRC-32 of the normalised line)


def normalised_lines(language: str, text: str) -> NormalisedFile | None:
    """The units of ``text`` in ``language``, or None for a language without rules."""
    normaliser = _normaliser(language)
    if normaliser is None:
        return None
    code_lines = 0
    units: list[tuple[int, int]] = []
    for number, line in enumerate(normaliser(text).split("\n"), start=1):
        if not line:
            continue
        code_lines += 1
        if _TRIVIAL.fullmatch(line) or line.startswith(_IMPORTS):
            continue
        units.append((number, zlib.crc32(line.encode("utf-8", "surrogatepass"))))
    return NormalisedFile(code_lines=code_lines, units=units)


@functools.cache
def _normaliser(language: str) -> Callable[[str], str] | None:
    rules = rules_for(language)
    if rules is None:
        return None
    lexer = re.compile(_FAMILIES[_FAMILY_OF.get(language, "c-like")])
    keywords = {word: word for word in _keywords(rules.language())}

    def word(match: re.Match[str]) -> str:
        return keywords.get(match.group(), "I")

    def normalise(text: str) -> str:
        text = lexer.sub(_blank_or_literal, text)
        text = _WORD.sub(word, text)
        return _SPACE.sub("", text)

    return normalise


def _keywords(language: Language) -> set[str]:
    """The grammar's keywords: its visible unnamed tokens that are words (``if``, ``def``)."""
    return {
        kind
        for i in range(language.node_kind_count)
        if (kind := language.node_kind_for_id(i))
        and not language.node_kind_is_named(i)
        and language.node_kind_is_visible(i)
        and kind.isidentifier()
        and not kind.startswith("_")
    }


def _blank_or_literal(match: re.Match[str]) -> str:
    """A comment keeps only its line breaks; a string becomes I (and keeps its breaks)."""
    token = match.group()
    breaks = "\n" * token.count("\n")
    if token.startswith(("#", "//", "/*")):
        return breaks
    return "I" + breaks
