"""Portfolio report: one row per product, failures with their reasons."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.model import Audit, VerdictStatus
from assay.portfolio import Outcome, ProductFailure
from assay.report.inert import inert
from assay.report.json import audit_document, dumps

PORTFOLIO_SCHEMA_VERSION = "1"


def portfolio_table(outcomes: Sequence[Outcome]) -> Table:
    table = Table(title="Portfolio audit")
    for name in ("Product", "Commit", "Score", "Pass", "Fail", "Warn", "N/A", "Error", "Result"):
        table.add_column(name, no_wrap=name != "Result")
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
            (outcome.source.commit or "")[:12],
            f"{outcome.summary.score:g}",
            *(str(counts.get(s, 0)) for s in (
                VerdictStatus.PASS, VerdictStatus.FAIL, VerdictStatus.WARN,
                VerdictStatus.NOT_APPLICABLE, VerdictStatus.ERROR,
            )),
            Text(f"{failing} failing" if failing else "conforming",
                 style="bold red" if failing else "green"),
        )  # fmt: skip
    return table


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
