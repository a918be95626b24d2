"""``assay sbom``: the product's components as a CycloneDX 1.6 JSON SBOM."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("sbom")(sbom)


def sbom(
    path: Path = typer.Argument(Path("."), help="The product: a git repository or a folder."),
    commit: str | None = typer.Option(
        None, "--commit", help="Read this commit (any git revision) instead of HEAD."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the SBOM to this file instead of standard output."
    ),
    name: str | None = typer.Option(
        None, "--name", help="Product name in the SBOM. Default: the folder's name."
    ),
) -> None:
    """Write a CycloneDX 1.6 JSON SBOM of the components that manifests and lock files declare.

    Nothing is installed, built or fetched: components come from the files as
    committed (docs/dependencies.md lists the formats). Exit code 1 when a
    dependency file could not be read (the SBOM is then incomplete; each such
    file is named on standard error), 0 otherwise.
    """
    from rich.console import Console

    from assay.deps.inventory import collect
    from assay.deps.sbom import sbom_json
    from assay.snapshot import open_snapshot

    snapshot = open_snapshot(path, rev=commit)
    try:
        inventory = collect(snapshot)
        source = snapshot.source
        product = name or snapshot.root.resolve().name
    finally:
        snapshot.close()
    document = sbom_json(inventory, product=product, version=source.commit)
    errors = Console(stderr=True)
    for error in inventory.errors:
        errors.print(f"[yellow]not in the SBOM:[/] {error}", markup=True, highlight=False)
    if output is None:
        typer.echo(document)
    else:
        output.write_text(document + "\n", encoding="utf-8")
        errors.print(f"{len(inventory.unique())} components written to {output}", highlight=False)
    raise typer.Exit(1 if inventory.errors else 0)
