"""``assay audit``: one product, or every product of a portfolio."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assay.report import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from assay.model import Audit
    from assay.portfolio import Outcome
    from assay.store import Store


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    path: Path | None = typer.Argument(
        None,
        help="Product to audit: a git repository or a plain directory. "
        "Without PATH, the portfolio assay.yaml of the current folder if there is one, "
        "else the current folder.",
        show_default=False,
    ),
    portfolio: Path | None = typer.Option(
        None, "--portfolio", "-p", help="Audit every product declared in this assay.yaml."
    ),
    commit: str | None = typer.Option(
        None, "--commit", help="Audit this commit (branch, tag or id) without checking it out."
    ),
    policy: str | None = typer.Option(
        None,
        "--policy",
        help="Policy file, or the name of a built-in policy. Default: assay-baseline "
        "(or the policy named in assay.yaml).",
    ),
    output: OutputFormat = typer.Option(
        OutputFormat.TABLE, "--format", "-f", help="Output format."
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="ASSAY_DB",
        help="Store: SQLAlchemy URL or SQLite file. Default: see docs/store.md.",
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="Worker processes for a portfolio. Default: all cores."
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Neither use nor fill the result cache."
    ),
    sarif: list[Path] = typer.Option(
        [],
        "--sarif",
        exists=True,
        dir_okay=False,
        readable=True,
        help="SARIF 2.1.0 file written by an analyzer in the product's CI (repeatable). Its "
        "results are judged by the policy's control on sarif.import, or by SARIF-1.",
    ),
    report: list[Path] = typer.Option(
        [],
        "--report",
        exists=True,
        dir_okay=False,
        readable=True,
        help="Test report (JUnit XML) or coverage report (Cobertura, LCOV, JaCoCo, coverage.py "
        "JSON, Clover) written by the product's CI (repeatable). Judged by the policy's "
        "controls on tests.junit and coverage.report, or by TEST-1 and COV-1.",
    ),
    base: str | None = typer.Option(
        None,
        "--base",
        help="Also measure the coverage of the lines changed since this commit "
        "(coverage.changed_lines; needs a coverage report).",
    ),
    attestations: Path | None = typer.Option(
        None,
        "--attestations",
        help="Folder of attestations (<product>/<control>.yaml) for the policy's manual "
        "controls; with --portfolio, assay.yaml says where it is.",
    ),
) -> None:
    """Audit a product (or a portfolio) against a policy and store the audit."""
    from assay.portfolio import find_portfolio

    if portfolio is None and path is None:
        portfolio = find_portfolio(Path.cwd())
    if portfolio is not None:
        if path is not None or commit is not None or sarif or report or base or attestations:
            raise typer.BadParameter(
                "PATH, --commit, --sarif, --report, --base and --attestations do not combine "
                "with --portfolio (assay.yaml declares a product's reports and the "
                "attestations folder)"
            )
        code = _audit_portfolio(portfolio, policy, output, db, jobs, no_cache)
    else:
        evidence = _Evidence(sarif=sarif, reports=report, base=base, attestations=attestations)
        code = _audit_single(path or Path.cwd(), commit, policy, output, db, no_cache, evidence)
    raise typer.Exit(code)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Evidence:
    """Files from the product's CI given on the command line."""

    sarif: list[Path]
    reports: list[Path]
    base: str | None = None
    attestations: Path | None = None


def _consoles() -> tuple[Console, Console]:
    from rich.console import Console

    return Console(), Console(stderr=True)


def _open_store(db: str | None) -> Store:
    from assay.store import open_store

    return open_store(db)


def _audit_single(
    path: Path,
    commit: str | None,
    policy: str | None,
    output: OutputFormat,
    db: str | None,
    no_cache: bool,
    evidence: _Evidence,
) -> int:
    from assay.audit import AuditRequest, audit_product
    from assay.cache import ResultCache, open_default_cache
    from assay.model import ProductInfo
    from assay.policy import load_policy

    loaded = load_policy(policy)
    if evidence.sarif:
        from assay.policy.sarif import with_sarif_files

        loaded = with_sarif_files(loaded, evidence.sarif)
    if evidence.reports:
        from assay.policy.external import with_report_files

        loaded = with_report_files(loaded, evidence.reports)
    if evidence.base is not None:
        from assay.policy.external import with_coverage_base

        loaded = with_coverage_base(loaded, evidence.base)
    product = ProductInfo(name=path.resolve().name or str(path), path=str(path.resolve()))
    store = _StoreOpener(db)
    cache = ResultCache(None) if no_cache else open_default_cache()
    try:
        request = AuditRequest(
            product=product, rev=commit, parallel=True, attestations=evidence.attestations
        )
        # The store (SQLAlchemy, migrations) is opened while workers read files.
        result = audit_product(request, policy=loaded, cache=cache, on_idle=store.open)
    finally:
        cache.close()
    with store.get() as opened:
        opened.save(result)
        out, err = _consoles()
        _print_audit(result, output, out)
        err.print(f"stored as audit {result.id} in {opened.location}", highlight=False)
    return 1 if result.summary.failed_enforced else 0


