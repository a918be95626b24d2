"""``assay audit --sarif FILE``: a policy that also judges the SARIF files given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assay.model import Severity
from assay.policy import LoadedPolicy
from assay.policy.external import with_external_files
from assay.policy.model import Control, NoFindings, NoFindingsCondition

SARIF_CHECK = "sarif.import"
SARIF_CONTROL = Control(
    id="SARIF-1",
    title="No finding from the analyzers run in CI",
    objective="What the product's own analyzers reported (SARIF files given to the audit).",
    severity=Severity.HIGH,
    checks=[SARIF_CHECK],
    condition=NoFindingsCondition(no_findings=NoFindings(min_severity=Severity.LOW)),
    pass_reason="no finding of low severity or more in the SARIF files",  # noqa: S106 (a verdict reason)
)


def with_sarif_files(loaded: LoadedPolicy, files: Sequence[Path]) -> LoadedPolicy:
    """``loaded`` with ``files`` added to the ``external`` parameter of ``sarif.import``.

    A policy with no control on ``sarif.import`` gets ``SARIF-1``, so the results
    count; one that has such a control keeps its own judgement.
    """
    return with_external_files(loaded, SARIF_CHECK, files, SARIF_CONTROL, "SARIF")
