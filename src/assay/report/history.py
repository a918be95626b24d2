"""Listing of stored audits."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from assay.report.inert import inert
from assay.report.json import dumps
from assay.store import AuditRow


def history_table(rows: Sequence[AuditRow]) -> Table:
    table = Table(title="Stored audits")
    for name in ("Audit", "Product", "Time (UTC)", "Commit", "Policy", "Score", "Counts"):
        table.add_column(name, no_wrap=name != "Counts")
    for row in rows:
        counts = ", ".join(f"{n} {status}" for status, n in row.counts.items() if n)
        table.add_row(
            row.id[:12],
            Text(inert(row.product)),
            f"{row.started_at:%Y-%m-%d %H:%M:%S}",
            (row.commit or "")[:12],
            row.policy_hash[:12],
            f"{row.score:g}",
            counts,
        )
    return table


def history_json(rows: Sequence[AuditRow]) -> str:
    return dumps(
        [
            {
                "id": row.id,
                "product": row.product,
                "started_at": row.started_at.isoformat(),
                "commit": row.commit,
                "policy_hash": row.policy_hash,
                "score": row.score,
                "counts": dict(row.counts),
                "failed_enforced": row.failed_enforced,
                "duration_s": row.duration_s,
            }
            for row in rows
        ]
    )
