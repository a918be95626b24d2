"""``assay vulndb import`` then ``assay audit``: the real command line, a real database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assay.model import Audit

POLICY = """\
assay-policy: 1
id: vulns-only
title: Vulnerabilities only
controls:
  - id: V-1
    title: No known vulnerability
    severity: high
    checks: [vulns.osv]
"""
ADVISORY = {
    "schema_version": "1.6.0",
    "id": "GHSA-j8r2-6x86-q33q",
    "modified": "2024-05-01T12:00:00Z",
    "published": "2023-05-22T20:36:32Z",
    "aliases": ["CVE-2023-32681", "PYSEC-2023-74"],
    "summary": "Proxy credentials sent to the destination server on redirects",
    "affected": [{
        "package": {"ecosystem": "PyPI", "name": "requests"},
        "ranges": [{"type": "ECOSYSTEM",
                    "events": [{"introduced": "2.3.0"}, {"fixed": "2.31.0"}]}],
    }],
    "severity": [{"type": "CVSS_V3",
                  "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"}],
    "database_specific": {"cwe_ids": ["CWE-200"]},
}  # fmt: skip


def test_an_imported_advisory_fails_the_audit_of_an_affected_lock(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"requirements.txt": "requests==2.25.0\nidna==3.7\n"})
    (tmp_path / "policy.yaml").write_text(POLICY)
    (tmp_path / "advisory.json").write_text(json.dumps(ADVISORY))

    before = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--format", "json")
    assert before.returncode == 1
    [missing] = Audit.model_validate_json(before.stdout).verdicts
    assert missing.status == "error"
    assert "assay vulndb" in missing.reason

    imported = assay("vulndb", "import", tmp_path / "advisory.json")
    assert imported.returncode == 0, imported.stderr
    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--format", "json")
    assert done.returncode == 1, done.stderr
    audit = Audit.model_validate_json(done.stdout)
    [verdict] = audit.verdicts
    [found] = audit.findings
    assert (verdict.status, found.rule, found.path, found.start_line, found.cwe) == (
        "fail",
        "CVE-2023-32681",
        "requirements.txt",
        1,
        [200],
    )
    assert found.severity == "medium"  # CVSS 3.1 base score 6.1
    assert found.properties["upgrade_to"] == "2.31.0"
    assert found.message.startswith("requests 2.25.0 is affected by CVE-2023-32681")

    fixed = make_repo("fixed", {"requirements.txt": "requests==2.31.0\n"})
    clean = assay("audit", fixed.path, "--policy", tmp_path / "policy.yaml", "--format", "json")
    assert clean.returncode == 0, clean.stdout
