"""evaluate(): every way a control gets its verdict; summarize(): counts and the score."""

from __future__ import annotations

from typing import Any

import pytest

from assay.checks.api import CheckOutput, finding
from assay.evaluate import evaluate, summarize
from assay.model import Measure, Severity, Summary, Verdict, VerdictStatus
from assay.policy.model import (
    Control,
    Enforcement,
    MeasureBound,
    MeasureCondition,
    NoFindings,
    NoFindingsCondition,
)


def control(**fields: Any) -> Control:
    values: dict[str, Any] = {"id": "C-1", "title": "A control", "checks": ["chk.a"]}
    values.update(fields)
    return Control(**values)


def verdict(
    status: VerdictStatus,
    reason: str,
    *,
    control_id: str = "C-1",
    title: str = "A control",
    severity: Severity = Severity.MEDIUM,
    enforced: bool = True,
    evidence: tuple[str, ...] = ("chk.a",),
    fingerprints: tuple[str, ...] = (),
) -> Verdict:
    return Verdict(
        control_id=control_id,
        title=title,
        severity=severity,
        enforced=enforced,
        status=status,
        reason=reason,
        evidence=list(evidence),
        finding_fingerprints=list(fingerprints),
    )


def measure_control(bound: MeasureBound, **fields: Any) -> Control:
    return control(condition=MeasureCondition(measure=bound), **fields)


def measure(name: str, value: float, unit: str = "", **labels: str) -> Measure:
    return Measure(check_id="chk.a", name=name, value=value, unit=unit, labels=labels)


# --------------------------------------------------------------------------- preconditions


def test_a_manual_control_without_checks_awaits_an_attestation() -> None:
    manual = control(manual=True, severity=Severity.HIGH, checks=[])
    assert evaluate([manual], {}, {}) == [
        verdict(
            VerdictStatus.MANUAL,
            "attestation required; no automated evidence",
            severity=Severity.HIGH,
            evidence=(),
        )
    ]


def test_a_manual_control_with_checks_is_judged_on_its_checks_first() -> None:
    # An attestation completes passing checks; it never stands in for failing ones.
    manual = control(manual=True, severity=Severity.HIGH)
    assert evaluate([manual], {}, {"chk.a": "chk.a failed: boom"}) == [
        verdict(VerdictStatus.ERROR, "chk.a failed: boom", severity=Severity.HIGH)
    ]


def test_a_control_without_checks_is_an_error() -> None:
    assert evaluate([control(checks=[])], {}, {}) == [
        verdict(VerdictStatus.ERROR, "the control names no check to evidence it", evidence=())
    ]


def test_a_failed_check_gives_its_reason() -> None:
    failures = {"chk.a": "chk.a failed on 'x.py': ValueError: cannot parse"}
    outputs = {"chk.a": CheckOutput()}  # a failure wins over whatever output there is
    assert evaluate([control()], outputs, failures) == [
        verdict(VerdictStatus.ERROR, "chk.a failed on 'x.py': ValueError: cannot parse")
    ]


def test_a_check_that_did_not_run_is_an_error() -> None:
    assert evaluate([control()], {}, {}) == [
        verdict(VerdictStatus.ERROR, "check chk.a did not run")
    ]


def test_the_first_check_in_trouble_names_the_error() -> None:
    two = control(checks=["chk.a", "chk.b"])
    assert evaluate([two], {}, {"chk.b": "chk.b failed: boom"}) == [
        verdict(VerdictStatus.ERROR, "check chk.a did not run", evidence=("chk.a", "chk.b"))
    ]
    outputs = {"chk.a": CheckOutput(not_applicable="no manifest")}
    assert evaluate([two], outputs, {}) == [
        verdict(VerdictStatus.ERROR, "check chk.b did not run", evidence=("chk.a", "chk.b"))
    ]


