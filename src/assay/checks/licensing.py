"""Licence identification: which SPDX licence a LICENSE file holds.

The reference texts are the SPDX licence texts shipped by the ``spdx`` package
(``spdx/data/*.txt`` indexed by ``db.json``); none is typed in here. Both the
references and the file under test go through the same normalisation (our
own): lower case, one kind of quote and dash, no copyright notice lines, no
template placeholders (``<year>``, ``[yyyy]``, SPDX ``<<var;...>>`` markup), no
list numbering, no punctuation, whitespace collapsed. Each text then becomes a
set of 3-word shingles, so the result does not depend on line wrapping.

Scoring. For a reference licence, ``coverage`` is the share of its required
shingles found in the file (is the whole licence there?) and ``precision`` the
share of the file's shingles the licence accounts for (is there much else?).
Close licences differ by a clause or two, which costs coverage: an MIT-0 text
covers only ~85% of MIT, a BSD-2-Clause text ~85% of BSD-3-Clause. A file that
holds a licence *plus* a clause (ISC holds all of 0BSD; BSD-3-Clause holds all of
BSD-2-Clause) is told apart by precision. ``similarity`` is the weighted
geometric mean ``coverage**0.75 * precision**0.25``: a missing clause weighs
three times an extra word, so a title, a filled-in copyright line or a short
preamble are tolerated. A match needs ``similarity >= 0.9`` and
``coverage >= 0.9``; the best one wins.

Speed. The references are normalised once per process, on first use (about a
second). Each is then indexed under the 48 of its shingles that fewest other
licences share; a text is compared in full only with the dozen references it
hits most there, so identifying even a GPL text takes a few milliseconds.

Every licence of the package is a candidate, not only the common ones, so that
a BSD-4-Clause file is reported as such instead of as a BSD-3-Clause with extra
words. The package's ``deprecated_*`` files (old "+" and "with exception" ids)
are not in its index and are not candidates: a GPL text with, say, the
Classpath exception appended is reported as the GPL.

Our own additions to the package's template markup: everything after "END OF
TERMS AND CONDITIONS" (the GNU and Apache "How to apply" appendices) is
optional, and the ISC text's "ISC" in the disclaimer is a variable, since most
ISC files say "THE AUTHOR" there.

Decisions:

* GNU licence texts cannot say "only" or "or later". A text match reports the
  ``-only`` id (``GPL-2.0-only``), unless the file has one more "or (at your
  option) any later version" than the licence text itself (whose "How to
  apply" appendix contains that sentence once), i.e. a header declares it.
* A short notice such as "Licensed under the Apache License, Version 2.0 ..." is
  not a licence text and is not matched as one; only an
  ``SPDX-License-Identifier:`` line identifies such a file (method
  ``"spdx-identifier"``).
* An ``SPDX-License-Identifier:`` line with a single id: if the text matches the
  same licence, the result is the text match (method ``"text"``) with the id
  as declared (the declaration can say ``-or-later``, the text cannot); if they
  disagree, the declaration wins (method ``"spdx-identifier"``) and
  ``similarity`` keeps the score of the best text match. Licence expressions
  (``MIT OR Apache-2.0``) are not taken from that line.
* A file with two licences one after the other (dual licensing) is not split:
  the result is the single licence that accounts for most of the file if it
  still passes the thresholds (MIT followed by Apache-2.0 gives Apache-2.0),
  else None.
* Old SPDX ids used by the package (``GPL-2.0``, ``LGPL-2.1``, ``AGPL-3.0``,
  ``GFDL-1.3``, ...) are reported under their current ids.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import chain
from typing import Any, Literal

MIN_SIMILARITY = 0.9
MIN_COVERAGE = 0.9
_COVERAGE_WEIGHT = 0.75

Method = Literal["text", "spdx-identifier"]


@dataclass(frozen=True, kw_only=True, slots=True)
class LicenseMatch:
    """A licence recognised in a text, and how sure and by what means."""

    spdx_id: str
    name: str
    similarity: float
    method: Method


# --- ids ---------------------------------------------------------------------

# Ids the package still uses that SPDX has since replaced.
_RENAMED = {
    "GPL-1.0": "GPL-1.0-only",
    "GPL-2.0": "GPL-2.0-only",
    "GPL-3.0": "GPL-3.0-only",
    "LGPL-2.0": "LGPL-2.0-only",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-3.0": "LGPL-3.0-only",
    "AGPL-1.0": "AGPL-1.0-only",
    "AGPL-3.0": "AGPL-3.0-only",
    "GFDL-1.1": "GFDL-1.1-only",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
}
_ONLY = "-only"
# Values SPDX allows where an id goes that name no licence.
_NOT_LICENCES = frozenset({"NONE", "NOASSERTION"})
_OR_LATER = "-or-later"
_ID_SHAPE = re.compile(r"(?:LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.-]*\+?)")
_IDENTIFIER_LINE = re.compile(r"SPDX-License-Identifier:[ \t]*([^\r\n]*)", re.IGNORECASE)


def canonical_license_id(raw: str) -> str | None:
    """The current spelling of an SPDX id, or None if ``raw`` does not look like one.

    Case is fixed for the ids the package knows, old GNU ids get their ``-only``
    form and a trailing ``+`` becomes ``-or-later``; a well-formed id the package
    does not know (``MIT-0``, ``LicenseRef-acme``) is kept as written.
    """
    candidate = raw.strip()
    if not _ID_SHAPE.fullmatch(candidate) or candidate.upper() in _NOT_LICENCES:
        return None
    or_later = candidate.endswith("+")
    base = candidate.removesuffix("+")
    base = _known_spelling().get(base.lower(), base)
    if or_later:
        return base.removesuffix(_ONLY) + _OR_LATER if base.endswith(_ONLY) else base + "+"
    return base


def known_license_ids() -> tuple[str, ...]:
    """Every id the text matcher can report, sorted."""
    ids = set(_corpus().ids)
    ids |= {spdx_id.removesuffix(_ONLY) + _OR_LATER for spdx_id in ids if spdx_id.endswith(_ONLY)}
    return tuple(sorted(ids))


def _family(spdx_id: str) -> str:
    """The id without its only/or-later qualifier: what a licence text can tell."""
    lowered = spdx_id.lower().removesuffix("+")
    return lowered.removesuffix(_ONLY).removesuffix(_OR_LATER)


@cache
def _known_spelling() -> dict[str, str]:
    spelling: dict[str, str] = {}
    for old, new in _RENAMED.items():
        spelling[old.lower()] = new
        spelling[new.lower()] = new
        later = new.removesuffix(_ONLY) + _OR_LATER
        spelling[later.lower()] = later
    for record in _records():
        spdx_id = _RENAMED.get(record.package_id, record.package_id)
        spelling.setdefault(spdx_id.lower(), spdx_id)
    return spelling


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for record in _records():
        spdx_id = _RENAMED.get(record.package_id, record.package_id)
        names[spdx_id] = record.name
        if spdx_id.endswith(_ONLY):
            later = spdx_id.removesuffix(_ONLY) + _OR_LATER
            names[later] = record.name.removesuffix(" only") + " or later"
    return names


# --- normalisation -----------------------------------------------------------

_BREAK = "\x00"  # forces a gap: no shingle spans it
_TYPOGRAPHY = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00a9": "(c)", "\u00a0": " ",
}  # fmt: skip
# A regex finds the few typographic characters faster than str.translate walks a text.
_TYPOGRAPHIC = re.compile("[" + "".join(map(re.escape, _TYPOGRAPHY)) + "]")
# Copyright notice and author lines: holders and years vary, so they never count.
# "copyright" must be followed by a (c), a year, a colon or a placeholder, or the
# line must hold a year, so that a re-wrapped line of the licence starting
# "copyright license ..." is kept. ("[^\S\n]" is a blank that does not end the line.)
_COPYRIGHT_LINE = re.compile(
    r"^[^\w\n]*(?:portions[^\S\n]+)?"
    r"(?:copyright[^\S\n]*(?:\(c\)|\d|:|<|\[|\{|$)|\(c\)[^\S\n]*(?:\d|<|\[))[^\n]*$"
    r"|^[^\w\n]*copyright\b[^\n]*\b(?:19|20)\d\d\b[^\n]*$"
    r"|^[^\w\n]*(?:authors?|written by)[^\S\n]*:[^\n]*$"
    r"|^[^\w\n]*all rights reserved[^\w\n]*$",
    re.MULTILINE,
)
# List numbering at the start of a line: "1.", "2.1.", "a)", "(b)", "iv.", "*", "-".
_LINE_BULLET = re.compile(
    r"^[^\S\n]*(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,5})[.)]|[*\u2022-])(?:[^\S\n]+|$)",
    re.MULTILINE,
)
# Enumerators in parentheses anywhere: "(a)", "(iv)", "(2)".
_ENUMERATOR = re.compile(r"\((?:[a-z]|[ivx]{1,5}|\d{1,2})\)")
# Template placeholders: "<year>", "<name of author>", "[yyyy]", "{owner}". Angle
# brackets around a URL or an address are not placeholders (no ':' or '@').
_PLACEHOLDER = re.compile(
    r"<[a-z][a-z ,.'-]{0,40}>|\[[a-z][a-z ,.'-]{0,40}\]|\{[a-z][a-z ,.'-]{0,40}\}"
)
_WORD = re.compile(r"[a-z0-9]+")
# Spellings that do not change the licence.
_SAME_WORD = {"licence": "license", "licences": "licenses", "https": "http"}


def _segments(text: str) -> list[list[str]]:
    """Normalised words of ``text``, in runs between forced breaks."""
    text = _TYPOGRAPHIC.sub(lambda char: _TYPOGRAPHY[char.group()], text).lower()
    flat = _COPYRIGHT_LINE.sub(_BREAK, text.replace("\r\n", "\n").replace("\r", "\n"))
    flat = _LINE_BULLET.sub(" ", flat)
    flat = _ENUMERATOR.sub(" ", flat)
    flat = _PLACEHOLDER.sub(_BREAK, flat)
    segments = []
    for chunk in flat.split(_BREAK):
        if words := _WORD.findall(chunk):
            segments.append([_SAME_WORD.get(word, word) for word in words])
    return segments


# A shingle is the hash of three consecutive words: ints are cheap to store and
# compare, and within one process equal shingles have equal hashes (a collision of
# two different 64-bit hashes among a few hundred thousand shingles is negligible).
Shingle = int


_MASK = (1 << 64) - 1
_K1 = 0x9E3779B97F4A7C15  # odd 64-bit multipliers: the three word positions mix differently
_K2 = 0xC2B2AE3D27D4EB4F
_WORD_HASHES: dict[str, int] = {}
_MAX_REMEMBERED_WORDS = 200_000


def _word_hash(word: str) -> int:
    # Not hash(): str hashes change with every process, and the corpus is kept between runs.
    known = _WORD_HASHES.get(word)
    if known is None:
        if len(_WORD_HASHES) >= _MAX_REMEMBERED_WORDS:
            _WORD_HASHES.clear()
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        known = _WORD_HASHES[word] = int.from_bytes(digest, "big")
    return known


def _shingles(segments: Iterable[Sequence[str]]) -> set[Shingle]:
    """The overlapping 3-word windows of each segment, each as a stable 64-bit hash."""
    found: set[Shingle] = set()
    for words in segments:
        hashes = [_word_hash(word) for word in words]
        found.update(
            (a * _K1 + b * _K2 + c) & _MASK
            for a, b, c in zip(hashes, hashes[1:], hashes[2:], strict=False)
        )
    return found


_LATER_PHRASE = " or at your option any later version "


def _count_later(segments: Iterable[Sequence[str]]) -> int:
    return sum(f" {' '.join(words)} ".count(_LATER_PHRASE) for words in segments)


# --- the reference corpus ------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class _Record:
    package_id: str
    name: str
    template: str


@dataclass(frozen=True, kw_only=True, slots=True)
class _Appendix:
    """An optional block that itself says "or any later version" (GNU "How to apply")."""

    shingles: AbstractSet[Shingle]
    later_count: int


@dataclass(frozen=True, kw_only=True, slots=True)
class _Reference:
    spdx_id: str
    name: str
    required: AbstractSet[Shingle]
    # Optional text and variables at their original wording: no loss if absent.
    tolerated: AbstractSet[Shingle]
    later_count: int
    appendices: tuple[_Appendix, ...]


# Each reference is indexed under a few of its shingles, the ones fewest other
# references share: a text that holds most of a licence holds some of them, and a
# long text (a GPL) does not hit every licence through its common phrases. Only
# the references a text hits are compared in full.
_SAMPLE_SIZE = 48
# How many of the references a text hits are compared in full.
_COMPARED = 12


@dataclass(frozen=True, kw_only=True, slots=True)
class _Corpus:
    ids: tuple[str, ...]  # the SPDX id of each reference, by position
    sample_index: dict[Shingle, tuple[int, ...]]  # shingle -> positions of references
    load: Callable[[int], _Reference]  # the reference at a position, read on demand

    def reference(self, position: int) -> _Reference:
        return self.load(position)


def _data_file(name: str) -> bytes:
    return (files("spdx") / "data" / name).read_bytes()


def _template_text(name: str) -> str:
    raw = _data_file(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:  # two texts of the package are Latin-1
        return raw.decode("latin-1")


# Package ids left out of matching: Nunit is a deprecated id whose text is word
# for word that of zlib-acknowledgement.
_NOT_CANDIDATES = frozenset({"Nunit"})


@cache
def _records() -> tuple[_Record, ...]:
    database = json.loads(_data_file("db.json"))
    return tuple(
        _Record(package_id=item["id"], name=item["name"], template=item["template"])
        for item in database["licenses"]
        if item["id"] not in _NOT_CANDIDATES
    )


# Our own markup added to package templates whose wording varies in the wild.
# "END OF TERMS AND CONDITIONS" ends the terms of the GNU and Apache licences;
# the "How to apply" appendix after it is often left out of LICENSE files.
_END_OF_TERMS = re.compile(r"(END OF TERMS AND CONDITIONS[^\n]*\n)(.+)\Z", re.DOTALL)
_VARIANT_WORDS: dict[str, re.Pattern[str]] = {
    # Most ISC files say "THE AUTHOR" where the SPDX text names ISC itself.
    "ISC": re.compile(r"(?<=AND )ISC(?= DISCLAIMS)|(?<=SHALL )ISC(?= BE LIABLE)"),
}


def _add_own_markup(package_id: str, template: str) -> str:
    variant = _VARIANT_WORDS.get(package_id)
    if variant is not None:
        template = variant.sub(
            lambda word: f"<<var;name=variant;original={word.group()};match=.+>>", template
        )
    return _END_OF_TERMS.sub(r"\1<<beginOptional;name=appendix>>\2<<endOptional>>", template)


_MARKUP = re.compile(r"<<(var;.*?|beginOptional[^>]*|endOptional)>>", re.DOTALL)
_VAR_ORIGINAL = re.compile(r";original=(.*?);match=", re.DOTALL)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Piece:
    text: str
    is_var: bool
    optional: int  # index of the optional block holding the piece, or -1


def _pieces(template: str) -> Iterator[_Piece]:
    """Split an SPDX template into plain text, variables and optional blocks."""
    position = 0
    block = -1
    blocks = 0
    for markup in _MARKUP.finditer(template):
        if markup.start() > position:
            yield _Piece(text=template[position : markup.start()], is_var=False, optional=block)
        tag = markup.group(1)
        if tag.startswith("var;"):
            original = _VAR_ORIGINAL.search(tag)
            yield _Piece(text=original.group(1) if original else "", is_var=True, optional=block)
        elif tag.startswith("beginOptional"):
            block = blocks
            blocks += 1
        else:
            block = -1
        position = markup.end()
    if position < len(template):
        yield _Piece(text=template[position:], is_var=False, optional=block)


def _reference(record: _Record) -> _Reference:
    template = _add_own_markup(record.package_id, _template_text(record.template))
    pieces = list(_pieces(template))
    # Required text: no variable and no optional block; each leaves a gap.
    required_segments = _segments(
        "".join(_BREAK if p.is_var or p.optional >= 0 else p.text for p in pieces)
    )
    required = _shingles(required_segments)
    tolerated: set[Shingle] = set()
    appendices = []
    if len(pieces) > 1:
        # Tolerated: everything in (variables at their original wording), and
        # everything optional left out, so the words bridging each gap count too.
        tolerated |= _shingles(_segments("".join(p.text for p in pieces)))
        bare = "".join(p.text for p in pieces if not p.is_var and p.optional < 0)
        tolerated |= _shingles(_segments(bare))
        tolerated -= required
        for block in range(max(p.optional for p in pieces) + 1):
            block_segments = _segments("".join(p.text for p in pieces if p.optional == block))
            later_count = _count_later(block_segments)
            if later_count:
                shingles = _shingles(block_segments)
                appendices.append(_Appendix(shingles=shingles, later_count=later_count))
    return _Reference(
        spdx_id=_RENAMED.get(record.package_id, record.package_id),
        name=record.name,
        required=required,
        tolerated=tolerated,
        later_count=_count_later(required_segments),
        appendices=tuple(appendices),
    )


def _build_corpus() -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """(header, records) of the corpus, as plain data for the cache file."""
    references = tuple(ref for ref in map(_reference, _records()) if ref.required)
    shared_by = Counter(chain.from_iterable(ref.required for ref in references))
    sample_index: dict[Shingle, list[int]] = {}
    for position, reference in enumerate(references):
        rarest = sorted(reference.required, key=shared_by.__getitem__)[:_SAMPLE_SIZE]
        for shingle in rarest:
            sample_index.setdefault(shingle, []).append(position)
    header = (
        tuple(r.spdx_id for r in references),
        {shingle: tuple(hits) for shingle, hits in sample_index.items()},
    )
    return header, [_reference_to_plain(r) for r in references]


def _reference_to_plain(r: _Reference) -> tuple[Any, ...]:
    return (
        r.spdx_id, r.name, frozenset(r.required), frozenset(r.tolerated), r.later_count,
        tuple((frozenset(a.shingles), a.later_count) for a in r.appendices),
    )  # fmt: skip


def _reference_from_plain(plain: tuple[Any, ...]) -> _Reference:
    spdx_id, name, required, tolerated, later_count, appendices = plain
    return _Reference(
        spdx_id=spdx_id, name=name, required=required, tolerated=tolerated,
        later_count=later_count,
        appendices=tuple(_Appendix(shingles=s, later_count=n) for s, n in appendices),
    )  # fmt: skip


@cache
def _corpus() -> _Corpus:
    """The corpus, read from the cache folder when a previous run stored it."""
    from assay.checks.licence_corpus_cache import corpus_path, load_or_build

    version = json.loads(_data_file("db.json")).get("version", "unknown")
    (ids, sample_index), record = load_or_build(corpus_path(str(version)), _build_corpus)

    @cache
    def load(position: int) -> _Reference:
        return _reference_from_plain(record(position))

    return _Corpus(ids=ids, sample_index=sample_index, load=load)


# --- matching ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class _Candidate:
    reference: _Reference
    coverage: float
    precision: float
    similarity: float

    @property
    def passes(self) -> bool:
        return self.similarity >= MIN_SIMILARITY and self.coverage >= MIN_COVERAGE


def _similarity(coverage: float, precision: float) -> float:
    if coverage <= 0.0 or precision <= 0.0:
        return 0.0
    return math.exp(
        _COVERAGE_WEIGHT * math.log(coverage) + (1.0 - _COVERAGE_WEIGHT) * math.log(precision)
    )


def _candidates(shingles: AbstractSet[Shingle]) -> list[_Candidate]:
    """The references the text resembles most, best first.

    The sample index says which references the text hits and how much of each
    sample it holds; only the few best of those are compared in full.
    """
    if not shingles:
        return []
    corpus = _corpus()
    sample_hits: Counter[int] = Counter()
    for shingle in shingles & corpus.sample_index.keys():
        sample_hits.update(corpus.sample_index[shingle])
    candidates = []
    for position, _ in sample_hits.most_common(_COMPARED):
        reference = corpus.reference(position)
        required_hits = len(reference.required & shingles)
        tolerated_hits = len(reference.tolerated & shingles)
        coverage = required_hits / len(reference.required)
        precision = (required_hits + tolerated_hits) / len(shingles)
        candidates.append(
            _Candidate(
                reference=reference,
                coverage=coverage,
                precision=precision,
                similarity=_similarity(coverage, precision),
            )
        )
    # Identical texts under two ids (MPL-2.0 and its no-copyleft-exception
    # variant) tie; the shorter, then alphabetically first id wins.
    candidates.sort(
        key=lambda c: (-c.similarity, -c.coverage, len(c.reference.spdx_id), c.reference.spdx_id)
    )
    return candidates


def _says_or_later(
    reference: _Reference, segments: Sequence[Sequence[str]], shingles: set[Shingle]
) -> bool:
    """Whether the text declares "or any later version" beyond the licence's own wording."""
    if not reference.spdx_id.endswith(_ONLY):
        return False
    expected = reference.later_count
    for appendix in reference.appendices:
        if len(appendix.shingles & shingles) * 2 >= len(appendix.shingles):
            expected += appendix.later_count
    return _count_later(segments) > expected


