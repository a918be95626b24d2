"""Which of many files may match any rule: one Hyperscan pass, sound for RE2's rules.

The RE2 set tells whether a text matches but not where, so a batch that matches
must be halved again and again to find its files. Hyperscan reports where each
match ends, so one pass over the joined batch names the files at once, and it
runs several times faster than the set. It is only a filter: the files it names
are scanned by the RE2 rules as before, and what it says must never lose one.

Soundness (every file RE2 would match is named):

* patterns are compiled with ``HS_FLAG_PREFILTER``, under which Hyperscan may
  report more matches than a pattern has, never fewer (it widens what it cannot
  build, such as long bounded repeats);
* the database works on bytes, one byte per character: an ASCII file is scanned
  as it is, and in any other (valid UTF-8) file each multi-byte character becomes
  the single byte 0x80 (``bytes.translate``). That byte matches exactly what RE2
  lets a non-ASCII character match in a rule made of ASCII: ``.``, negated classes,
  ``\\W``, ``\\S``, ``\\D``, and no letter, digit, space or ASCII literal;
* RE2's case folding maps two non-ASCII characters to ASCII letters (the long s,
  U+017F, to ``s``, the Kelvin sign, U+212A, to ``k``): in a file holding either,
  every rule that ignores case (anywhere in it) is named without being tried here;
* Hyperscan counts the vertical tab as a space (``\\s``) and RE2 does not, so
  ``\\S`` and ``[^\\s]`` would match less: the database carries one more pattern,
  the vertical tab, and a text holding one is named for every pattern;
* elsewhere, where Hyperscan and RE2 read a construct differently, Hyperscan's
  reading is the wider one (``$`` also before a final line break) or it refuses
  the pattern; a rule using anything this reading does not vouch for (non-ASCII,
  ``\\p``, ``\\x``, ``\\v``, ``\\C``...) or that Hyperscan refuses leaves the matcher
  on RE2 alone, as does a missing or unusable ``hyperscan`` module.

Compiling takes about a tenth of a second, so the database is kept in the cache
folder, under a name that hashes the library version and the patterns; one that
cannot be used there (another CPU, damaged) is compiled again and replaced. The
cache folder is trusted as the result cache is: whoever can write there can make
audits see less.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

FORMAT_VERSION = 2  # 2: the vertical tab pattern

# Lead bytes of multi-byte UTF-8 characters become 0x80; continuation bytes go.
_ONE_BYTE_PER_CHARACTER = bytes(range(0x80)) + b"\x80" * 0x80
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
# The non-ASCII characters RE2 folds onto ASCII letters under (?i), the long s (U+017F) and
# the Kelvin sign (U+212A), in UTF-8, as Hyperscan patterns.
_FOLD_PATTERNS = (r"\xC5\xBF", r"\xE2\x84\xAA")
# Appended to the patterns: a vertical tab, which RE2 counts as no space (``\\S``) and
# Hyperscan as one, so a text holding one is named for every pattern.
_VERTICAL_TAB_PATTERN = r"\x0B"
# Escapes whose meaning this module does not vouch for in byte mode (Hyperscan's \\v is
# a class of line breaks, RE2's the vertical tab alone).
_UNVOUCHED_ESCAPE = re.compile(r"\\[pPxCXuUNogev0-9]")
_CASE_FLAG = re.compile(r"\(\?[A-Za-z-]*i")


def vouched(pattern: str) -> bool:
    """Whether the byte-mode reading above holds for ``pattern`` (ASCII, plain escapes)."""
    return pattern.isascii() and "\x0b" not in pattern and _UNVOUCHED_ESCAPE.search(pattern) is None


_OnMatch = Callable[[int, int, int, int, object], None]


class _Scanner:
    """One Hyperscan database with its scratch space (working memory, one per thread)."""

    def __init__(self, hyperscan: Any, database: Any) -> None:
        self._database = database
        self._scratch = hyperscan.Scratch(database)

    def scan(self, data: bytes, on_match: _OnMatch) -> None:
        self._database.scan(data, match_event_handler=on_match, scratch=self._scratch)


class Prefilter:
    """The matcher's set patterns as one Hyperscan database in byte mode.

    ``folds`` finds the characters RE2 folds onto ASCII letters; it is there only
    when some pattern ignores case.
    """

    def __init__(
        self,
        patterns: _Scanner,
        folds: _Scanner | None,
        ignoring_case: Sequence[int],
        count: int,
    ) -> None:
        self._patterns = patterns
        self._folds = folds
        self._ignoring_case = sorted(ignoring_case)
        self._count = count  # the patterns' ids are 0..count-1; count is the vertical tab

    def candidates(self, texts: Sequence[bytes]) -> list[int]:
        """Indexes of the texts (valid UTF-8 each) in which some pattern may match.

        The texts are joined by line breaks, as the RE2 set sees a batch; a match that
        spans two texts names the one it ends in, which costs a needless scan, no more.
        """
        others = [index for index, text in enumerate(texts) if not text.isascii()]
        named = set(self._folded(texts, others))
        byte_texts = list(texts)
        for index in others:
            byte_texts[index] = b"" if index in named else _one_byte_per_character(texts[index])
        starts = _starts(byte_texts)

        def on_match(_id: int, _start: int, end: int, _flags: int, _context: object) -> None:
            named.add(bisect.bisect_right(starts, end - 1) - 1)

        self._patterns.scan(b"\n".join(byte_texts), on_match)
        return sorted(named)

    def matching(self, text: bytes) -> list[int]:
        """Ids of the patterns that may match ``text`` (valid UTF-8).

        In a text holding a character folded onto an ASCII letter, every pattern that
        ignores case is named: the byte reading cannot follow such a pattern there; in
        a text holding a vertical tab, every pattern.
        """
        ids: set[int] = set()
        if not text.isascii():
            if self._folded([text], [0]):
                ids.update(self._ignoring_case)
            text = _one_byte_per_character(text)

        def on_match(pattern_id: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
            ids.add(pattern_id)

        self._patterns.scan(text, on_match)
        if self._count in ids:  # a vertical tab: Hyperscan's reading cannot follow RE2's
            return list(range(self._count))
        return sorted(ids)

    def _folded(self, texts: Sequence[bytes], indexes: list[int]) -> list[int]:
        """Those of ``indexes`` whose text holds a character folded onto an ASCII letter."""
        if self._folds is None or not indexes:
            return []
        chosen = [texts[index] for index in indexes]
        starts = _starts(chosen)
        found: set[int] = set()

        def on_match(_id: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found.add(indexes[bisect.bisect_right(starts, end - 1) - 1])

        self._folds.scan(b"\n".join(chosen), on_match)
        return sorted(found)


def _one_byte_per_character(text: bytes) -> bytes:
    return text.translate(_ONE_BYTE_PER_CHARACTER, _CONTINUATION_BYTES)


def _starts(texts: Sequence[bytes]) -> list[int]:
    """Where each text starts once they are joined by one-byte separators."""
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    return starts


def build(patterns: Sequence[str]) -> Prefilter | None:
    """The prefilter of ``patterns``, or None when it cannot vouch for them or be had.

    ``ASSAY_SECRETS_PREFILTER=off`` leaves every matcher on RE2 alone.
    """
    hyperscan = _hyperscan(patterns)
    if hyperscan is None:
        return None
    expressions = [*patterns, _VERTICAL_TAB_PATTERN]
    ignoring_case = [i for i, pattern in enumerate(patterns) if _CASE_FLAG.search(pattern)]
    folds = _compile(hyperscan, _FOLD_PATTERNS) if ignoring_case else None
    if ignoring_case and folds is None:
        return None
    stored = _stored_path(hyperscan, expressions)
    kept = _load(hyperscan, stored) if stored is not None else None
    if kept is not None:
        built = _prefilter(hyperscan, kept, folds, ignoring_case, len(patterns))
        if built is not None:
            return built
    # Not kept, or kept from another CPU or library (its scratch space cannot be had).
    database = _compile(hyperscan, expressions)
    if database is None:
        return None
    if stored is not None:
        _store(hyperscan, database, stored)
    return _prefilter(hyperscan, database, folds, ignoring_case, len(patterns))


def _prefilter(
    hyperscan: Any, database: Any, folds: Any, ignoring_case: list[int], count: int
) -> Prefilter | None:
    try:
        fold_scanner = _Scanner(hyperscan, folds) if folds is not None else None
        return Prefilter(_Scanner(hyperscan, database), fold_scanner, ignoring_case, count)
    except hyperscan.error:
        return None


def _hyperscan(patterns: Sequence[str]) -> Any:
    """The ``hyperscan`` module, if it is wanted, can vouch for ``patterns``, and is there."""
    if os.environ.get("ASSAY_SECRETS_PREFILTER", "").lower() in ("0", "off", "false", "no"):
        return None
    if not patterns or not all(vouched(p) for p in patterns):
        return None
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


def _compile(hyperscan: Any, patterns: Sequence[str]) -> Any:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(
            expressions=[p.encode() for p in patterns],
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=[hyperscan.HS_FLAG_PREFILTER] * len(patterns),
        )
    except hyperscan.error:
        return None  # refused (a pattern that matches empty text, too large...): RE2 alone
    return database


def _stored_path(hyperscan: Any, patterns: Sequence[str]) -> Path | None:
    from assay.cache import cache_dir

    version = str(getattr(hyperscan, "__version__", "unknown"))
    digest = hashlib.sha256("\0".join([f"v{FORMAT_VERSION}", version, *patterns]).encode())
    try:
        return cache_dir() / f"secrets-prefilter-{digest.hexdigest()[:24]}.hsdb"
    except OSError:
        return None


def _load(hyperscan: Any, path: Path) -> Any:
    try:
        # Our own file in the user's cache folder, written by _store below.
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        return None  # absent, or built for another CPU or library: compile it again


def _store(hyperscan: Any, database: Any, path: Path) -> None:
    from assay.cache import write_atomically

    with contextlib.suppress(hyperscan.error):
        write_atomically(path, hyperscan.dumpb(database))