def test_not_applicable_passes_the_checks_reason_through() -> None:
    outputs = {
        "chk.a": CheckOutput(),
        "chk.b": CheckOutput(
            findings=[finding("chk.b", "chk.b.x", "ignored", severity=Severity.HIGH)],
            not_applicable="no git history in a plain directory",
        ),
    }
    two = control(checks=["chk.a", "chk.b"], enforcement=Enforcement.WARN)
    assert evaluate([two], outputs, {}) == [
        verdict(
            VerdictStatus.NOT_APPLICABLE,
            "no git history in a plain directory",
            enforced=False,
            evidence=("chk.a", "chk.b"),
        )
    ]


# --------------------------------------------------------------------------- no_findings


def test_no_findings_passes_with_the_pass_reason_or_a_default() -> None:
    outputs = {"chk.a": CheckOutput()}
    assert evaluate([control(), control(id="C-2", pass_reason="all clean")], outputs, {}) == [
        verdict(VerdictStatus.PASS, "no finding"),
        verdict(VerdictStatus.PASS, "all clean", control_id="C-2"),
    ]


def test_no_findings_counts_matching_rules_at_or_above_the_floor() -> None:
    low = finding("chk.a", "secrets.aws", "a.py: low key", severity=Severity.LOW, path="a.py")
    first = finding("chk.a", "secrets.aws", "b.py: AWS key", severity=Severity.MEDIUM, path="b.py")
    other = finding("chk.a", "style.tabs", "c.py: tabs", severity=Severity.CRITICAL, path="c.py")
    second = finding("chk.b", "secrets.gcp", "d.py: GCP key", severity=Severity.HIGH, path="d.py")
    third = finding("chk.b", "secrets.x", "e.py: key", severity=Severity.CRITICAL, path="e.py")
    outputs = {
        "chk.a": CheckOutput(findings=[low, first, other]),
        "chk.b": CheckOutput(findings=[second, third]),
    }
    condition = NoFindingsCondition(
        no_findings=NoFindings(rules=["secrets.*"], min_severity=Severity.MEDIUM)
    )
    enforced = control(checks=["chk.a", "chk.b"], condition=condition)
    warned = control(
        id="C-2", checks=["chk.a", "chk.b"], condition=condition, enforcement=Enforcement.WARN
    )
    fingerprints = (first.fingerprint, second.fingerprint, third.fingerprint)
    assert evaluate([enforced, warned], outputs, {}) == [
        verdict(
            VerdictStatus.FAIL,
            "b.py: AWS key (and 2 more)",
            evidence=("chk.a", "chk.b"),
            fingerprints=fingerprints,
        ),
        verdict(
            VerdictStatus.WARN,
            "b.py: AWS key (and 2 more)",
            control_id="C-2",
            enforced=False,
            evidence=("chk.a", "chk.b"),
            fingerprints=fingerprints,
        ),
    ]


def test_a_single_finding_is_the_reason_alone() -> None:
    only = finding("chk.a", "r.one", "x.py:3: bad", severity=Severity.INFO, path="x.py")
    assert evaluate([control()], {"chk.a": CheckOutput(findings=[only])}, {}) == [
        verdict(VerdictStatus.FAIL, "x.py:3: bad", fingerprints=(only.fingerprint,))
    ]


def test_findings_below_the_floor_or_of_other_rules_pass() -> None:
    outputs = {
        "chk.a": CheckOutput(
            findings=[
                finding("chk.a", "secrets.aws", "low", severity=Severity.LOW),
                finding("chk.a", "other.rule", "critical", severity=Severity.CRITICAL),
            ]
        )
    }
    condition = NoFindingsCondition(
        no_findings=NoFindings(rules=["secrets.*"], min_severity=Severity.MEDIUM)
    )
    assert evaluate([control(condition=condition)], outputs, {}) == [
        verdict(VerdictStatus.PASS, "no finding")
    ]


