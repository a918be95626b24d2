"""Helpers shared by the check tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from assay.checks.api import CheckOutput, ProductCheck, finding
from assay.model import Finding, Measure
from assay.snapshot import open_snapshot


def as_data(output: CheckOutput) -> dict[str, Any]:
    """A check's whole output as plain data, for comparing with ``==``."""
    return {
        "findings": [f.model_dump() for f in output.findings],
        "measures": [m.model_dump() for m in output.measures],
        "not_applicable": output.not_applicable,
        "tool_versions": dict(output.tool_versions),
    }


def run_product_check(
    check: ProductCheck, repo: Any, params: BaseModel | None = None
) -> dict[str, Any]:
    """The whole output of ``check`` on the repository's HEAD (default parameters)."""
    snapshot = open_snapshot(repo.path)
    try:
        output = check.run(snapshot, params if params is not None else check.Params())
    finally:
        snapshot.close()
    return as_data(output)


def expect(
    findings: list[Finding] | None = None,
    measures: list[Measure] | None = None,
    not_applicable: str | None = None,
) -> dict[str, Any]:
    """A product check's whole expected output, as ``run_product_check`` returns it."""
    return as_data(
        CheckOutput(findings=findings or [], measures=measures or [],
                    not_applicable=not_applicable)
    )  # fmt: skip


def finding_with_cwe(cwe_by_check: Mapping[str, list[int]]) -> Callable[..., Finding]:
    """``finding()`` for checks whose findings carry their check's CWE ids.

    Findings about a file the check could not read stand for no weakness and carry none.
    """

    def make(check: str, rule: str, message: str, **details: Any) -> Finding:
        unreadable = rule.endswith((".unparsable", ".unreadable"))
        cwe = [] if unreadable else cwe_by_check[check]
        return finding(check, rule, message, cwe=cwe, **details)

    return make
