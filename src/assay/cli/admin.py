"""Housekeeping commands: ``db``, ``cache``, ``policy``, ``schema`` and ``checks``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from assay.report import OutputFormat

_PORTFOLIO = Path("assay.yaml")  # assay.portfolio.PORTFOLIO_FILE, without importing it for --help

db_app = typer.Typer(help="The audit store.", no_args_is_help=True)
cache_app = typer.Typer(help="The result cache (docs/cache.md).", no_args_is_help=True)
policy_app = typer.Typer(
    help="Policies: validate them, explain them for a product, print their schema.",
    no_args_is_help=True,
)

_DB_HELP = "Store: SQLAlchemy URL or SQLite file. Default: see docs/store.md."


class SchemaName(StrEnum):
    AUDIT = "audit"
    POLICY = "policy"
    PORTFOLIO = "portfolio"
    CATALOG = "catalog"
    ATTESTATION = "attestation"


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(cache_app, name="cache")
    app.add_typer(policy_app, name="policy")
    app.command("schema")(schema)
    app.command("checks")(checks)


@db_app.command("upgrade")
def db_upgrade(
    db: str | None = typer.Option(None, "--db", envvar="ASSAY_DB", help=_DB_HELP),
) -> None:
    """Apply the store's schema migrations (also done automatically on every open)."""
    from assay.store import open_store

    store = open_store(db, migrate=False)
    try:
        before, after = store.upgrade()
        where = store.location
    finally:
        store.close()
    if before == after:
        typer.echo(f"{where}: schema is up to date (revision {after})")
    else:
        typer.echo(f"{where}: schema upgraded from {before or 'empty'} to {after}")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached check result. Safe: the next audit reads what it needs."""
    from assay.cache import ResultCache

    cache = ResultCache.default()
    try:
        removed = cache.clear()
    finally:
        cache.close()
    typer.echo(f"cleared {removed} cached results from {cache.path}")


@cache_app.command("path")
def cache_path() -> None:
    """Print where the result cache lives."""
    from assay.cache import cache_dir

    typer.echo(str(cache_dir() / "results.sqlite3"))


@policy_app.command("validate")
def policy_validate(
    file: str = typer.Argument(..., help="Policy file, or the name of a built-in policy."),
) -> None:
    """Check a policy file against the schema and the installed checks."""
    from assay.checks.registry import load_registry
    from assay.policy import load_policy
    from assay.policy.resolve import check_policy

    loaded = load_policy(file)
    count = check_policy(loaded, load_registry())
    typer.echo(f"{loaded.source}: valid policy '{loaded.policy.id}' with {count} controls")


@policy_app.command("explain")
def policy_explain(
    product: str = typer.Argument(..., help="Name of a product of the portfolio."),
    control: str | None = typer.Argument(
        None, help="One control's id (iso27001-2022:A.8.28, AB-SEC-2); default: every control."
    ),
    portfolio: Path = typer.Option(
        _PORTFOLIO, "--portfolio", "-p", help="The portfolio file (assay.yaml)."
    ),
    policy: str | None = typer.Option(
        None, "--policy", help="Policy file or built-in name; default: the portfolio's."
    ),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
) -> None:
    """Show which controls apply to a product, why, and where each setting comes from.

    For every control: whether it applies (the exclusion or scope rule that decided,
    with file:line), its severity and thresholds, and for each check its parameters,
    each with the place that set it (a parameters rule, the policy's checks, the
    standard's default).
    """
    import json

    from rich.console import Console

    from assay.errors import ConfigError
    from assay.policy import load_policy
    from assay.policy.resolve import facts_of, resolve
    from assay.portfolio import portfolio_products
    from assay.report.explain import explain_document, print_explanation

    loaded_portfolio, (info,) = portfolio_products(portfolio, product)
    facts = facts_of(info)
    loaded = load_policy(policy or loaded_portfolio.policy_location())
    resolved = resolve(loaded, facts)
    if control is not None and all(c.control.id != control for c in resolved.controls):
        raise ConfigError(f"{loaded.source}: no control {control!r} in the policy",
                          hint="`assay policy explain PRODUCT` lists them")  # fmt: skip
    document = explain_document(resolved, facts, control)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(document, indent=2))
    else:
        print_explanation(document, Console())


@policy_app.command("schema")
def policy_schema() -> None:
    """Print the JSON Schema of policy files (for editors)."""
    _print_schema(SchemaName.POLICY)


def schema(
    name: SchemaName = typer.Argument(..., help="Which document's JSON Schema to print."),
) -> None:
    """Print the JSON Schema of an Assay document (audit, policy, portfolio, catalog,
    attestation)."""
    _print_schema(name)


def _print_schema(name: SchemaName) -> None:
    from assay.report.json import audit_schema, dumps

    document: dict[str, Any]
    if name is SchemaName.AUDIT:
        document = audit_schema()
    elif name is SchemaName.POLICY:
        from assay.policy.model import Policy

        document = Policy.model_json_schema(by_alias=True)
    elif name is SchemaName.PORTFOLIO:
        from assay.portfolio import Portfolio

        document = Portfolio.model_json_schema(by_alias=True)
    elif name is SchemaName.CATALOG:
        from assay.standards import Catalog

        document = Catalog.model_json_schema(by_alias=True)
    elif name is SchemaName.ATTESTATION:
        from assay.attestations import Attestation

        document = Attestation.model_json_schema(by_alias=True)
    else:  # pragma: no cover
        from typing import assert_never

        assert_never(name)
    typer.echo(dumps(document), nl=False)


def checks() -> None:
    """List the installed checks (built-in and plugins) with their versions."""
    from rich.console import Console
    from rich.table import Table

    from assay.checks.registry import load_registry

    registry = load_registry()
    table = Table(title="Installed checks")
    for column in ("Check", "Kind", "Version", "Description"):
        table.add_column(column)
    usable = registry.checks
    for check_id in sorted(usable):
        check = usable[check_id]
        table.add_row(check_id, check.kind, check.version, check.description)
    for check_id, reason in sorted(registry.broken.items()):
        table.add_row(check_id, "broken", "", reason)
    Console().print(table)
