"""The severity of an advisory for one affected package.

In order, the first that gives an answer wins:

1. a CVSS v4 vector, then a CVSS v3 vector, of the affected package (``affected[].severity``),
   then of the record (``severity``); the ``cvss`` library computes the base score, and
   the score gives the level: critical >= 9.0, high >= 7.0, medium >= 4.0, low > 0.0,
   info for 0.0;
2. a severity word in ``affected[].ecosystem_specific.severity``, then
   ``affected[].database_specific.severity``, then the record's
   ``database_specific.severity`` (GitHub writes LOW / MODERATE / HIGH / CRITICAL);
3. otherwise medium: an advisory nobody scored is still a known vulnerability.

An invalid vector or an unknown word is passed over, never an error.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cvss import CVSS3, CVSS4

from assay.model import Severity
from assay.vulndb.osv import Affected, Record, SeverityScore

DEFAULT = Severity.MEDIUM
_WORDS: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "important": Severity.HIGH,
    "moderate": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "negligible": Severity.LOW,
    "unimportant": Severity.LOW,
}
# Scoring systems by preference: the newer CVSS version describes the impact better.
_SCORERS: tuple[tuple[str, Any], ...] = (("CVSS_V4", CVSS4), ("CVSS_V3", CVSS3))


@dataclass(frozen=True, kw_only=True, slots=True)
class Rating:
    """A severity, the CVSS base score it came from if any, and where it was found."""

    severity: Severity
    score: float | None
    source: str


def level(score: float) -> Severity:
    """The severity of a CVSS base score."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFO


def rate(record: Record, affected: Affected) -> Rating:
    """The severity of ``record`` for the package of ``affected``."""
    for scores in (affected.severity, record.severity):
        rating = _from_vectors(scores)
        if rating is not None:
            return rating
    places = (
        ("ecosystem_specific", affected.ecosystem_specific),
        ("affected database_specific", affected.database_specific),
        ("database_specific", record.database_specific),
    )
    for where, data in places:
        rating = _from_word(where, data)
        if rating is not None:
            return rating
    return Rating(severity=DEFAULT, score=None, source="default (no severity in the record)")


def _from_vectors(scores: Sequence[SeverityScore]) -> Rating | None:
    for kind, _ in _SCORERS:
        for entry in scores:
            if entry.type != kind:
                continue
            value = _base_score(kind, entry.score)
            if value is None:
                continue
            return Rating(severity=level(value), score=value, source=f"{kind} {entry.score}")
    return None


@functools.lru_cache(maxsize=4096)
def _base_score(kind: str, vector: str) -> float | None:
    """The base score of a vector; None when it is not valid. Remembered: vectors repeat."""
    scorer = dict(_SCORERS)[kind]
    try:
        return float(scorer(vector).base_score)
    except Exception:  # cvss raises its own errors, and others on garbage vectors
        return None


def _from_word(where: str, data: Mapping[str, Any] | None) -> Rating | None:
    word = (data or {}).get("severity")
    if not isinstance(word, str):
        return None
    severity = _WORDS.get(word.strip().lower())
    if severity is None:
        return None
    return Rating(severity=severity, score=None, source=f"{where}.severity {word}")
