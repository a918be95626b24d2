"""``assay history`` and ``assay show``: stored audits."""

from __future__ import annotations

import typer

from assay.report import OutputFormat

_DB_HELP = "Store: SQLAlchemy URL or SQLite file. Default: see docs/store.md."


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("show")(show)


def history(
    product: str | None = typer.Argument(None, help="Only this product's audits."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="Newest N audits."),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
    db: str | None = typer.Option(None, "--db", envvar="ASSAY_DB", help=_DB_HELP),
) -> None:
    """List stored audits, newest first: time, commit, policy hash, score, counts."""
    from rich.console import Console

    from assay.report.history import history_json, history_table
    from assay.store import open_store

    store = open_store(db)
    try:
        rows = store.history(product, limit=limit)
    finally:
        store.close()
    console = Console()
    if output is OutputFormat.JSON:
        console.file.write(history_json(rows))
    else:
        console.print(history_table(rows))


def show(
    audit_id: str = typer.Argument(
        ..., help="Audit id, or a unique prefix of at least 6 characters."
    ),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
    db: str | None = typer.Option(None, "--db", envvar="ASSAY_DB", help=_DB_HELP),
) -> None:
    """Print a stored audit again, in any output format."""
    from rich.console import Console

    from assay.cli.audit import _print_audit
    from assay.store import open_store

    store = open_store(db)
    try:
        stored = store.load(audit_id)
    finally:
        store.close()
    _print_audit(stored, output, Console())
