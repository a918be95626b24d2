"""Rows of the store tables from an audit, and the audit summary read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping

from assay.model import Audit, VerdictStatus

Row = dict[str, Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class AuditRow:
    """One line of the audit history: the audit without its verdicts and observations."""

    id: str
    product: str
    started_at: datetime
    commit: str | None
    policy_hash: str
    score: float
    counts: dict[VerdictStatus, int]
    failed_enforced: int
    duration_s: float


@dataclass(frozen=True, kw_only=True, slots=True)
class AuditRows:
    """Everything one audit writes, built before the transaction opens."""

    product: Row
    audit: Row
    verdicts: list[Row]
    findings: list[Row]
    measures: list[Row]


def as_utc(moment: datetime) -> datetime:
    """Times are stored in UTC; a time without an offset is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def audit_rows(audit: Audit) -> AuditRows:
    started_at = as_utc(audit.started_at)
    product = audit.product
    counts = {status.value: audit.summary.counts.get(status, 0) for status in VerdictStatus}
    return AuditRows(
        product={
            "name": product.name,
            "path": product.path,
            "team": product.team,
            "tier": product.tier,
            "tags": list(product.tags),
            "data_classification": product.data_classification,
            "updated": started_at,
        },
        audit={
            "id": audit.id,
            "product": product.name,
            "commit": audit.source.commit,
            "tree": audit.source.tree,
            "source_kind": audit.source.kind,
            "policy_id": audit.policy.id,
            "policy_hash": audit.policy.hash,
            "assay_version": audit.assay_version,
            "started_at": started_at,
            "duration_s": audit.duration_s,
            "score": audit.summary.score,
            **counts,
            "failed_enforced": audit.summary.failed_enforced,
            "document": audit.model_dump_json(),
        },
        verdicts=[
            {
                "audit_id": audit.id,
                "control_id": verdict.control_id,
                "status": verdict.status.value,
                "severity": verdict.severity.value,
                "enforced": verdict.enforced,
                "reason": verdict.reason,
            }
            for verdict in audit.verdicts
        ],
        findings=[
            {
                "audit_id": audit.id,
                "check_id": finding.check_id,
                "rule": finding.rule,
                "severity": finding.severity.value,
                "path": finding.path,
                "start_line": finding.start_line,
                "end_line": finding.end_line,
                "fingerprint": finding.fingerprint,
                "message": finding.message,
            }
            for finding in audit.findings
        ],
        measures=[
            {
                "audit_id": audit.id,
                "check_id": measure.check_id,
                "name": measure.name,
                "value": measure.value,
                "unit": measure.unit,
                "labels": dict(measure.labels),
            }
            for measure in audit.measures
        ],
    )


def audit_row(row: RowMapping) -> AuditRow:
    """An :class:`AuditRow` from a row of the ``audits`` table."""
    return AuditRow(
        id=row["id"],
        product=row["product"],
        started_at=as_utc(row["started_at"]),
        commit=row["commit"],
        policy_hash=row["policy_hash"],
        score=row["score"],
        counts={status: row[status.value] for status in VerdictStatus},
        failed_enforced=row["failed_enforced"],
        duration_s=row["duration_s"],
    )
