"""``assay standards``: the catalogs of controls Assay knows, and how it assesses them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

from assay.report import OutputFormat

if TYPE_CHECKING:
    from assay.standards import Catalog, CatalogControl

standards_app = typer.Typer(
    help="Standards as code: the built-in catalogs and the company's.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(standards_app, name="standards")


def _catalogs() -> dict[str, Catalog]:
    from assay.standards import builtin_catalog_ids, load_catalog

    return {i: load_catalog(i).catalog for i in builtin_catalog_ids()}


def _one(catalog_id: str) -> Catalog:
    from assay.standards import load_catalog

    return load_catalog(catalog_id).catalog


@standards_app.command("list")
def list_standards(
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
) -> None:
    """List the built-in catalogs: id, version, title, and how their controls are assessed."""
    from rich.console import Console
    from rich.table import Table

    from assay.standards.views import Coverage, coverage_counts

    rows: list[dict[str, Any]] = []
    for catalog in _catalogs().values():
        counts = coverage_counts(catalog.walk())
        rows.append({"id": catalog.id, "version": catalog.version, "title": catalog.title,
                     "controls": sum(counts.values()),
                     **{c.value: counts[c] for c in Coverage}})  # fmt: skip
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table()
    table.add_column("Standard", no_wrap=True)
    table.add_column("Version", no_wrap=True)
    table.add_column("Title")
    for column in ("Controls", "Automated", "Partial", "Manual"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*(str(row[key]) for key in ("id", "version", "title", "controls",
                                                  "automated", "partial", "manual")))  # fmt: skip
    Console().print(table)


@standards_app.command("show")
def show(
    standard: str = typer.Argument(..., help="Catalog id (built-in) or catalog file."),
    control: str | None = typer.Argument(None, help="One control's id, exactly (A.8.28)."),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
) -> None:
    """Show a catalog's controls, or one control with its evidence and relations."""
    from assay.standards.views import coverage_of

    catalog = _one(standard)
    if control is None:
        _show_catalog(catalog, output)
        return
    found = catalog.find(control)
    if found is None:
        raise typer.BadParameter(f"{catalog.id} has no control {control!r}", param_hint="CONTROL")
    document = _control_document(catalog, found)
    document["coverage"] = coverage_of(found).value if found.assessable else None
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(document, indent=2))
    else:
        _print_control(document)


def _control_document(catalog: Catalog, control: CatalogControl) -> dict[str, Any]:
    from assay.standards.views import incoming

    data = control.model_dump(mode="json", exclude={"controls"})
    data["standard"] = catalog.id
    data["referenced_by"] = [
        {"standard": r.standard, "control": r.control, "type": r.type.value,
         "rationale": r.rationale}
        for r in incoming({**_catalogs(), catalog.id: catalog}, catalog.id, control.id)
    ]  # fmt: skip
    return data


def _print_control(document: dict[str, Any]) -> None:
    lines = [f"{document['standard']} {document['id']}: {document['title']}"]
    if document.get("objective"):
        lines.append(f"  objective: {document['objective']}")
    lines.append(f"  severity: {document['severity']}")
    if document.get("level") is not None:
        lines.append(f"  level: {document['level']}")
    if document.get("coverage"):
        lines.append(f"  assessed: {document['coverage']}")
    evidence = document.get("evidence")
    if evidence:
        lines.append(f"  checks: {', '.join(evidence['checks'])}")
        lines.append(f"  condition: {json.dumps(evidence['condition'])}")
    lines += [f"  {r['type']} {r['standard']} {r['control']}" +
              (f" ({r['rationale']})" if r.get("rationale") else "")
              for r in document.get("relations", [])]  # fmt: skip
    lines += [f"  named by {r['standard']} {r['control']} ({r['type']})"
              for r in document.get("referenced_by", [])]  # fmt: skip
    typer.echo("\n".join(lines))


def _show_catalog(catalog: Catalog, output: OutputFormat) -> None:
    from rich.console import Console
    from rich.tree import Tree

    from assay.standards.views import coverage_of

    if output is OutputFormat.JSON:
        typer.echo(catalog.model_dump_json(indent=2, by_alias=True))
        return
    tree = Tree(f"{catalog.id} {catalog.version}: {catalog.title}")

    def add(branch: Tree, control: CatalogControl) -> None:
        label = f"{control.id} {control.title}"
        if control.assessable:
            how = coverage_of(control).value
            checks = f" ({', '.join(control.evidence.checks)})" if control.evidence else ""
            label += f" — {how}{checks}"
        node = branch.add(label)
        for child in control.controls:
            add(node, child)

    for top in catalog.controls:
        add(tree, top)
    Console().print(tree)


@standards_app.command("coverage")
def coverage(
    standard: str = typer.Argument(..., help="Catalog id (built-in) or catalog file."),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
) -> None:
    """Which controls are automated, partial (checks and an attestation) or manual."""
    from rich.console import Console
    from rich.table import Table

    from assay.standards.views import coverage_counts, coverage_of

    catalog = _one(standard)
    rows: list[dict[str, Any]] = [
            {"control": c.id, "title": c.title, "coverage": coverage_of(c).value,
             "checks": list(c.evidence.checks) if c.evidence else []}
            for c in catalog.walk() if c.assessable
    ]  # fmt: skip
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("Control", "Title", "Assessed", "Checks", title=f"{catalog.id} coverage")
    for row in rows:
        table.add_row(str(row["control"]), str(row["title"]), str(row["coverage"]),
                      ", ".join(row["checks"]))  # fmt: skip
    counts = coverage_counts(catalog.walk())
    console = Console()
    console.print(table)
    console.print(" · ".join(f"{n} {kind.value}" for kind, n in counts.items()))