class _StoreOpener:
    """Opens the store once, when told to, and keeps the error for later."""

    def __init__(self, db: str | None) -> None:
        self._db = db
        self._store: Store | None = None
        self._error: Exception | None = None

    def open(self) -> None:
        if self._store is not None or self._error is not None:
            return
        try:
            self._store = _open_store(self._db)
        except Exception as exc:  # raised again by get(), outside the audit
            self._error = exc

    def get(self) -> contextlib.closing[Store]:
        self.open()
        if self._error is not None:
            raise self._error
        assert self._store is not None
        return contextlib.closing(self._store)


def _print_audit(result: Audit, output: OutputFormat, console: Console) -> None:
    from assay.report.json import render_json
    from assay.report.terminal import print_audit

    if output is OutputFormat.JSON:
        console.file.write(render_json(result))
    elif output is OutputFormat.TABLE:
        print_audit(result, console)
    else:  # pragma: no cover - every format is handled above
        from typing import assert_never

        assert_never(output)


def _audit_portfolio(
    path: Path,
    policy: str | None,
    output: OutputFormat,
    db: str | None,
    jobs: int | None,
    no_cache: bool,
) -> int:
    from assay.checks.registry import load_registry
    from assay.errors import ConfigError
    from assay.policy import load_policy
    from assay.policy.resolve import check_policy
    from assay.portfolio import audit_portfolio, load_portfolio, outcome_name

    if not path.is_file():
        raise ConfigError(f"{path}: no such portfolio file")
    loaded = load_portfolio(path)
    policy_location = policy or loaded.policy_location()
    # A bad policy (or a check it names that is not installed) is reported once, with
    # exit code 2, before any worker starts.
    check_policy(load_policy(policy_location), load_registry())
    products = [loaded.product_info(p) for p in loaded.portfolio.products]
    store = _open_store(db)
    out, err = _consoles()
    outcomes: list[Outcome] = []
    try:
        with _Progress(err, len(products)) as tracker:
            reports = {p.name: p.reports for p in loaded.portfolio.products if p.reports}
            for outcome in audit_portfolio(
                products, policy_location=policy_location, jobs=jobs, use_cache=not no_cache,
                reports=reports, attestations=loaded.attestations_folder(),
            ):  # fmt: skip
                _store_outcome(store, outcome)
                outcomes.append(outcome)
                tracker(outcome)
        order = {p.name: i for i, p in enumerate(products)}
        outcomes.sort(key=lambda o: order[outcome_name(o)])
        _print_portfolio(outcomes, output, out)
        err.print(f"stored in {store.location}", highlight=False)
    finally:
        store.close()
    return 1 if any(_failed(o) for o in outcomes) else 0


def _failed(outcome: Outcome) -> bool:
    from assay.model import Audit

    return not isinstance(outcome, Audit) or outcome.summary.failed_enforced > 0


def _store_outcome(store: Store, outcome: Outcome) -> None:
    from assay.model import Audit

    if isinstance(outcome, Audit):
        store.save(outcome)


class _Progress:
    """A Rich progress bar: products done / total, files read, elapsed."""

    def __init__(self, console: Console, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("products · {task.fields[files]} files read"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task("audit", total=total, files=0)
        self._files = 0
        self._started = time.perf_counter()

    def __enter__(self) -> _Progress:
        self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._progress.stop()

    def __call__(self, outcome: Outcome) -> None:
        from assay.model import Audit

        if isinstance(outcome, Audit):
            self._files += outcome.files.read
        self._progress.update(self._task, advance=1, files=self._files)


def _print_portfolio(outcomes: list[Outcome], output: OutputFormat, console: Console) -> None:
    from assay.report.portfolio import print_portfolio, render_portfolio_json

    if output is OutputFormat.JSON:
        console.file.write(render_portfolio_json(outcomes))
    elif output is OutputFormat.TABLE:
        print_portfolio(outcomes, console)
    else:  # pragma: no cover
        from typing import assert_never

        assert_never(output)