def _text_match(text: str) -> tuple[LicenseMatch | None, _Candidate | None]:
    """The recognised licence (if any) and the closest candidate."""
    # An SPDX-License-Identifier line is a declaration about the text, not part of it.
    segments = _segments(_IDENTIFIER_LINE.sub(_BREAK, text))
    shingles = _shingles(segments)
    candidates = _candidates(shingles)
    if not candidates:
        return None, None
    best = candidates[0]
    if not best.passes:
        return None, best
    spdx_id = best.reference.spdx_id
    if _says_or_later(best.reference, segments, shingles):
        spdx_id = spdx_id.removesuffix(_ONLY) + _OR_LATER
    match = LicenseMatch(
        spdx_id=spdx_id,
        name=_names().get(spdx_id, best.reference.name),
        similarity=round(best.similarity, 4),
        method="text",
    )
    return match, best


def declared_license_id(text: str) -> str | None:
    """The id of the first ``SPDX-License-Identifier:`` line, if it names a single licence."""
    line = _IDENTIFIER_LINE.search(text)
    if line is None:
        return None
    value = line.group(1).strip()
    # Comment closers of the file's language are not part of the id.
    for closer in ("*/", "-->", "#}", "--%>"):
        value = value.removesuffix(closer).strip()
    return canonical_license_id(value)


