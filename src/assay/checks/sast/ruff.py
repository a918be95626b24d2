"""``sast.ruff``: ruff's security rules (``S``, its port of bandit) over the Python files.

Ruff runs as ``ruff check --isolated --select S --output-format json --no-cache
--exit-zero --no-respect-gitignore --exclude '' .`` in a temporary folder holding the
product's ``*.py`` and ``*.pyi`` files (the ones ruff reads by itself), written from the
snapshot. ``--isolated`` ignores every configuration file, the product's included, so
the product cannot switch rules off; ``--exclude ''`` clears ruff's default excluded
folders (``build``, ``venv``...) so that every file written is analysed. Rules that
ruff still marks as preview (the ``S4xx`` import rules) are not run.

Ruff gives neither a severity nor a CWE: both come from the equivalent bandit test
(:mod:`._ruff_rules`). A file ruff cannot parse is reported as ``invalid-syntax``
diagnostics, which become one ``sast.ruff.unparsable`` finding for the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from assay.checks.sast._adapter import PythonToolCheck, SastParams, ToolReport
from assay.checks.sast._issues import Issue
from assay.checks.sast._materialize import Materialized
from assay.checks.sast._ruff_rules import RUFF_RULES, UNKNOWN_RULE_SEVERITY
from assay.checks.sast._tools import run_json
from assay.sarif.shape import Node, ShapeError

_SYNTAX_ERROR = "invalid-syntax"

RUFF_ARGS = (
    "check", "--isolated", "--select", "S", "--output-format", "json", "--no-cache",
    "--exit-zero", "--no-respect-gitignore", "--exclude", "",
)  # fmt: skip


class RuffCheck(PythonToolCheck):
    id: ClassVar[str] = "sast.ruff"
    tool: ClassVar[str] = "ruff"
    suffixes: ClassVar[tuple[str, ...]] = (".py", ".pyi")
    description: ClassVar[str] = (
        "Security issues ruff's bandit rules (S) find in the Python code, with the CWE of "
        "the equivalent bandit test."
    )

    def analyse(self, executable: Path, tree: Materialized, params: SastParams) -> ToolReport:
        args = [str(executable), *RUFF_ARGS]
        if not params.honour_inline_suppressions:
            args.append("--ignore-noqa")
        document = run_json(
            [*args, "."], name=self.tool, cwd=tree.root, timeout_s=params.timeout_s,
            ok_codes=(0,),
        )  # fmt: skip
        try:
            return self._report(Node(document), tree)
        except ShapeError as error:
            raise self.unexpected(error) from None

    def _report(self, document: Node, tree: Materialized) -> ToolReport:
        issues: list[Issue] = []
        unparsable: dict[str, str] = {}
        for diagnostic in document.items():
            path = self.repo_path(tree, diagnostic.require("filename").text())
            code = diagnostic.text_at("code")
            message = diagnostic.require("message").text()
            if code is None or code == _SYNTAX_ERROR:
                # The first syntax error names the problem; the rest are its echoes.
                unparsable.setdefault(path, f"syntax error: {message}")
            else:
                issues.append(self._issue(diagnostic, path, code, message))
        # Ruff does not say how many diagnostics its noqa comments silenced.
        return ToolReport(issues=issues, unparsable=unparsable, suppressed=None)

    def _issue(self, diagnostic: Node, path: str, code: str, message: str) -> Issue:
        start = diagnostic.require("location").require("row").integer()
        end_location = diagnostic.get("end_location")
        end = end_location.require("row").integer() if end_location is not None else start
        rule = RUFF_RULES.get(code)
        return Issue(
            rule=f"{self.id}.{code}",
            message=f"{path}:{start}: {message}",
            severity=rule.severity if rule is not None else UNKNOWN_RULE_SEVERITY,
            path=path,
            start_line=start,
            end_line=max(end, start),
            cwe=(rule.cwe,) if rule is not None else (),
            properties={"bandit_test": rule.bandit_test} if rule is not None else {},
        )
