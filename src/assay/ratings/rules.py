"""The rating rules: which evidence grades which sub-characteristic, and the bounds.

A policy may replace the built-in rules (``ratings:`` in the policy file), keyed by
``characteristic.sub-characteristic`` with ISO/IEC 25010:2023's names.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

# ISO/IEC 25010:2023: the nine product quality characteristics and their sub-characteristics.
CHARACTERISTICS: dict[str, tuple[str, ...]] = {
    "functional-suitability": ("functional-completeness", "functional-correctness",
                               "functional-appropriateness"),
    "performance-efficiency": ("time-behaviour", "resource-utilization", "capacity"),
    "compatibility": ("co-existence", "interoperability"),
    "interaction-capability": ("appropriateness-recognizability", "learnability", "operability",
                               "user-error-protection", "user-engagement", "inclusivity",
                               "user-assistance", "self-descriptiveness"),
    "reliability": ("faultlessness", "availability", "fault-tolerance", "recoverability"),
    "security": ("confidentiality", "integrity", "non-repudiation", "accountability",
                 "authenticity", "resistance"),
    "maintainability": ("modularity", "reusability", "analysability", "modifiability",
                        "testability"),
    "flexibility": ("adaptability", "installability", "replaceability", "scalability"),
    "safety": ("operational-constraint", "risk-identification", "fail-safe", "hazard-warning",
               "safe-integration"),
}  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MeasureEvidence(_Strict):
    """A measure graded by four bounds: A up to the first, B up to the second, ... E beyond."""

    measure: str = Field(min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)
    bounds: tuple[float, float, float, float]
    higher_is_better: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> MeasureEvidence:
        ordered = sorted(self.bounds, reverse=self.higher_is_better)
        if list(self.bounds) != ordered:
            way = "decreasing" if self.higher_is_better else "increasing"
            raise ValueError(f"bounds of {self.measure} must be {way} from A to D")
        return self


class FindingsSelector(_Strict):
    checks: list[str] = Field(
        min_length=1, description="Check ids (a trailing * matches a prefix)."
    )
    rules: list[str] = Field(default_factory=lambda: ["*"])


class FindingsEvidence(_Strict):
    """Findings of some checks graded by the worst severity: none A, low B ... critical E."""

    findings: FindingsSelector


Evidence = Annotated[MeasureEvidence | FindingsEvidence, Field(union_mode="left_to_right")]
RatingRules = dict[str, list[Evidence]]


def _measure(name: str, bounds: tuple[float, float, float, float], *, higher: bool = False,
             **labels: str) -> MeasureEvidence:  # fmt: skip
    return MeasureEvidence(measure=name, labels=labels, bounds=bounds, higher_is_better=higher)


def _findings(*checks: str) -> FindingsEvidence:
    return FindingsEvidence(findings=FindingsSelector(checks=list(checks)))


# The built-in rules. Lower-is-better bounds read "A up to 2 %, B up to 5 % ..."; the
# grades of complexity and duplication follow common practice (SonarQube's duplication
# and complexity gates), those of findings the worst severity, like its security rating.
DEFAULT_RULES: RatingRules = {
    "maintainability.analysability": [
        _measure("maint.functions.over_limits", (2, 5, 10, 20)),
        _measure("maint.docstrings.coverage", (80, 60, 40, 20), higher=True),
        _measure("maint.lint.density", (1, 5, 10, 20)),
    ],
    "maintainability.modifiability": [
        _measure("maint.ccn.p90", (5, 10, 15, 25)),
        _measure("maint.duplication.density", (3, 5, 10, 20)),
    ],
    "maintainability.reusability": [_measure("maint.duplication.density", (3, 5, 10, 20))],
    "maintainability.testability": [_measure("coverage.lines", (80, 70, 50, 30), higher=True)],
    "reliability.faultlessness": [_measure("tests.failing_share", (0, 1, 5, 10))],
    "functional-suitability.functional-correctness": [
        _measure("tests.failing_share", (0, 1, 5, 10))
    ],
    "security.confidentiality": [_findings("secrets.scan")],
    "security.integrity": [_findings("sast.*", "pipeline.*", "docker.*")],
    "security.resistance": [_findings("vulns.osv")],
    "security.accountability": [_measure("process.reviewed_share", (95, 80, 60, 40), higher=True)],
    "flexibility.installability": [_findings("hygiene.lockfiles", "maint.readme-sections")],
}