def identify_license(text: str, *, declared: str | None = None) -> LicenseMatch | None:
    """The SPDX licence held in ``text``, or None if it is not recognised.

    ``declared`` is an id known from elsewhere (a REUSE ``LICENSES/<id>.txt`` file
    name); an ``SPDX-License-Identifier:`` line in the text takes precedence over it.
    """
    match, best = _text_match(text)
    stated = declared_license_id(text)
    if stated is None and declared is not None:
        stated = canonical_license_id(declared)
    if stated is None:
        return match
    if match is not None and _family(match.spdx_id) == _family(stated):
        return LicenseMatch(
            spdx_id=stated,
            name=_names().get(stated, match.name),
            similarity=match.similarity,
            method="text",
        )
    return LicenseMatch(
        spdx_id=stated,
        name=_names().get(stated, stated),
        similarity=round(best.similarity, 4) if best is not None else 0.0,
        method="spdx-identifier",
    )


def closest_license(text: str) -> LicenseMatch | None:
    """The licence whose text is most like ``text``, recognised or not (for messages).

    None only when the text shares nothing with any licence.
    """
    match, best = _text_match(text)
    if match is not None or best is None:
        return match
    return LicenseMatch(
        spdx_id=best.reference.spdx_id,
        name=best.reference.name,
        similarity=round(best.similarity, 4),
        method="text",
    )
