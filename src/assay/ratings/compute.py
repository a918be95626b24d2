"""Grades from an audit's measures, findings and check runs (the formula of docs/ratings.md)."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence

from assay.model import Finding, Grade, Measure, Rating, Severity
from assay.ratings.rules import (
    CHARACTERISTICS,
    Evidence,
    FindingsEvidence,
    MeasureEvidence,
)

_GRADES = (Grade.A, Grade.B, Grade.C, Grade.D, Grade.E)
_BY_SEVERITY = {
    Severity.INFO: Grade.B, Severity.LOW: Grade.B, Severity.MEDIUM: Grade.C,
    Severity.HIGH: Grade.D, Severity.CRITICAL: Grade.E,
}  # fmt: skip


def rate(
    rules: Mapping[str, Sequence[Evidence]],
    *,
    measures: Sequence[Measure],
    findings: Sequence[Finding],
    judged: set[str],
) -> list[Rating]:
    """Every characteristic, and each sub-characteristic the rules give evidence for.

    ``judged``: the checks that ran without error and had something to judge; findings
    evidence from any other check assesses nothing.
    """
    done = judged
    ratings: list[Rating] = []
    for characteristic, subs in CHARACTERISTICS.items():
        sub_ratings = [
            _sub_rating(
                characteristic, sub, rules[key], measures=measures, findings=findings, done=done
            )
            for sub in subs
            if (key := f"{characteristic}.{sub}") in rules
        ]
        assessed = [r.grade for r in sub_ratings if r.grade is not None]
        basis = [f"{r.subcharacteristic} {r.grade}" for r in sub_ratings if r.grade is not None]
        ratings.append(Rating(characteristic=characteristic, subcharacteristic=None,
                              grade=max(assessed) if assessed else None, basis=basis))  # fmt: skip
        ratings += sub_ratings
    return ratings


def _sub_rating(
    characteristic: str,
    sub: str,
    evidence: Sequence[Evidence],
    *,
    measures: Sequence[Measure],
    findings: Sequence[Finding],
    done: set[str],
) -> Rating:
    graded = [_grade(item, measures, findings, done) for item in evidence]
    assessed = [(grade, text) for grade, text in graded if grade is not None]
    return Rating(
        characteristic=characteristic,
        subcharacteristic=sub,
        grade=max(grade for grade, _ in assessed) if assessed else None,
        basis=[text for _, text in graded],
    )


def _grade(
    evidence: Evidence, measures: Sequence[Measure], findings: Sequence[Finding], done: set[str]
) -> tuple[Grade | None, str]:
    if isinstance(evidence, MeasureEvidence):
        return _measure_grade(evidence, measures)
    return _findings_grade(evidence, findings, done)


def _measure_grade(
    evidence: MeasureEvidence, measures: Sequence[Measure]
) -> tuple[Grade | None, str]:
    name = evidence.measure
    found = next(
        (m for m in measures if m.name == name and dict(m.labels) == evidence.labels), None
    )
    if found is None:
        return None, f"{name}: not measured"
    value = found.value
    beyond = (value < bound if evidence.higher_is_better else value > bound
              for bound in evidence.bounds)  # fmt: skip
    grade = _GRADES[sum(1 for outside in beyond if outside)]
    return grade, f"{name} {value:g} {found.unit}: {grade}"


def _findings_grade(
    evidence: FindingsEvidence, findings: Sequence[Finding], done: set[str]
) -> tuple[Grade | None, str]:
    selector = evidence.findings
    label = ", ".join(selector.checks)
    ran = [c for c in done if _matches(c, selector.checks)]
    if not ran:
        return None, f"findings of {label}: nothing judged"
    relevant = [
        f for f in findings
        if _matches(f.check_id, selector.checks)
        and any(fnmatch.fnmatchcase(f.rule, pattern) for pattern in selector.rules)
    ]  # fmt: skip
    if not relevant:
        return Grade.A, f"findings of {label}: none: A"
    worst = max(relevant, key=lambda f: f.severity.rank).severity
    grade = _BY_SEVERITY[worst]
    return grade, f"findings of {label}: {len(relevant)}, worst {worst.value}: {grade}"


def _matches(check_id: str, patterns: Sequence[str]) -> bool:
    return any(check_id.startswith(p[:-1]) if p.endswith("*") else check_id == p for p in patterns)
