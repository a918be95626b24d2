"""``assay vulndb``: import, update and inspect the local vulnerability database."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assay.deps.model import Ecosystem
from assay.report import OutputFormat
from assay.vulndb import OSV_EXPORTS

if TYPE_CHECKING:
    from assay.vulndb.index import ImportReport, Status

vulndb_app = typer.Typer(
    help="The local vulnerability database of OSV records (docs/vulns.md).", no_args_is_help=True
)

_DB_HELP = (
    "Database file. Default: $ASSAY_VULNDB, else vulndb.sqlite3 in $ASSAY_HOME or the user "
    "data folder."
)


def register(app: typer.Typer) -> None:
    app.add_typer(vulndb_app, name="vulndb")


@vulndb_app.command("import")
def import_records(
    paths: list[Path] = typer.Argument(
        ...,
        exists=True,
        help="OSV JSON files, folders of them, or OSV's per-ecosystem zip exports.",
    ),
    db: Path | None = typer.Option(None, "--db", envvar="ASSAY_VULNDB", help=_DB_HELP),
) -> None:
    """Load OSV records into the database, in one transaction; newer records replace older.

    Exit code 1 when some records were skipped (each is named on standard error with
    the reason), 0 otherwise; 2 when a file cannot be read at all (nothing is imported).
    """
    from assay.vulndb.index import VulnIndex
    from assay.vulndb.load import load_paths

    source = ", ".join(str(path) for path in paths)
    with VulnIndex.open_for_import(db) as index:
        report = index.import_records(load_paths(paths), source=source)
        where = index.path
    _print_report(report, where)
    raise typer.Exit(1 if report.skipped else 0)


@vulndb_app.command("update")
def update(
    ecosystems: list[Ecosystem] = typer.Option(
        [], "--ecosystem", "-e", help="Ecosystem to download (repeatable). Default: all."
    ),
    mirror: str = typer.Option(
        OSV_EXPORTS, "--mirror", help="Base URL of the exports (a company mirror)."
    ),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds to wait for the network."),
    db: Path | None = typer.Option(None, "--db", envvar="ASSAY_VULNDB", help=_DB_HELP),
) -> None:
    """Download OSV's exports (<mirror>/<ECOSYSTEM>/all.zip) and import them.

    Needs a network. Without one, download the files elsewhere and use
    `assay vulndb import`. Exit codes as for import.
    """
    from assay.vulndb.download import download_exports
    from assay.vulndb.index import VulnIndex
    from assay.vulndb.load import load_paths

    chosen = ecosystems or list(Ecosystem)
    with tempfile.TemporaryDirectory(prefix="assay-vulndb-") as folder:
        paths = download_exports(chosen, base=mirror, folder=Path(folder), timeout_s=timeout)
        with VulnIndex.open_for_import(db) as index:
            report = index.import_records(load_paths(paths), source=mirror, ecosystems=chosen)
            where = index.path
    _print_report(report, where)
    raise typer.Exit(1 if report.skipped else 0)


@vulndb_app.command("status")
def status(
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
    db: Path | None = typer.Option(None, "--db", envvar="ASSAY_VULNDB", help=_DB_HELP),
) -> None:
    """Show per ecosystem: records, the newest record's date, when it was imported, its age."""
    from datetime import UTC

    from assay.vulndb.index import VulnIndex

    with VulnIndex.open_for_reading(db) as index:
        state = index.status()
    now = datetime.now(UTC)
    if output is OutputFormat.JSON:
        typer.echo(_status_json(state, now))
    elif output is OutputFormat.TABLE:
        _print_status(state, now)
    else:  # pragma: no cover
        from typing import assert_never

        assert_never(output)


def _print_report(report: ImportReport, where: Path) -> None:
    from assay.report.inert import inert

    typer.echo(
        f"{inert(str(where))}: {report.records} records read: {report.added} added, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.kept_newer} older "
        f"than the stored version (not imported); {report.withdrawn} withdrawn (never matched)"
    )
    if report.ecosystems:
        counts = ", ".join(f"{inert(name)} {count}" for name, count in report.ecosystems.items())
        typer.echo(f"records per ecosystem: {counts}")
    if report.unsupported:
        counts = ", ".join(f"{inert(name)} {count}" for name, count in report.unsupported.items())
        typer.echo(f"affected packages in ecosystems Assay does not audit (not matched): {counts}")
    if report.skipped:
        typer.echo(f"skipped {len(report.skipped)} records:", err=True)
        for item in report.skipped:
            typer.echo(f"  {inert(str(item))}", err=True)


def _status_json(state: Status, now: datetime) -> str:
    import json

    document = {
        "path": str(state.path),
        "ecosystems": [
            {
                "ecosystem": entry.ecosystem,
                "records": entry.records,
                "newest_modified": entry.newest_modified,
                "imported_at": entry.imported_at,
                "age_days": None if (age := entry.age_days(now)) is None else round(age, 2),
            }
            for entry in state.ecosystems
        ],
        "withdrawn": state.withdrawn,
    }
    return json.dumps(document, indent=2)


def _print_status(state: Status, now: datetime) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from assay.report.inert import inert

    table = Table()
    for column in ("Ecosystem", "Records", "Newest record", "Imported at", "Age"):
        table.add_column(column, justify="right" if column == "Records" else "left")
    for entry in state.ecosystems:
        age = entry.age_days(now)
        table.add_row(
            Text(inert(entry.ecosystem)),
            str(entry.records),
            entry.newest_modified or "-",
            entry.imported_at or "-",
            "-" if age is None else f"{age:.1f} days",
        )
    console = Console()
    console.print(Text(f"Vulnerability database {inert(str(state.path))}"))
    console.print(table)
    if not state.ecosystems:
        console.print("no records imported yet", highlight=False)
    console.print(f"{state.withdrawn} withdrawn records (never matched)", highlight=False)
