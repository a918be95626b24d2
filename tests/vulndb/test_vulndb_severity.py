"""The severity of an advisory: CVSS v4, then v3 vectors, then severity words, else medium."""

from __future__ import annotations

from typing import Any

import pytest
from vulndb_helpers import affected, record, span

from assay.model import Severity
from assay.vulndb.osv import parse_record
from assay.vulndb.severity import Rating, level, rate

V3_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8
V3_HIGH = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"  # 8.1
V3_MEDIUM = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"  # 4.2
V3_NONE = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"  # 0.0
V4_LOW = "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"  # 2.3
V4_MEDIUM = "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"  # 6.8


def rating_of(**fields: Any) -> Rating:
    """The rating of a one-package record, with ``entry_*`` fields on the affected entry."""
    entry_fields = {k[len("entry_") :]: v for k, v in fields.items() if k.startswith("entry_")}
    record_fields = {k: v for k, v in fields.items() if not k.startswith("entry_")}
    entry = affected("PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0")), **entry_fields)
    parsed = parse_record(record("PYSEC-1", entry, **record_fields))
    return rate(parsed, parsed.affected[0])


def vector(kind: str, score: str) -> list[dict[str, str]]:
    return [{"type": kind, "score": score}]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(10.0, Severity.CRITICAL), (9.0, Severity.CRITICAL), (8.9, Severity.HIGH),
     (7.0, Severity.HIGH), (6.9, Severity.MEDIUM), (4.0, Severity.MEDIUM), (3.9, Severity.LOW),
     (0.1, Severity.LOW), (0.0, Severity.INFO)],
)  # fmt: skip
def test_score_levels(score: float, expected: Severity) -> None:
    assert level(score) is expected


def test_cvss_v3_vector_is_scored() -> None:
    assert rating_of(severity=vector("CVSS_V3", V3_CRITICAL)) == Rating(
        severity=Severity.CRITICAL, score=9.8, source=f"CVSS_V3 {V3_CRITICAL}"
    )
    assert rating_of(severity=vector("CVSS_V3", V3_NONE)) == Rating(
        severity=Severity.INFO, score=0.0, source=f"CVSS_V3 {V3_NONE}"
    )


def test_cvss_v4_is_preferred_to_v3() -> None:
    both = [{"type": "CVSS_V3", "score": V3_CRITICAL}, {"type": "CVSS_V4", "score": V4_LOW}]
    assert rating_of(severity=both) == Rating(
        severity=Severity.LOW, score=2.3, source=f"CVSS_V4 {V4_LOW}"
    )


def test_the_affected_package_severity_wins_over_the_record() -> None:
    assert rating_of(
        severity=vector("CVSS_V3", V3_CRITICAL), entry_severity=vector("CVSS_V4", V4_MEDIUM)
    ) == Rating(severity=Severity.MEDIUM, score=6.8, source=f"CVSS_V4 {V4_MEDIUM}")


def test_invalid_vectors_are_passed_over() -> None:
    broken = [{"type": "CVSS_V4", "score": "CVSS:4.0/garbage"},
              {"type": "CVSS_V3", "score": "CVSS:3.1/AV:X"},
              {"type": "CVSS_V3", "score": V3_HIGH}]  # fmt: skip
    assert rating_of(severity=broken) == Rating(
        severity=Severity.HIGH, score=8.1, source=f"CVSS_V3 {V3_HIGH}"
    )


def test_cvss_v2_alone_is_not_used_and_words_decide() -> None:
    assert rating_of(
        severity=vector("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
        database_specific={"severity": "MODERATE"},
    ) == Rating(severity=Severity.MEDIUM, score=None, source="database_specific.severity MODERATE")


def test_severity_words_in_order_of_places() -> None:
    assert rating_of(
        entry_ecosystem_specific={"severity": "HIGH"},
        entry_database_specific={"severity": "low"},
        database_specific={"severity": "CRITICAL"},
    ) == Rating(severity=Severity.HIGH, score=None, source="ecosystem_specific.severity HIGH")
    assert rating_of(
        entry_database_specific={"severity": "Low"}, database_specific={"severity": "CRITICAL"}
    ) == Rating(severity=Severity.LOW, score=None, source="affected database_specific.severity Low")
    assert rating_of(database_specific={"severity": "CRITICAL"}) == Rating(
        severity=Severity.CRITICAL, score=None, source="database_specific.severity CRITICAL"
    )


def test_unknown_words_and_nothing_give_medium() -> None:
    default = Rating(
        severity=Severity.MEDIUM, score=None, source="default (no severity in the record)"
    )
    assert rating_of(database_specific={"severity": "spicy"}) == default
    assert rating_of(database_specific={"severity": 7}) == default
    assert rating_of() == default
