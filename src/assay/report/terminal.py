"""The terminal report: one row per control, then a summary. Built with Rich.

Every string that came from a repository goes through :func:`inert` and into a
``Text`` object, so it is never parsed as Rich markup nor as terminal escapes.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from assay.model import Audit, VerdictStatus
from assay.report.inert import inert

STATUS_STYLE = {
    VerdictStatus.PASS: "green",
    VerdictStatus.FAIL: "bold red",
    VerdictStatus.WARN: "yellow",
    VerdictStatus.NOT_APPLICABLE: "dim",
    VerdictStatus.MANUAL: "cyan",
    VerdictStatus.ERROR: "bold magenta",
}
_SUMMARY_WORDS = (
    (VerdictStatus.PASS, "passed"),
    (VerdictStatus.FAIL, "failed"),
    (VerdictStatus.WARN, "warned"),
    (VerdictStatus.NOT_APPLICABLE, "not applicable"),
    (VerdictStatus.ERROR, "errored"),
    (VerdictStatus.MANUAL, "manual"),
)


def heading(audit: Audit) -> Text:
    source = audit.source
    where = f"commit {source.commit[:12]}" if source.commit else "working directory"
    text = Text("Audit of ", style="bold")
    text.append(inert(audit.product.name), style="bold cyan")
    text.append(f" at {where} · policy {inert(audit.policy.id)} ({audit.policy.hash[:12]})")
    return text


def verdict_table(audit: Audit) -> Table:
    table = Table(show_lines=False, expand=False)
    table.add_column("Control", no_wrap=True)
    table.add_column("Title")
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Reason")
    for verdict in audit.verdicts:
        table.add_row(
            Text(inert(verdict.control_id)),
            Text(inert(verdict.title)),
            Text(verdict.status.value, style=STATUS_STYLE[verdict.status]),
            Text(inert(verdict.reason)),
        )
    return table


def summary_lines(audit: Audit) -> Text:
    counts = audit.summary.counts
    parts = [f"{counts.get(status, 0)} {word}" for status, word in _SUMMARY_WORDS]
    text = Text("Controls: ", style="bold")
    text.append(" · ".join(parts))
    text.append(f"\nScore: {audit.summary.score:g}/100", style="bold")
    if audit.ratings:
        text.append("\nISO/IEC 25010: ")
        text.append(ratings_line(audit))
    files = audit.files
    skipped = sum(files.skipped.values())
    reasons = ", ".join(f"{n} {reason.value}" for reason, n in sorted(files.skipped.items()))
    text.append(
        f"\nFiles: {files.total} in the index, {files.read} read ({files.bytes_read:,} bytes), "
        f"{files.from_cache} from cache, {skipped} skipped" + (f" ({reasons})" if reasons else "")
    )
    text.append(f"\nTime: {audit.duration_s:.2f} s · audit {audit.id}")
    return text


def ratings_line(audit: Audit) -> str:
    """Assessed characteristics with their grade, then the ones not assessed."""
    top = [r for r in audit.ratings if r.subcharacteristic is None]
    graded = [f"{r.characteristic} {r.grade}" for r in top if r.grade is not None]
    unassessed = [r.characteristic for r in top if r.grade is None]
    parts = graded + ([f"not assessed: {', '.join(unassessed)}"] if unassessed else [])
    return " · ".join(parts)


def render_terminal(audit: Audit) -> Group:
    return Group(heading(audit), verdict_table(audit), summary_lines(audit))


def print_audit(audit: Audit, console: Console) -> None:
    console.print(render_terminal(audit))
