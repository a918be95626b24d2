"""Evidence files given to one audit (SARIF, test and coverage reports): added to a policy.

The files go into the ``external`` parameter of the check that reads them. A policy
with no control on that check gets a default one, so the files count; one that has
such a control keeps its own judgement. The policy hash changes with the files'
paths, since the audit judged more than the policy file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from assay.model import Severity
from assay.policy import LoadedPolicy
from assay.policy.model import (
    Control,
    Enforcement,
    MeasureBound,
    MeasureCondition,
    NoFindings,
    NoFindingsCondition,
)

TESTS_CHECK = "tests.junit"
COVERAGE_CHECK = "coverage.report"
TESTS_CONTROL = Control(
    id="TEST-1",
    title="Tests pass in CI",
    objective="Every test in the reports given to the audit passed, on this commit's code.",
    severity=Severity.HIGH,
    checks=[TESTS_CHECK],
    condition=NoFindingsCondition(no_findings=NoFindings(min_severity=Severity.MEDIUM)),
    pass_reason="every test in the reports passed, and the reports are current",  # noqa: S106
)
COVERAGE_CONTROL = Control(
    id="COV-1",
    title="Code covered by tests",
    objective="At least 60% of the instrumented lines run under the tests (reports given).",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.WARN,
    checks=[COVERAGE_CHECK],
    condition=MeasureCondition(measure=MeasureBound(name="coverage.lines", min=60)),
    pass_reason="line coverage of 60% or more",  # noqa: S106
)
_JUNIT_ROOT = re.compile(rb"<\s*testsuites?[\s>/]")
_SNIFF_BYTES = 64 * 1024


def with_external_files(
    loaded: LoadedPolicy, check: str, files: Sequence[Path], default: Control, what: str
) -> LoadedPolicy:
    """``loaded`` with ``files`` in ``check``'s ``external`` parameter (and ``default``)."""
    checks = {name: dict(params) for name, params in loaded.policy.checks.items()}
    params = checks.setdefault(check, {})
    params["external"] = [*params.get("external", []), *(str(f.absolute()) for f in files)]
    controls = list(loaded.policy.controls)
    from assay.policy.resolve import candidates

    if not any(check in c.control.checks for c in candidates(loaded)):
        controls.append(default)
    policy = loaded.policy.model_copy(update={"checks": checks, "controls": controls})
    names = ", ".join(f.name for f in files)
    return loaded.with_policy(policy, f"{loaded.source} with {what} {names}")


def report_kind(path: Path) -> Literal["tests", "coverage"]:
    """A JUnit report (its root is ``<testsuites>`` or ``<testsuite>``), else coverage.

    Read as the check will read it: never through a symlink, never blocking on a pipe;
    a file that cannot be read so is a ReportError naming it.
    """
    from assay.checks.ci_reports import read_host_head

    head = read_host_head(str(path), _SNIFF_BYTES)
    return "tests" if _JUNIT_ROOT.search(head) else "coverage"


def with_report_files(loaded: LoadedPolicy, files: Sequence[Path]) -> LoadedPolicy:
    """``loaded`` judging the test and coverage reports ``files`` (sorted by their content)."""
    tests = [f for f in files if report_kind(f) == "tests"]
    coverage = [f for f in files if f not in tests]
    if tests:
        loaded = with_external_files(loaded, TESTS_CHECK, tests, TESTS_CONTROL, "test reports")
    if coverage:
        loaded = with_external_files(
            loaded, COVERAGE_CHECK, coverage, COVERAGE_CONTROL, "coverage reports"
        )
    return loaded


def with_coverage_base(loaded: LoadedPolicy, base: str) -> LoadedPolicy:
    """``loaded`` measuring the coverage of the lines changed since ``base`` too."""
    checks = {name: dict(params) for name, params in loaded.policy.checks.items()}
    checks.setdefault(COVERAGE_CHECK, {})["base"] = base
    policy = loaded.policy.model_copy(update={"checks": checks})
    return loaded.with_policy(policy, f"{loaded.source} with coverage of changes since {base}")
