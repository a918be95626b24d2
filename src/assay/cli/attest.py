"""``assay attest``: write a product's attestation of a manual control."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from assay.model import ProductInfo
    from assay.portfolio import LoadedPortfolio

_PORTFOLIO = Path("assay.yaml")  # assay.portfolio.PORTFOLIO_FILE, without importing it for --help
DEFAULT_VALID_DAYS = 365


def register(app: typer.Typer) -> None:
    app.command("attest")(attest)


def attest(
    product: str = typer.Argument(..., help="Name of a product of the portfolio."),
    control: str = typer.Argument(
        ..., help="The control's id in the policy (A.5.1 of ISO: iso27001-2022:A.5.1)."
    ),
    statement: str = typer.Option(
        ..., "--statement", "-s", help="What is in place, in a sentence."
    ),
    attested_by: str = typer.Option(..., "--by", help="Who attests it (name, role, e-mail)."),
    on: dt.datetime | None = typer.Option(
        None, "--date", formats=["%Y-%m-%d"], help="When it was attested (default: today, UTC)."
    ),
    expires: dt.datetime | None = typer.Option(
        None,
        "--expires",
        formats=["%Y-%m-%d"],
        help=f"The last day it holds (default: {DEFAULT_VALID_DAYS} days after --date).",
    ),
    links: list[str] = typer.Option([], "--link", help="Where evidence is (URL); repeatable."),
    files: list[Path] = typer.Option(
        [], "--file", help="An evidence file, kept beside the attestation and hashed; repeatable."
    ),
    portfolio: Path = typer.Option(
        _PORTFOLIO, "--portfolio", "-p", help="The portfolio file (assay.yaml)."
    ),
    replace: bool = typer.Option(False, "--replace", help="Write over an existing attestation."),
) -> None:
    """Write an attestation: a person states that a manual control is met for a product.

    The file goes to the portfolio's attestations folder
    (attestations/<product>/<control>.yaml). Audits judge it: the control passes
    until the attestation expires, and only while each evidence file still has the
    SHA-256 recorded here.
    """
    from assay.attestations.files import write_attestation
    from assay.attestations.model import Attestation, EvidenceLink
    from assay.errors import ConfigError

    loaded, info = _product(portfolio, product)
    _check_control(loaded, info, control)
    # The audit judges by the day it starts in UTC: an attestation of "today" holds then.
    day = on.date() if on is not None else dt.datetime.now(dt.UTC).date()
    last = expires.date() if expires is not None else day + dt.timedelta(days=DEFAULT_VALID_DAYS)
    try:
        attestation = Attestation(
            assay_attestation=1, product=product, control=control, statement=statement,
            attested_by=attested_by, date=day, expires=last,
            evidence=[EvidenceLink(link=link) for link in links],
        )  # fmt: skip
    except ValueError as error:
        raise ConfigError(f"cannot attest: {error}") from None
    path = write_attestation(loaded.attestations_folder(), attestation, files, replace=replace)
    typer.echo(f"wrote {path} (valid until {last})")


def _product(portfolio: Path, name: str) -> tuple[LoadedPortfolio, ProductInfo]:
    from assay.portfolio import portfolio_products

    loaded, (info,) = portfolio_products(portfolio, name)
    return loaded, info


def _check_control(loaded: LoadedPortfolio, info: ProductInfo, control: str) -> None:
    """The control must be in the product's policy, apply to it, and need an attestation."""
    from assay.errors import ConfigError
    from assay.policy import load_policy
    from assay.policy.resolve import facts_of, resolve

    policy = load_policy(loaded.policy_location())
    facts = facts_of(info)
    found = next((c for c in resolve(policy, facts).controls if c.control.id == control), None)
    if found is None:
        raise ConfigError(f"{policy.source}: no control {control!r} in the policy",
                          hint="`assay policy explain PRODUCT` lists them")  # fmt: skip
    if not found.applies:
        raise ConfigError(f"{control} does not apply to {info.name}: {found.why}")
    if not (found.control.manual or found.needs_attestation):
        raise ConfigError(f"{control} is evidenced by its checks alone; it needs no attestation")
