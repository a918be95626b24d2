"""ISO/IEC 25010 ratings: grades from measures and findings, and what is not assessed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assay.checks.api import finding
from assay.model import Grade, Measure, Rating, Severity
from assay.policy.model import Policy
from assay.ratings import CHARACTERISTICS, rate
from assay.ratings.rules import FindingsEvidence, FindingsSelector, MeasureEvidence

RULES = {
    "maintainability.analysability": [
        MeasureEvidence(measure="maint.functions.over_limits", bounds=(2, 5, 10, 20)),
        MeasureEvidence(measure="maint.docstrings.coverage", bounds=(80, 60, 40, 20),
                        higher_is_better=True),
    ],
    "maintainability.modifiability": [
        MeasureEvidence(measure="maint.duplication.density", bounds=(3, 5, 10, 20)),
    ],
    "security.confidentiality": [
        FindingsEvidence(findings=FindingsSelector(checks=["secrets.scan"])),
    ],
    "security.integrity": [FindingsEvidence(findings=FindingsSelector(checks=["sast.*"]))],
}  # fmt: skip


def m(name: str, value: float, unit: str = "%") -> Measure:
    return Measure(check_id=name.rsplit(".", 1)[0], name=name, value=value, unit=unit)


def not_assessed(characteristic: str) -> Rating:
    return Rating(characteristic=characteristic, grade=None, basis=[])


def test_grades_worst_of_evidence_and_unassessed_characteristics() -> None:
    measures = [
        m("maint.functions.over_limits", 5),  # exactly on B's bound: B
        m("maint.docstrings.coverage", 39.5),  # below C's 40: D
        m("maint.duplication.density", 2.0),  # A
    ]
    leak = finding("secrets.scan", "secrets.jwt", "a token", severity=Severity.HIGH, path="a")
    ratings = rate(RULES, measures=measures, findings=[leak],
                   judged={"secrets.scan", "maint.complexity"})  # fmt: skip
    by_key = {(r.characteristic, r.subcharacteristic): r for r in ratings}
    assert by_key[("maintainability", "analysability")] == Rating(
        characteristic="maintainability", subcharacteristic="analysability", grade=Grade.D,
        basis=["maint.functions.over_limits 5 %: B", "maint.docstrings.coverage 39.5 %: D"],
    )  # fmt: skip
    assert by_key[("maintainability", None)] == Rating(
        characteristic="maintainability", grade=Grade.D,
        basis=["analysability D", "modifiability A"],
    )  # fmt: skip
    assert by_key[("security", "confidentiality")].grade == Grade.D  # worst finding: high
    # No sast.* check was judged: integrity is not assessed, and it is not an A.
    assert by_key[("security", "integrity")] == Rating(
        characteristic="security", subcharacteristic="integrity", grade=None,
        basis=["findings of sast.*: nothing judged"],
    )  # fmt: skip
    assert by_key[("security", None)] == Rating(
        characteristic="security", grade=Grade.D, basis=["confidentiality D"]
    )
    assert by_key[("reliability", None)] == not_assessed("reliability")
    # Every characteristic appears, in ISO/IEC 25010's order.
    assert [r.characteristic for r in ratings if r.subcharacteristic is None] == list(
        CHARACTERISTICS
    )


@pytest.mark.parametrize(
    ("severity", "grade"),
    [(None, Grade.A), (Severity.LOW, Grade.B), (Severity.MEDIUM, Grade.C),
     (Severity.HIGH, Grade.D), (Severity.CRITICAL, Grade.E)],
)  # fmt: skip
def test_findings_grade_by_their_worst_severity(severity: Severity | None, grade: Grade) -> None:
    findings = [finding("sast.ruff", "sast.ruff.S602", "x", severity=severity)] if severity else []
    ratings = rate(RULES, measures=[], findings=findings, judged={"sast.ruff"})
    integrity = next(r for r in ratings if r.subcharacteristic == "integrity")
    assert integrity.grade == grade


def test_a_missing_measure_assesses_nothing() -> None:
    ratings = rate(RULES, measures=[], findings=[], judged=set())
    assert all(r.grade is None for r in ratings)
    analysability = next(r for r in ratings if r.subcharacteristic == "analysability")
    assert analysability.basis == [
        "maint.functions.over_limits: not measured",
        "maint.docstrings.coverage: not measured",
    ]


def _policy(ratings: object) -> Policy:
    return Policy.model_validate({"assay-policy": 1, "id": "p", "title": "P", "ratings": ratings})


def test_a_policy_names_iso_25010_sub_characteristics_only() -> None:
    with pytest.raises(ValidationError) as caught:
        _policy({"maintainability.beauty": []})
    assert (
        "ratings: 'maintainability.beauty' is not an ISO/IEC 25010 'characteristic."
        "sub-characteristic' (e.g. maintainability.analysability; names in docs/ratings.md)"
    ) in str(caught.value)


def test_bounds_must_go_from_a_to_d() -> None:
    with pytest.raises(ValidationError) as caught:
        _policy({"maintainability.analysability": [
            {"measure": "maint.lint.density", "bounds": [10, 5, 20, 30]}]})  # fmt: skip
    assert "bounds of maint.lint.density must be increasing from A to D" in str(caught.value)
    policy = _policy(
        {
            "maintainability.testability": [
                {"measure": "coverage.lines", "bounds": [80, 70, 50, 30], "higher_is_better": True}
            ]
        }
    )
    assert policy.ratings is not None
