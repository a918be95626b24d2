"""One audit of one product: snapshot, run checks, evaluate controls, build the Audit."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import assay
from assay.attestations import apply_attestations, load_attestations
from assay.cache import ResultCache
from assay.checks.api import CheckOutput
from assay.checks.registry import Registry, load_registry
from assay.engine import run_checks
from assay.evaluate import evaluate, summarize
from assay.model import Audit, PolicyInfo, ProductInfo, TestOutcome
from assay.policy import LoadedPolicy, bind_checks
from assay.policy.resolve import (
    attestation_needs,
    product_facts,
    resolve,
    tailored,
    tailored_verdicts,
)
from assay.ratings import DEFAULT_RULES, rate
from assay.snapshot import open_snapshot


@dataclass(frozen=True, kw_only=True, slots=True)
class AuditRequest:
    product: ProductInfo
    rev: str | None = None
    require_git: bool = False
    # The quality repository's attestations folder (attestations/<product>/*.yaml).
    attestations: Path | None = None
    # Split a large cold read between processes: for a single audit, not inside a
    # portfolio, where products already run in parallel.
    parallel: bool = False


def audit_product(
    request: AuditRequest,
    *,
    policy: LoadedPolicy,
    cache: ResultCache,
    registry: Registry | None = None,
    on_idle: Callable[[], None] = lambda: None,
) -> Audit:
    """Audit ``request.product`` under ``policy``; raises SnapshotError if it cannot be read.

    ``on_idle`` runs once in this process while forked workers read files (or
    after the checks); it must not raise.
    """
    started_at = datetime.now(UTC)
    clock = time.perf_counter()
    # Opened first: git lists the commit while the checks' modules are imported.
    snapshot = open_snapshot(
        Path(request.product.path),
        rev=request.rev,
        require_git=request.require_git,
        list_early=True,
    )
    try:
        resolved = (
            resolve(policy, product_facts(request.product, snapshot)) if tailored(policy) else None
        )
        effective = resolved.loaded if resolved is not None else policy
        registry = registry or load_registry()
        bound = bind_checks(effective, registry)
        failures_from_registry = dict(registry.broken)  # filled by bind_checks as it loads
        limits = dataclasses.replace(policy.limits, parallel=request.parallel)
        result = run_checks(snapshot, bound, cache=cache, limits=limits, on_idle=on_idle)
    finally:
        snapshot.close()
    failures = {**failures_from_registry, **result.failures}
    verdicts = evaluate(effective.policy.controls, result.outputs, failures)
    if resolved is not None:
        verdicts = tailored_verdicts(resolved, verdicts)
    needs = attestation_needs(effective.policy.controls, resolved)
    if needs:
        attestations = load_attestations(request.attestations, request.product.name)
        verdicts = apply_attestations(verdicts, needs, attestations, started_at.date())
    findings = [f for output in result.outputs.values() for f in output.findings]
    measures = [m for output in result.outputs.values() for m in output.measures]
    judged = {c for c, out in result.outputs.items() if out.not_applicable is None} - set(failures)
    rules = policy.policy.ratings if policy.policy.ratings is not None else DEFAULT_RULES
    ratings = rate(rules, measures=measures, findings=findings, judged=judged)
    return Audit(
        id=uuid.uuid4().hex,
        product=request.product,
        source=snapshot.source,
        policy=PolicyInfo(id=policy.policy.id, title=policy.policy.title, hash=policy.hash),
        assay_version=assay.__version__,
        started_at=started_at,
        duration_s=round(time.perf_counter() - clock, 4),
        checks=result.runs,
        verdicts=verdicts,
        findings=findings,
        measures=measures,
        files=result.files,
        skipped=result.skipped,
        summary=summarize(verdicts),
        ratings=ratings,
        test_outcomes=_test_outcomes(result.outputs.values()),
    )


def _test_outcomes(outputs: Iterable[CheckOutput]) -> dict[str, TestOutcome]:
    """Every check's test outcomes; a test read twice keeps its worse outcome."""
    merged: dict[str, TestOutcome] = {}
    for output in outputs:
        for test, outcome in output.test_outcomes.items():
            known = merged.get(test)
            merged[test] = (
                outcome if known is None else max(known, outcome, key=lambda o: o.badness)
            )
    return merged
