"""The portfolio (``assay.yaml``) and auditing all its products in parallel processes.

One product that cannot be audited (missing path, not a repository, corrupt
repository) is reported with its reason; the others go on.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.cache import ResultCache
from assay.errors import AssayError, ConfigError
from assay.model import Audit, ProductInfo

if TYPE_CHECKING:
    from assay.checks.registry import Registry
    from assay.policy import LoadedPolicy

PORTFOLIO_FILE = "assay.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Product(_Strict):
    name: str = Field(min_length=1, description="Unique name of the product.")
    path: str = Field(
        min_length=1, description="Local clone, relative to the folder of assay.yaml."
    )
    team: str | None = None
    tier: int = Field(default=3, ge=1, le=3, description="1 = most critical ... 3.")
    tags: list[str] = Field(default_factory=list)
    data_classification: str | None = Field(
        default=None, description="e.g. public, internal, confidential, restricted."
    )
    reports: list[str] = Field(
        default_factory=list,
        description="Globs, relative to the product's folder, of the test and coverage reports "
        "its CI wrote there (JUnit XML; Cobertura, LCOV, JaCoCo, coverage.py JSON, Clover).",
    )


class Portfolio(_Strict):
    assay_portfolio: Literal[1] = Field(alias="assay-portfolio", description="Schema version.")
    policy: str | None = Field(
        default=None,
        description="Built-in policy name or policy file (relative to assay.yaml); "
        "default assay-baseline.",
    )
    attestations: str = Field(
        default="attestations",
        description="Folder of the attestations (<product>/<control>.yaml), relative to "
        "assay.yaml.",
    )
    products: list[Product] = Field(min_length=1)


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedPortfolio:
    portfolio: Portfolio
    path: Path

    @property
    def base(self) -> Path:
        return self.path.parent

    def product_info(self, product: Product) -> ProductInfo:
        return ProductInfo(
            name=product.name,
            path=str((self.base / product.path).resolve()),
            team=product.team,
            tier=product.tier,
            tags=list(product.tags),
            data_classification=product.data_classification,
        )

    def attestations_folder(self) -> Path:
        return self.base / self.portfolio.attestations

    def policy_location(self) -> str | None:
        policy = self.portfolio.policy
        if policy is None:
            return None
        from assay.policy import BUILTIN_POLICIES

        if policy in BUILTIN_POLICIES:
            return policy
        # Relative to where Assay runs, when it runs above it: the policy's file:line
        # in reasons and explanations then read as the user would type them.
        location = self.base / policy
        with contextlib.suppress(ValueError, OSError):
            return str(location.relative_to(Path.cwd()))
        return str(location)


_HINT = "fix assay.yaml; docs/portfolio.md describes its keys"


def load_portfolio(path: Path) -> LoadedPortfolio:
    from pydantic import ValidationError

    from assay.config import describe_validation_error, parse_yaml_document, read_config_text

    document = parse_yaml_document(read_config_text(path, hint=_HINT), str(path), hint=_HINT)
    try:
        portfolio = Portfolio.model_validate(document.data)
    except ValidationError as error:
        raise ConfigError(
            describe_validation_error(document, Portfolio, error), hint=_HINT
        ) from None
    seen: set[str] = set()
    for index, product in enumerate(portfolio.products):
        if product.name in seen:
            problem = f"duplicate product name {product.name!r}"
            raise ConfigError(document.problem_at(("products", index, "name"), problem), hint=_HINT)
        seen.add(product.name)
    return LoadedPortfolio(portfolio=portfolio, path=path.resolve())


def portfolio_products(
    path: Path, only: str | None = None
) -> tuple[LoadedPortfolio, list[ProductInfo]]:
    """The portfolio at ``path`` and its products (only the one named ``only``, if given),
    or a ConfigError naming the file and the products it has."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such portfolio file", hint="give it with --portfolio")
    loaded = load_portfolio(path)
    entries = [p for p in loaded.portfolio.products if only in (None, p.name)]
    if not entries:
        names = ", ".join(p.name for p in loaded.portfolio.products)
        raise ConfigError(f"{path}: no product {only!r} (products: {names})")
    return loaded, [loaded.product_info(p) for p in entries]


@dataclass(frozen=True, kw_only=True, slots=True)
class ProductFailure:
    product: str
    reason: str


Outcome = Audit | ProductFailure


