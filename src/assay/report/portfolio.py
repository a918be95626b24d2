"""Portfolio report: one row per product, failures with their reasons."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.model import Audit, VerdictStatus
from assay.portfolio import Outcome, ProductFailure
from assay.report.inert import inert
from assay.report.json import audit_document, dumps

PORTFOLIO_SCHEMA_VERSION = "1"


def portfolio_table(outcomes: Sequence[Outcome]) -> Table:
    # No vertical rules: nine columns then fit an 80-column terminal.
    table = Table(title="Portfolio audit", box=box.SIMPLE_HEAVY)
    longest = max((len(_name(o)) for o in outcomes), default=7)
    table.add_column("Product", min_width=min(longest, 24), overflow="fold")
    for name in ("Commit", "Score", "Pass", "Fail", "Warn", "N/A", "Error"):
        table.add_column(name, no_wrap=True)
    table.add_column("Result", no_wrap=True, min_width=11)
    for outcome in outcomes:
        if isinstance(outcome, ProductFailure):
            table.add_row(
                Text(inert(outcome.product)), "", "", "", "", "", "", "",
                Text("not audited", style="bold magenta"),
            )  # fmt: skip
            continue
        counts = outcome.summary.counts
        failing = outcome.summary.failed_enforced
        table.add_row(
            Text(inert(outcome.product.name)),
            (outcome.source.commit or "")[:8],
            f"{outcome.summary.score:g}",
            *(str(counts.get(s, 0)) for s in (
                VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.WARN,
                VerdictStatus.NOT_APPLICABLE, VerdictStatus.ERROR,
            )),
            Text(f"{failing} failing" if failing else "conforming",
                 style="bold red" if failing else "green"),
        )  # fmt: skip
    return table


def _name(outcome: Outcome) -> str:
    return outcome.product if isinstance(outcome, ProductFailure) else outcome.product.name


def print_portfolio(outcomes: Sequence[Outcome], console: Console) -> None:
    console.print(portfolio_table(outcomes))
    failures = sum(1 for o in outcomes if isinstance(o, ProductFailure))
    audited = len(outcomes) - failures
    for outcome in outcomes:
        if isinstance(outcome, ProductFailure):
            line = Text(f"{inert(outcome.product)}: ", style="bold magenta")
            line.append(inert(outcome.reason), style="")
            console.print(line)
    console.print(f"{audited} audited, {failures} could not be audited", highlight=False)


def render_portfolio_json(outcomes: Sequence[Outcome]) -> str:
    return dumps(
        {
            "schema_version": PORTFOLIO_SCHEMA_VERSION,
            "audits": [audit_document(o) for o in outcomes if isinstance(o, Audit)],
            "failures": [
                {"product": o.product, "reason": o.reason}
                for o in outcomes
                if isinstance(o, ProductFailure)
            ],
        }
    )
