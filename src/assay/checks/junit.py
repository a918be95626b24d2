"""``tests.junit``: the results of the product's tests, from the JUnit XML its CI wrote.

Assay never runs the tests: it reads the reports (:mod:`assay.reports.junit`, every
common variant) gathered by :mod:`.ci_reports`. Each failing or erroring test is a
finding, named by its class and name, so it is the same nonconformity in the next
audit; a test that failed and passed on a rerun is reported as flaky. A report written
before the audited commit (its own timestamp) or older than ``max_age_days`` is
flagged: it is evidence about other code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import BaseModel

from assay.checks.api import CheckOutput, finding
from assay.checks.ci_reports import ReportParams, inputs_or_reason, stale_findings
from assay.model import Finding, Measure, Severity, TestOutcome
from assay.reports import RepositoryIndex, TestCase, TestReport, TestStatus, parse_junit
from assay.snapshot.base import Snapshot

CHECK_ID = "tests.junit"
_MESSAGE_LIMIT = 300


class JunitParams(ReportParams):
    """Reports to read: ``files`` (globs in the commit), ``external`` (host files)."""


class JunitCheck:
    kind: ClassVar[Literal["product"]] = "product"
    # Host files change without a commit: never cached.
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Test results from the JUnit XML reports the product's CI wrote: failures, flaky tests."
    )
    Params: ClassVar[type[BaseModel]] = JunitParams

    def run(self, snapshot: Snapshot, params: JunitParams) -> CheckOutput:
        inputs = inputs_or_reason(snapshot, params, "test")
        if isinstance(inputs, str):
            return CheckOutput(not_applicable=inputs)
        reports = [parse_junit(item.data, item.source, max_bytes=params.max_size)
                   for item in inputs]  # fmt: skip
        if not any(report.cases for report in reports):
            names = ", ".join(report.source for report in reports)
            return CheckOutput(not_applicable=f"the test reports hold no test case ({names})")
        index = RepositoryIndex(entry.path for entry in snapshot.entries)
        findings = [f for report in reports for f in _case_findings(report, index)]
        stale = stale_findings(CHECK_ID, "tests.stale-report",
                               [(r.source, r.timestamp) for r in reports], snapshot,
                               params.max_age_days)  # fmt: skip
        findings += stale
        # A stale report tells about other code: its outcomes say nothing of flakiness here.
        stale_reports = {f.properties["report"] for f in stale}
        current = [r for r in reports if r.source not in stale_reports]
        outcomes, mixed = _outcomes(current)
        findings += [_mixed(test, seen) for test, seen in sorted(mixed.items())]
        return CheckOutput(findings=findings, measures=_measures(reports), test_outcomes=outcomes)


def _test_id(case: TestCase) -> str:
    return f"{case.classname}::{case.name}" if case.classname else case.name


def _case_findings(report: TestReport, index: RepositoryIndex) -> list[Finding]:
    findings = []
    for case in report.cases:
        if case.status in (TestStatus.FAILED, TestStatus.ERROR):
            word = "failed" if case.status is TestStatus.FAILED else "errored"
            rule = "tests.failed" if case.status is TestStatus.FAILED else "tests.error"
            severity = Severity.HIGH
        elif case.flaky:
            word, rule, severity = "passed only on a rerun (flaky)", "tests.flaky", Severity.LOW
        else:
            continue
        message = f"test {_test_id(case)} {word} in {report.source}"
        if case.message:
            message += f": {case.message[:_MESSAGE_LIMIT]}"
        path = index.resolve(case.file) if case.file else None
        findings.append(
            finding(CHECK_ID, rule, message, severity=severity, path=path, key=_test_id(case),
                    properties={"report": report.source})
        )  # fmt: skip
    return findings


def _outcomes(
    reports: Sequence[TestReport],
) -> tuple[dict[str, TestOutcome], dict[str, set[TestOutcome]]]:
    """Each test's outcome, and the tests that both passed and failed across the reports.

    The same test in two reports of one commit (a job run twice, a retry step) that
    passed in one and failed in the other is flaky; it keeps its worse outcome.
    """
    seen: dict[str, set[TestOutcome]] = {}
    for report in reports:
        for case in report.cases:
            seen.setdefault(_test_id(case), set()).add(TestOutcome(case.status.value))
    outcomes = {test: max(found, key=lambda o: o.badness) for test, found in seen.items()}
    mixed = {test: found for test, found in seen.items()
             if TestOutcome.PASSED in found and any(o.failing for o in found)}  # fmt: skip
    return outcomes, mixed


def _mixed(test: str, seen: set[TestOutcome]) -> Finding:
    outcomes = " and ".join(sorted(o.value for o in seen))
    message = f"test {test} is flaky: it {outcomes} in the reports of this one commit"
    return finding(CHECK_ID, "tests.flaky", message, severity=Severity.LOW, key=test)


def _measures(reports: Sequence[TestReport]) -> list[Measure]:
    def total(attribute: str) -> int:
        return sum(int(getattr(report, attribute)) for report in reports)

    durations = [r.duration_s for r in reports if r.duration_s is not None]

    def measure(name: str, value: float, unit: str) -> Measure:
        return Measure(check_id=CHECK_ID, name=name, value=value, unit=unit)

    tests = total("tests")
    failing = total("failed") + total("errored")
    return [
        measure("tests.total", tests, "tests"),
        measure("tests.passed", total("passed"), "tests"),
        measure("tests.failed", total("failed"), "tests"),
        measure("tests.errored", total("errored"), "tests"),
        measure("tests.skipped", total("skipped"), "tests"),
        measure("tests.flaky", sum(1 for r in reports for c in r.cases if c.flaky), "tests"),
        measure("tests.failing_share", round(100 * failing / tests, 2) if tests else 0, "%"),
        measure("tests.duration", round(sum(durations), 3), "s"),
        measure("tests.reports", len(reports), "reports"),
    ]