def test_rule_globs_are_case_sensitive_and_whole() -> None:
    outputs = {
        "chk.a": CheckOutput(
            findings=[finding("chk.a", "Secrets.AWS", "m", severity=Severity.HIGH)]
        )
    }
    condition = NoFindingsCondition(no_findings=NoFindings(rules=["secrets.*", "Secrets"]))
    assert evaluate([control(condition=condition)], outputs, {}) == [
        verdict(VerdictStatus.PASS, "no finding")
    ]


# --------------------------------------------------------------------------- measures


@pytest.mark.parametrize(
    ("bound", "value", "unit", "status", "reason"),
    [
        (MeasureBound(name="x", min=10), 3, "lines", VerdictStatus.FAIL,
         "x is 3 lines; at least 10 required"),
        (MeasureBound(name="x", max=10), 12.5, "days", VerdictStatus.FAIL,
         "x is 12.50 days; at most 10 allowed"),
        (MeasureBound(name="x", min=0.5, max=1.25), 2, "", VerdictStatus.FAIL,
         "x is 2; at most 1.25 allowed"),
        (MeasureBound(name="x", min=0.5, max=1.25), 0.25, "", VerdictStatus.FAIL,
         "x is 0.25; at least 0.50 required"),
        (MeasureBound(name="x", min=10), 10, "lines", VerdictStatus.PASS, "x is 10 lines"),
        (MeasureBound(name="x", max=10), 10.0, "days", VerdictStatus.PASS, "x is 10 days"),
        (MeasureBound(name="x"), -3, "", VerdictStatus.PASS, "x is -3"),
    ],
)  # fmt: skip
def test_measure_bounds(
    bound: MeasureBound, value: float, unit: str, status: VerdictStatus, reason: str
) -> None:
    outputs = {"chk.a": CheckOutput(measures=[measure("x", value, unit)])}
    assert evaluate([measure_control(bound)], outputs, {}) == [verdict(status, reason)]


def test_a_failing_measure_only_warns_when_not_enforced() -> None:
    outputs = {"chk.a": CheckOutput(measures=[measure("lines", 3, "lines")])}
    warned = measure_control(
        MeasureBound(name="lines", min=10), enforcement=Enforcement.WARN, pass_reason="long enough"
    )
    assert evaluate([warned], outputs, {}) == [
        verdict(VerdictStatus.WARN, "lines is 3 lines; at least 10 required", enforced=False)
    ]


def test_a_passing_measure_gives_the_pass_reason() -> None:
    outputs = {"chk.a": CheckOutput(measures=[measure("lines", 30, "lines")])}
    passing = measure_control(MeasureBound(name="lines", min=10), pass_reason="long enough")
    assert evaluate([passing], outputs, {}) == [verdict(VerdictStatus.PASS, "long enough")]


def test_the_measure_with_the_required_labels_is_judged() -> None:
    outputs = {
        "chk.a": CheckOutput(
            measures=[
                measure("lines", 500, "lines", language="python"),
                measure("lines", 7, "lines", language="go", kind="code"),
                measure("lines", 507, "lines"),
            ]
        )
    }
    go = measure_control(MeasureBound(name="lines", labels={"language": "go"}, min=10))
    code = measure_control(
        MeasureBound(name="lines", labels={"kind": "code", "language": "go"}, max=100),
        id="C-2",
    )
    unlabelled = measure_control(MeasureBound(name="lines", min=10), id="C-3")
    assert evaluate([go, code, unlabelled], outputs, {}) == [
        # Labels must match exactly: {language=go} alone names no measure here.
        verdict(VerdictStatus.ERROR, "measure lines{language=go} was not produced by chk.a"),
        verdict(VerdictStatus.PASS, "lines is 7 lines", control_id="C-2"),
        # Without labels the product-wide measure counts, not the first per-language one.
        verdict(VerdictStatus.PASS, "lines is 507 lines", control_id="C-3"),
    ]