@dataclass(frozen=True, kw_only=True, slots=True)
class _WorkerSetup:
    policy: LoadedPolicy
    registry: Registry
    cache: ResultCache


# One worker process audits many products; it loads the policy and the checks once
# for each (policy, cache) setting, all or nothing, so a failure is never half-kept.
_WORKER_SETUPS: dict[tuple[str | None, bool], _WorkerSetup] = {}


def _setup(policy_location: str | None, use_cache: bool) -> _WorkerSetup:
    from assay.cache import open_default_cache
    from assay.checks.registry import load_registry
    from assay.policy import load_policy

    key = (policy_location, use_cache)
    if key not in _WORKER_SETUPS:
        _WORKER_SETUPS[key] = _WorkerSetup(
            policy=load_policy(policy_location),
            registry=load_registry(),
            cache=open_default_cache() if use_cache else ResultCache(None),
        )
    return _WORKER_SETUPS[key]


def _audit_one(
    product: ProductInfo,
    policy_location: str | None,
    use_cache: bool,
    reports: tuple[str, ...],
    attestations: Path | None = None,
) -> Outcome:
    from assay.audit import AuditRequest, audit_product

    try:
        setup = _setup(policy_location, use_cache)
        return audit_product(
            AuditRequest(product=product, require_git=True, attestations=attestations),
            policy=_with_reports(setup.policy, Path(product.path), reports),
            registry=setup.registry,
            cache=setup.cache,
        )
    except AssayError as exc:
        return ProductFailure(product=product.name, reason=exc.message)
    except Exception as exc:  # one broken product must not stop the portfolio
        return ProductFailure(
            product=product.name, reason=f"internal error: {type(exc).__name__}: {exc}"
        )


def _with_reports(policy: LoadedPolicy, root: Path, globs: tuple[str, ...]) -> LoadedPolicy:
    """The policy judging the reports CI left in the product's folder (its ``reports:``)."""
    if not globs:
        return policy
    from assay.checks.ci_reports import host_reports
    from assay.policy.external import with_report_files

    files = [Path(name) for name in host_reports(root, globs)]
    return with_report_files(policy, files) if files else policy


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers fastest; elsewhere spawn is the only safe choice.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def audit_portfolio(
    products: list[ProductInfo],
    *,
    policy_location: str | None,
    jobs: int | None = None,
    use_cache: bool = True,
    reports: Mapping[str, Sequence[str]] | None = None,
    attestations: Path | None = None,
) -> Iterator[Outcome]:
    """Audit products in ``jobs`` worker processes; yields outcomes as they complete.

    A worker process that dies (killed, out of memory) breaks its pool, and every
    product still in it then fails with it. Those products are audited again, each
    in a pool of its own, so only the product that kills its worker fails, with a
    reason that says so.
    """
    globs = {name: tuple(found) for name, found in (reports or {}).items()}
    run = functools.partial(
        _audit_one, policy_location=policy_location, use_cache=use_cache,
        attestations=attestations,
    )  # fmt: skip
    workers = max(1, min(jobs or os.cpu_count() or 1, len(products)))
    if workers == 1:
        for product in products:
            yield run(product, reports=globs.get(product.name, ()))
        return
    broken = yield from _run_pool(products, workers, run, globs)
    for product in broken:
        retried = yield from _run_pool([product], 1, run, globs)
        for lost in retried:
            yield ProductFailure(
                product=lost.name,
                reason="the worker process auditing it died (killed, or out of memory)",
            )


def _run_pool(
    products: list[ProductInfo],
    workers: int,
    run: Callable[..., Outcome],
    globs: Mapping[str, tuple[str, ...]],
) -> Generator[Outcome, None, list[ProductInfo]]:
    """Yield the outcomes of a pool; return the products lost when a worker died."""
    lost: list[ProductInfo] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures: dict[Future[Outcome], ProductInfo] = {
            pool.submit(run, product, reports=globs.get(product.name, ())): product
            for product in products
        }
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                lost.append(futures[future])
    order = {product.name: index for index, product in enumerate(products)}
    return sorted(lost, key=lambda product: order[product.name])


def outcome_name(outcome: Outcome) -> str:
    return outcome.product.name if isinstance(outcome, Audit) else outcome.product


def find_portfolio(directory: Path) -> Path | None:
    candidate = directory / PORTFOLIO_FILE
    return candidate if candidate.is_file() else None
