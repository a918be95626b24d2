"""``sast.bandit``: bandit's security tests over the product's Python files.

Bandit runs as ``bandit -f json -q -r -x '' .`` in a temporary folder holding the
product's ``*.py`` and ``*.pyw`` files (the ones bandit reads by itself), written from
the snapshot. ``-x ''`` clears bandit's default excluded folders so that every file
written is analysed; no ``.bandit`` file of the product is written, so the product
cannot reconfigure the scan. Bandit exits 0 without issues and 1 with issues; any other
code is an error.

Severity: bandit rates each issue's severity and its confidence separately. The
finding's severity is bandit's (LOW → low, MEDIUM → medium, HIGH → high, UNDEFINED →
low), one step lower when bandit's confidence is LOW (high → medium, medium → low,
low → info). Both of bandit's ratings are kept in the finding's properties.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from assay.checks.sast._adapter import PythonToolCheck, SastParams, ToolReport
from assay.checks.sast._issues import Issue
from assay.checks.sast._materialize import Materialized
from assay.checks.sast._ruff_rules import RUFF_RULES
from assay.checks.sast._tools import run_json
from assay.model import Severity
from assay.sarif.shape import Node, ShapeError

_SEVERITY = {"LOW": Severity.LOW, "MEDIUM": Severity.MEDIUM, "HIGH": Severity.HIGH}
_ONE_LOWER = {
    Severity.HIGH: Severity.MEDIUM,
    Severity.MEDIUM: Severity.LOW,
    Severity.LOW: Severity.INFO,
}
# Bandit's own CWE, by test, for an issue that arrives without one (older bandit).
_CWE_OF_TEST = {rule.bandit_test: rule.cwe for rule in RUFF_RULES.values()}


def bandit_severity(severity: str, confidence: str) -> Severity:
    """Assay's severity for bandit's (severity, confidence) pair."""
    base = _SEVERITY.get(severity.upper(), Severity.LOW)
    return _ONE_LOWER.get(base, base) if confidence.upper() == "LOW" else base


class BanditCheck(PythonToolCheck):
    id: ClassVar[str] = "sast.bandit"
    tool: ClassVar[str] = "bandit"
    suffixes: ClassVar[tuple[str, ...]] = (".py", ".pyw")
    description: ClassVar[str] = (
        "Security issues bandit finds in the Python code (injection, weak cryptography, "
        "unsafe deserialisation, hard-coded passwords...)."
    )

    def analyse(self, executable: Path, tree: Materialized, params: SastParams) -> ToolReport:
        args = [str(executable), "-f", "json", "-q", "-r", "-x", ""]
        if not params.honour_inline_suppressions:
            args.append("--ignore-nosec")
        document = run_json(
            [*args, "."], name=self.tool, cwd=tree.root, timeout_s=params.timeout_s,
            ok_codes=(0, 1),
        )  # fmt: skip
        try:
            return self._report(Node(document), tree)
        except ShapeError as error:
            raise self.unexpected(error) from None

    def _report(self, document: Node, tree: Materialized) -> ToolReport:
        issues = [self._issue(result, tree) for result in document.list_at("results")]
        unparsable = {
            self.repo_path(tree, error.require("filename").text()): error.require("reason").text()
            for error in document.list_at("errors")
        }
        # "nosec" counts bare "# nosec" comments, "skipped_tests" those naming tests.
        totals = document.require("metrics").require("_totals")
        suppressed = totals.require("nosec").integer() + totals.require("skipped_tests").integer()
        return ToolReport(issues=issues, unparsable=unparsable, suppressed=suppressed)

    def _issue(self, result: Node, tree: Materialized) -> Issue:
        path = self.repo_path(tree, result.require("filename").text())
        test = result.require("test_id").text()
        severity = result.require("issue_severity").text()
        confidence = result.require("issue_confidence").text()
        lines = [line.integer() for line in result.list_at("line_range")]
        start = min(lines) if lines else result.require("line_number").integer()
        end = max(lines) if lines else start
        text = result.require("issue_text").text()
        return Issue(
            rule=f"{self.id}.{test}",
            message=f"{path}:{start}: {text}",
            severity=bandit_severity(severity, confidence),
            path=path,
            start_line=start,
            end_line=end,
            cwe=_cwe(result, test),
            properties={"tool_severity": severity, "confidence": confidence},
        )


def _cwe(result: Node, test: str) -> tuple[int, ...]:
    reported = result.object_at("issue_cwe")
    cwe = reported.integer_at("id") if reported is not None else None
    cwe = cwe or _CWE_OF_TEST.get(test)  # bandit says 0 for "none known"
    return (cwe,) if cwe else ()
