"""``assay soa``: the Statement of Applicability of a standard, per product."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from assay.model import ProductInfo
    from assay.portfolio import LoadedPortfolio
    from assay.report.soa import ProductSoa
    from assay.standards.model import Catalog
    from assay.store import Store

_PORTFOLIO = Path("assay.yaml")  # assay.portfolio.PORTFOLIO_FILE, without importing it for --help
_DB_HELP = "Store: SQLAlchemy URL or SQLite file. Default: see docs/store.md."


class SoaFormat(StrEnum):
    MD = "md"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("soa")(soa)


def soa(
    standard: str = typer.Option(
        ..., "--standard", help="Catalog id (iso27001-2022) or a catalog file."
    ),
    product: str | None = typer.Option(
        None, "--product", help="Only this product (default: every product of the portfolio)."
    ),
    portfolio: Path = typer.Option(
        _PORTFOLIO, "--portfolio", "-p", help="The portfolio file (assay.yaml)."
    ),
    output: SoaFormat = typer.Option(SoaFormat.MD, "--format", "-f"),
    out: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (needed for xlsx); default: stdout."
    ),
    db: str | None = typer.Option(None, "--db", envvar="ASSAY_DB", help=_DB_HELP),
) -> None:
    """Write the Statement of Applicability of a standard for the portfolio's products.

    Every control of the standard, for each product: whether it applies (with the
    exclusion's justification and approver when it does not), its implementation
    status from the product's latest stored audit and attestations (implemented,
    partially implemented, not implemented, not assessed), the evidence behind it
    (checks, audit and commit, attestation, or the related control it came through),
    and the date. The xlsx has a summary sheet and one sheet per product.
    """
    from assay.errors import ConfigError
    from assay.portfolio import portfolio_products
    from assay.report import soa as report
    from assay.standards.catalog import load_catalog
    from assay.store import open_store

    if output is SoaFormat.XLSX and out is None:
        raise ConfigError("--format xlsx writes a file: give it with --output FILE")
    loaded, products = portfolio_products(portfolio, product)
    catalog = load_catalog(standard).catalog
    store = open_store(db)
    try:
        statements = [_product_soa(catalog, loaded, info, store) for info in products]
    finally:
        store.close()
    if output is SoaFormat.XLSX:
        assert out is not None
        report.write_xlsx(catalog, statements, str(out))
        typer.echo(f"wrote {out}")
        return
    text = {
        SoaFormat.MD: lambda: report.render_markdown(catalog, statements),
        SoaFormat.CSV: lambda: report.render_csv(statements),
        SoaFormat.JSON: lambda: report.render_json(catalog, statements) + "\n",
    }[output]()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


def _product_soa(
    catalog: Catalog, loaded: LoadedPortfolio, info: ProductInfo, store: Store
) -> ProductSoa:
    from assay.attestations import load_attestations
    from assay.policy import load_policy
    from assay.policy.resolve import facts_of, resolve
    from assay.report.soa import product_soa
    from assay.standards import builtin_catalog_ids, load_catalog

    policy = load_policy(loaded.policy_location())
    facts = facts_of(info)
    catalogs = {i: load_catalog(i).catalog for i in builtin_catalog_ids()}
    catalogs.update({s.catalog.id: s.catalog for s in policy.standards})
    latest = store.recent(info.name, limit=1)
    return product_soa(
        catalog,
        product=info.name,
        resolved=resolve(policy, facts),
        policy_hash=policy.hash,
        audit=latest[0] if latest else None,
        attestations=load_attestations(loaded.attestations_folder(), info.name),
        catalogs=catalogs,
    )
