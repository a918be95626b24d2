"""From observations to verdicts: each control's pass condition, in plain words.

Fail closed: a control whose check failed, is missing, or did not produce the
measure its condition needs gets ``error``, never ``pass``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence

from assay.checks.api import CheckOutput
from assay.model import Finding, Measure, Severity, Summary, Verdict, VerdictStatus
from assay.policy.model import Control, Enforcement, MeasureCondition, NoFindingsCondition

# Weight of a control in the score, by severity (docs/scoring.md).
SEVERITY_WEIGHT = {
    Severity.INFO: 0.5,
    Severity.LOW: 1.0,
    Severity.MEDIUM: 2.0,
    Severity.HIGH: 4.0,
    Severity.CRITICAL: 8.0,
}
# Credit a verdict earns towards the score; statuses absent here are not scored.
STATUS_CREDIT = {
    VerdictStatus.PASS: 1.0,
    VerdictStatus.WARN: 0.5,
    VerdictStatus.FAIL: 0.0,
    VerdictStatus.ERROR: 0.0,
}


def evaluate(
    controls: Sequence[Control],
    outputs: Mapping[str, CheckOutput],
    failures: Mapping[str, str],
) -> list[Verdict]:
    return [_verdict(control, outputs, failures) for control in controls]


def _verdict(
    control: Control, outputs: Mapping[str, CheckOutput], failures: Mapping[str, str]
) -> Verdict:
    early = _precondition(control, outputs, failures)
    if early is not None:
        return early
    failing = (
        VerdictStatus.FAIL if control.enforcement == Enforcement.ENFORCE else VerdictStatus.WARN
    )
    condition = control.condition
    if isinstance(condition, NoFindingsCondition):
        findings = _matching_findings(control, outputs, condition)
        if findings:
            fingerprints = [f.fingerprint for f in findings]
            return _make(control, failing, _findings_reason(findings), fingerprints)
        return _make(control, VerdictStatus.PASS, control.pass_reason or "no finding")
    return _measure_verdict(control, outputs, condition, failing)


def _precondition(
    control: Control, outputs: Mapping[str, CheckOutput], failures: Mapping[str, str]
) -> Verdict | None:
    """The verdict when the condition cannot be applied: manual, errored or not applicable."""
    if control.manual and not control.checks:
        return _make(control, VerdictStatus.MANUAL, "attestation required; no automated evidence")
    if not control.checks:
        return _make(control, VerdictStatus.ERROR, "the control names no check to evidence it")
    for check_id in control.checks:
        if check_id in failures:
            return _make(control, VerdictStatus.ERROR, failures[check_id])
        if check_id not in outputs:
            return _make(control, VerdictStatus.ERROR, f"check {check_id} did not run")
    for check_id in control.checks:
        reason = outputs[check_id].not_applicable
        if reason is not None:
            return _make(control, VerdictStatus.NOT_APPLICABLE, reason)
    return None


def _make(
    control: Control, status: VerdictStatus, reason: str, fingerprints: list[str] | None = None
) -> Verdict:
    return Verdict(
        control_id=control.id,
        title=control.title,
        severity=control.severity,
        enforced=control.enforcement == Enforcement.ENFORCE,
        status=status,
        reason=reason,
        evidence=list(control.checks),
        finding_fingerprints=fingerprints or [],
    )


def _matching_findings(
    control: Control, outputs: Mapping[str, CheckOutput], condition: NoFindingsCondition
) -> list[Finding]:
    spec = condition.no_findings
    floor = spec.min_severity.rank
    return [
        f
        for check_id in control.checks
        for f in outputs[check_id].findings
        if f.severity.rank >= floor and any(fnmatch.fnmatchcase(f.rule, p) for p in spec.rules)
    ]


def _findings_reason(findings: Sequence[Finding]) -> str:
    first = findings[0].message
    more = len(findings) - 1
    return f"{first} (and {more} more)" if more else first


def _measure_verdict(
    control: Control,
    outputs: Mapping[str, CheckOutput],
    condition: MeasureCondition,
    failing: VerdictStatus,
) -> Verdict:
    bound = condition.measure
    measure = _find_measure(control, outputs, bound.name, bound.labels)
    if measure is None:
        checks = ", ".join(control.checks)
        wanted = _measure_label(bound.name, bound.labels)
        return _make(control, VerdictStatus.ERROR, f"measure {wanted} was not produced by {checks}")
    value = _format_number(measure.value)
    unit = f" {_unit_for(measure.value, measure.unit)}" if measure.unit else ""
    if bound.min is not None and measure.value < bound.min:
        reason = f"{bound.name} is {value}{unit}; at least {_format_number(bound.min)} required"
        return _make(control, failing, reason)
    if bound.max is not None and measure.value > bound.max:
        reason = f"{bound.name} is {value}{unit}; at most {_format_number(bound.max)} allowed"
        return _make(control, failing, reason)
    return _make(
        control, VerdictStatus.PASS, control.pass_reason or f"{bound.name} is {value}{unit}"
    )


def _find_measure(
    control: Control, outputs: Mapping[str, CheckOutput], name: str, labels: Mapping[str, str]
) -> Measure | None:
    for check_id in control.checks:
        for measure in outputs[check_id].measures:
            # Exact labels: without any, the product-wide total, not the first per-language one.
            if measure.name == name and measure.labels == labels:
                return measure
    return None


def _measure_label(name: str, labels: Mapping[str, str]) -> str:
    if not labels:
        return name
    return name + "{" + ",".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}"


def _unit_for(value: float, unit: str) -> str:
    """Units are named in the plural (``authors``, ``days``); one of them reads singular."""
    return unit[:-1] if value == 1 and unit.isalpha() and unit.endswith("s") else unit


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def summarize(verdicts: Sequence[Verdict]) -> Summary:
    """Counts per status, failing enforced controls, and the 0-100 score."""
    counts = {status: 0 for status in VerdictStatus}
    for v in verdicts:
        counts[v.status] += 1
    scored = [v for v in verdicts if v.status in STATUS_CREDIT]
    total = sum(SEVERITY_WEIGHT[v.severity] for v in scored)
    earned = sum(SEVERITY_WEIGHT[v.severity] * STATUS_CREDIT[v.status] for v in scored)
    score = round(100.0 * earned / total, 1) if total else 100.0
    failed_enforced = sum(
        1 for v in verdicts if v.enforced and v.status in (VerdictStatus.FAIL, VerdictStatus.ERROR)
    )
    return Summary(counts=counts, score=score, failed_enforced=failed_enforced)
