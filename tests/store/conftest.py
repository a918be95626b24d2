"""Fixtures of the store tests: complete audits, and stores on SQLite and PostgreSQL.

PostgreSQL tests need a server: ``export ASSAY_TEST_PG_URL="$(.ci/postgres.sh | tail -n 1)"``.
Without it they are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from assay.model import (
    Audit,
    CheckRun,
    CheckStatus,
    FileStats,
    Finding,
    Measure,
    PolicyInfo,
    ProductInfo,
    Severity,
    SkippedFile,
    SkipReason,
    SourceInfo,
    Summary,
    Verdict,
    VerdictStatus,
)
from assay.store import Store, open_store

MakeAudit = Callable[..., Audit]


def make_audit(
    *,
    audit_id: str = "3f2a9c0d5e6b7a8190c1d2e3f4a5b6c7",
    product: str = "billing",
    team: str | None = "payments",
    started_at: datetime = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
    commit: str | None = "9fceb02d0ae598e95dc970b74767f19372d61af8",
    policy_hash: str = "sha256:5d41402abc4b2a76b9719d911017c592",
    score: float = 62.5,
) -> Audit:
    """An audit with every field of the model filled, and one verdict of each status."""
    fingerprint = f"{audit_id[:8]}:secrets.aws-access-key:config/prod.env:3"
    return Audit(
        id=audit_id,
        product=ProductInfo(
            name=product,
            path=f"/srv/git/{product}",
            team=team,
            tier=1,
            tags=["pci", "customer-facing"],
            data_classification="confidential",
        ),
        source=SourceInfo(
            kind="git",
            commit=commit,
            tree="4b825dc642cb6eb9a060e54bf8d69288fbee4904",
            ref="refs/heads/main",
        ),
        policy=PolicyInfo(id="acme-2025", title="ACME quality standard 2025", hash=policy_hash),
        assay_version="0.1.0",
        started_at=started_at,
        duration_s=4.25,
        checks=[
            CheckRun(
                check_id="secrets.aws-access-key",
                version="1",
                params_hash="e3b0c442",
                status=CheckStatus.OK,
                duration_s=0.5,
                tool_versions={"re2": "1.1"},
            ),
            CheckRun(
                check_id="python.bandit",
                version="2",
                params_hash="a1b2c3d4",
                status=CheckStatus.ERROR,
                error="bandit not installed",
                duration_s=0.01,
            ),
        ],
        verdicts=[
            _verdict("A.5.1", VerdictStatus.PASS, "SECURITY.md is present"),
            _verdict(
                "A.8.4",
                VerdictStatus.FAIL,
                "1 secret in the repository",
                severity=Severity.CRITICAL,
                fingerprints=[fingerprint],
            ),
            _verdict("A.8.28", VerdictStatus.WARN, "complexity above 15", enforced=False),
            _verdict("A.8.12", VerdictStatus.NOT_APPLICABLE, "no personal data"),
            _verdict("A.5.36", VerdictStatus.MANUAL, "attestation expected by 2025-06-30"),
            _verdict("A.8.8", VerdictStatus.ERROR, "bandit not installed"),
        ],
        findings=[
            Finding(
                check_id="secrets.aws-access-key",
                rule="aws-access-key-id",
                message="AWS access key “AKIA…” committed — rotate it",
                severity=Severity.CRITICAL,
                path="config/prod.env",
                start_line=3,
                end_line=3,
                fingerprint=fingerprint,
            ),
            Finding(
                check_id="hygiene.codeowners",
                rule="missing",
                message="no CODEOWNERS file",
                severity=Severity.LOW,
                fingerprint=f"{audit_id[:8]}:hygiene.codeowners",
            ),
        ],
        measures=[
            Measure(
                check_id="inventory.languages",
                name="lines",
                value=1234.0,
                unit="lines",
                labels={"language": "Python"},
            ),
            Measure(check_id="activity.git", name="commits_90d", value=42.5, unit="commits"),
        ],
        files=FileStats(
            total=120,
            read=80,
            from_cache=30,
            bytes_read=524288,
            skipped={SkipReason.BINARY: 3, SkipReason.TOO_LARGE: 1},
        ),
        skipped=[
            SkippedFile(path="assets/logo.png", reason=SkipReason.BINARY, size=20480),
            SkippedFile(path="data/dump.sql", reason=SkipReason.TOO_LARGE, size=50_000_000),
        ],
        summary=Summary(
            counts={status: 1 for status in VerdictStatus}, score=score, failed_enforced=1
        ),
    )


def _verdict(
    control_id: str,
    status: VerdictStatus,
    reason: str,
    *,
    severity: Severity = Severity.MEDIUM,
    enforced: bool = True,
    fingerprints: list[str] | None = None,
) -> Verdict:
    return Verdict(
        control_id=control_id,
        title=f"Control {control_id}",
        severity=severity,
        enforced=enforced,
        status=status,
        reason=reason,
        evidence=["secrets.aws-access-key"] if fingerprints else [],
        finding_fingerprints=fingerprints or [],
    )


@pytest.fixture(name="make_audit")
def make_audit_fixture() -> MakeAudit:
    return make_audit


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened
