"""Reports of ``assay secrets history``: where in the history each credential lies."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.checks.secrets.history import HistoryScan
from assay.model import displayable
from assay.report.inert import inert
from assay.report.json import dumps

HISTORY_SCHEMA_VERSION = "1"


def print_history(scan: HistoryScan, console: Console) -> None:
    table = Table(title="Credentials in the history")
    for name in ("Rule", "Severity", "First commit", "Places", "Finding"):
        table.add_column(name, no_wrap=name in ("Rule", "Severity", "First commit"))
    for item in scan.findings:
        commit, _ = item.places[0]
        table.add_row(
            item.finding.rule,
            item.finding.severity.value,
            commit[:12],
            str(len(item.places)),
            Text(inert(item.finding.message)),
        )
    console.print(table)
    console.print(
        f"{len(scan.findings)} findings in {scan.blobs_scanned} blobs scanned "
        f"({scan.blobs_seen} in the history, {scan.skipped} skipped: binary, not UTF-8 or "
        "over the size limit)",
        highlight=False,
    )


def history_json(root: Path, scan: HistoryScan) -> str:
    return dumps(
        {
            "schema_version": HISTORY_SCHEMA_VERSION,
            "repository": str(root),
            "blobs_seen": scan.blobs_seen,
            "blobs_scanned": scan.blobs_scanned,
            "skipped": scan.skipped,
            "findings": [
                {
                    **item.finding.model_dump(mode="json"),
                    "blob": item.blob_id,
                    "places": [
                        {"commit": commit, "path": displayable(path)}
                        for commit, path in item.places
                    ],
                }
                for item in scan.findings
            ],
        }
    )
