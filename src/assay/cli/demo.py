"""``assay demo``: build a sample portfolio and audit it into the store."""

from __future__ import annotations

from pathlib import Path

import typer

from assay.report import OutputFormat


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    directory: Path = typer.Option(
        Path(".demo"), "--dir", help="Where to build the sample portfolio (replaced if present)."
    ),
    db: str | None = typer.Option(
        None, "--db", envvar="ASSAY_DB", help="Store: SQLAlchemy URL or SQLite file."
    ),
) -> None:
    """Build a sample portfolio of git repositories and audit it (exit 0 when the demo ran)."""
    import os

    from assay.cli.audit import _audit_portfolio
    from assay.demo import build_demo_portfolio, build_demo_vulndb

    portfolio = build_demo_portfolio(directory)
    typer.echo(f"sample portfolio written to {portfolio}", err=True)
    # The demo's own one-advisory database, for this run only (the workers inherit it).
    os.environ["ASSAY_VULNDB"] = str(build_demo_vulndb(directory))
    _audit_portfolio(portfolio, None, OutputFormat.TABLE, db, None, False)
    typer.echo(
        f"next: `assay history` lists the stored audits; "
        f"`ASSAY_VULNDB={directory / 'vulndb.sqlite3'} assay audit {directory / 'billing'}` "
        "shows one product control by control, with the demo's vulnerability database",
        err=True,
    )
