"""``assay tests flaky``: tests whose outcome changed between audits of the same code."""

from __future__ import annotations

import json

import typer

from assay.report import OutputFormat

_DB_HELP = "Store: SQLAlchemy URL or SQLite file. Default: see docs/store.md."

tests_app = typer.Typer(help="Test results the audits read from CI reports.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(tests_app, name="tests")


@tests_app.command("flaky")
def flaky(
    product: str = typer.Argument(..., help="The product whose stored audits are compared."),
    limit: int = typer.Option(50, "--limit", "-n", min=2, help="Compare the newest N audits."),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
    db: str | None = typer.Option(None, "--db", envvar="ASSAY_DB", help=_DB_HELP),
) -> None:
    """List tests that passed in one audit and failed in another of the same tree.

    The same tree is the same code: a test whose outcome changes on it is flaky. Exit
    code 1 when there is one.
    """
    from rich.console import Console
    from rich.table import Table

    from assay.flaky import flaky_tests
    from assay.report.inert import inert
    from assay.store import open_store

    store = open_store(db)
    try:
        found = flaky_tests(store.recent(product, limit=limit))
    finally:
        store.close()
    console = Console()
    if output is OutputFormat.JSON:
        rows = [{"test": f.test, "commit": f.commit, "passed": f.passed, "failed": f.failed,
                 "last_seen": f.last_seen.isoformat(), "audits": list(f.audits)}
                for f in found]  # fmt: skip
        console.file.write(json.dumps(rows, indent=2) + "\n")
    elif not found:
        console.print(f"No flaky test in the last {limit} audits of {inert(product)}.")
    else:
        table = Table("Test", "Commit", "Passed", "Failed", "Last seen (UTC)")
        for f in found:
            table.add_row(inert(f.test), f.commit[:12], str(f.passed), str(f.failed),
                          f.last_seen.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        console.print(table)
    raise typer.Exit(1 if found else 0)
