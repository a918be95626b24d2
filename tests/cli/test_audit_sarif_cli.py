"""``assay audit PATH --sarif FILE``: results of the product's own analyzers judged too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assay.model import Audit, VerdictStatus

README = "# Product\n\n" + "".join(f"Line {i} of a useful README.\n" for i in range(12))
POLICY = """\
assay-policy: 1
id: readme-only
title: README only
controls:
  - id: R-1
    title: README present
    checks: [hygiene.readme]
"""


def sarif(*results: dict[str, Any]) -> str:
    return json.dumps({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "CodeQL", "version": "2.19.0", "rules": [
                {"id": "py/sql-injection", "properties": {"tags": ["external/cwe/cwe-089"],
                                                          "security-severity": "8.8"}},
            ]}},
            "results": list(results),
        }],
    })  # fmt: skip


SQL = {
    "ruleId": "py/sql-injection",
    "level": "error",
    "message": {"text": "This query depends on a user-provided value."},
    "locations": [{"physicalLocation": {
        "artifactLocation": {"uri": "app/db.py"}, "region": {"startLine": 12}}}],
}  # fmt: skip


def test_sarif_results_fail_the_added_control(make_repo: Any, assay: Any, tmp_path: Path) -> None:
    repo = make_repo("shop", {"README.md": README, "app/db.py": "q = 1\n"})
    (tmp_path / "policy.yaml").write_text(POLICY)
    report = tmp_path / "codeql.sarif"
    report.write_text(sarif(SQL))
    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml",
                 "--sarif", report, "--format", "json")  # fmt: skip
    assert done.returncode == 1, done.stderr
    audit = Audit.model_validate_json(done.stdout)
    assert [(v.control_id, v.status) for v in audit.verdicts] == [
        ("R-1", VerdictStatus.PASS), ("SARIF-1", VerdictStatus.FAIL),
    ]  # fmt: skip
    assert audit.verdicts[1].reason == "This query depends on a user-provided value."
    [found] = audit.findings
    assert (found.rule, found.severity, found.path, found.start_line, found.cwe) == (
        "codeql.py/sql-injection",
        "high",
        "app/db.py",
        12,
        [89],
    )


def test_without_results_the_control_passes_and_portfolio_refuses_sarif(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": README})
    (tmp_path / "policy.yaml").write_text(POLICY)
    report = tmp_path / "clean.sarif"
    report.write_text(sarif())
    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--sarif", report)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no finding of low severity or more in the SARIF files" in done.stdout
    refused = assay("audit", "--portfolio", tmp_path / "assay.yaml", "--sarif", report)
    assert refused.returncode == 2
    assert (
        "PATH, --commit, --sarif, --report, --base and --attestations do not combine with "
        "--portfolio (assay.yaml declares a product's reports and the attestations folder)"
    ) in refused.stderr
