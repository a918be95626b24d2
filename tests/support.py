"""Helpers shared by the check tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from assay.checks.api import CheckOutput, ProductCheck
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