def test_a_measure_that_was_not_produced_is_an_error() -> None:
    outputs = {
        "chk.a": CheckOutput(measures=[measure("lines", 5, language="python")]),
        "chk.b": CheckOutput(measures=[measure("files", 5)]),
    }
    wanted = measure_control(
        MeasureBound(name="lines", labels={"language": "rust"}, min=1),
        checks=["chk.a", "chk.b"],
    )
    assert evaluate([wanted], outputs, {}) == [
        verdict(
            VerdictStatus.ERROR,
            "measure lines{language=rust} was not produced by chk.a, chk.b",
            evidence=("chk.a", "chk.b"),
        )
    ]


# --------------------------------------------------------------------------- summarize


def test_summarize_counts_failing_enforced_and_scores() -> None:
    verdicts = [
        verdict(VerdictStatus.PASS, "", severity=Severity.CRITICAL),  # 8 x 1
        verdict(VerdictStatus.WARN, "", severity=Severity.HIGH, enforced=False),  # 4 x 0.5
        verdict(VerdictStatus.FAIL, "", severity=Severity.MEDIUM),  # 2 x 0, enforced
        verdict(VerdictStatus.ERROR, "", severity=Severity.LOW),  # 1 x 0, enforced
        verdict(VerdictStatus.ERROR, "", severity=Severity.LOW, enforced=False),  # 1 x 0
        verdict(VerdictStatus.PASS, "", severity=Severity.INFO),  # 0.5 x 1
        verdict(VerdictStatus.NOT_APPLICABLE, "", severity=Severity.HIGH),  # not scored
        verdict(VerdictStatus.MANUAL, "", severity=Severity.CRITICAL),  # not scored
    ]
    # earned 8 + 2 + 0.5 = 10.5 of 8 + 4 + 2 + 1 + 1 + 0.5 = 16.5 -> 63.6
    assert summarize(verdicts) == Summary(
        counts={
            VerdictStatus.PASS: 2,
            VerdictStatus.FAIL: 1,
            VerdictStatus.WARN: 1,
            VerdictStatus.NOT_APPLICABLE: 1,
            VerdictStatus.MANUAL: 1,
            VerdictStatus.ERROR: 2,
        },
        score=63.6,
        failed_enforced=2,
    )


def test_a_warn_verdict_never_counts_as_failing() -> None:
    verdicts = [verdict(VerdictStatus.WARN, "", severity=Severity.LOW, enforced=True)]
    assert summarize(verdicts).failed_enforced == 0
    assert summarize(verdicts).score == 50.0


def test_nothing_scored_is_a_hundred() -> None:
    zero = dict.fromkeys(VerdictStatus, 0)
    assert summarize([]) == Summary(counts=zero, score=100.0, failed_enforced=0)
    only_unscored = [
        verdict(VerdictStatus.MANUAL, ""),
        verdict(VerdictStatus.NOT_APPLICABLE, ""),
    ]
    assert summarize(only_unscored) == Summary(
        counts={**zero, VerdictStatus.MANUAL: 1, VerdictStatus.NOT_APPLICABLE: 1},
        score=100.0,
        failed_enforced=0,
    )


def test_all_failing_is_zero() -> None:
    verdicts = [verdict(VerdictStatus.FAIL, ""), verdict(VerdictStatus.ERROR, "")]
    assert summarize(verdicts).score == 0.0


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(1, "authors", "1 author"), (2, "authors", "2 authors"), (1, "%", "1 %"),
     (1, "issues/kloc", "1 issues/kloc"), (0, "days", "0 days")],
)  # fmt: skip
def test_one_unit_reads_singular(value: float, unit: str, shown: str) -> None:
    bound = MeasureBound(name="m", min=5)
    outputs = {"chk.a": CheckOutput(measures=[measure("m", value, unit)])}
    [result] = evaluate([measure_control(bound)], outputs, {})
    assert result.reason == f"m is {shown}; at least 5 required"
