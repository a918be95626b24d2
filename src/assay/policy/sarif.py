"""``assay audit --sarif FILE``: a policy that also judges the SARIF files given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assay.model import Severity
from assay.policy import LoadedPolicy, policy_hash
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
    count; one that has such a control keeps its own judgement. The policy hash
    changes with the files' paths, since the audit judged more than the policy file.
    """
    checks = {name: dict(params) for name, params in loaded.policy.checks.items()}
    params = checks.setdefault(SARIF_CHECK, {})
    params["external"] = [*params.get("external", []), *(str(f.resolve()) for f in files)]
    controls = list(loaded.policy.controls)
    if not any(SARIF_CHECK in control.checks for control in controls):
        controls.append(SARIF_CONTROL)
    policy = loaded.policy.model_copy(update={"checks": checks, "controls": controls})
    names = ", ".join(f.name for f in files)
    return LoadedPolicy(
        policy=policy,
        source=f"{loaded.source} with SARIF {names}",
        hash=policy_hash(policy),
        document=loaded.document,
    )
