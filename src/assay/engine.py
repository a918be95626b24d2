"""Running checks over a snapshot: one pass over the bytes, cached by blob id, fail closed.

Every file check says which files it wants; the engine works out which wanted
blobs lack a cached result, reads each of those once through the snapshot and
hands its bytes to every check that wants it. A check that raises or runs past
its time limit is recorded as failed with the reason; the others go on.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from assay.cache import ResultCache, check_key
from assay.checks.api import (
    Check,
    CheckOutput,
    FileCheck,
    FileSelector,
    ProductCheck,
    cache_salt_of,
    params_hash,
)
from assay.model import (
    CheckRun,
    CheckStatus,
    EntryKind,
    FileEntry,
    FileStats,
    Finding,
    Measure,
    SkippedFile,
    TestOutcome,
)
from assay.model import SkipReason as Skip
from assay.scanning import (
    FileCheckState,
    decode_result,
    describe,
    read_and_scan,
    result_key,
)
from assay.snapshot.base import READABLE_KINDS, Snapshot
from assay.timelimit import CheckTimeout, TimeLimit


@dataclass(frozen=True, kw_only=True, slots=True)
class BoundCheck:
    """A check with the parameters the policy gives it."""

    check: Check
    params: BaseModel

    def cache_key(self) -> str | None:
        """The key of this check's cached results; None when they must not be cached
        (its salt cannot be worked out). Work it out once per run: the salt may change."""
        parameters = params_hash(self.params)
        salt = cache_salt_of(self.check, self.params)
        if salt is None:
            return None
        if salt:
            parameters += "+" + hashlib.sha256(salt.encode()).hexdigest()[:16]
        return check_key(self.check.id, self.check.version, parameters)


@dataclass(frozen=True, kw_only=True, slots=True)
class Limits:
    max_file_size: int = 2 * 1024 * 1024
    check_timeout_s: float = 60.0
    # Split a large cold pass between processes; off where products already run in parallel.
    parallel: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class EngineResult:
    outputs: dict[str, CheckOutput]
    failures: dict[str, str]
    runs: list[CheckRun]
    files: FileStats
    skipped: list[SkippedFile]


def run_checks(
    snapshot: Snapshot,
    checks: Sequence[BoundCheck],
    *,
    cache: ResultCache,
    limits: Limits,
    on_idle: Callable[[], None] = lambda: None,
) -> EngineResult:
    """Run ``checks`` over ``snapshot``.

    ``on_idle`` is the caller's own work (opening the store) for this process to
    do while forked workers read files, after the product checks; without
    workers it runs after the pass.
    """
    cacheable = snapshot.source.kind == "git"
    active_cache = cache if cacheable else ResultCache(None)
    skipped: list[SkippedFile] = []
    outputs: dict[str, CheckOutput] = {}
    failures: dict[str, str] = {}
    runs: list[CheckRun] = []
    with TimeLimit() as time_limit:
        file_checks = [b for b in checks if b.check.kind == "file"]
        states = [_new_state(b) for b in file_checks]
        product_runs: list[CheckRun] = []
        idle_done: list[bool] = []

        def run_product_checks() -> None:
            # Runs while forked workers scan files, or after the pass.
            if idle_done:
                return
            idle_done.append(True)
            for bound in checks:
                if bound.check.kind == "product":
                    elapsed = _run_product_check(
                        snapshot,
                        bound,
                        cache=active_cache,
                        limits=limits,
                        time_limit=time_limit,
                        outputs=outputs,
                        failures=failures,
                    )
                    failure = failures.get(bound.check.id)
                    product_runs.append(_run_record(bound, elapsed, failure, outputs))
            on_idle()

        pass_stats = _file_checks(
            snapshot,
            states=states,
            cache=active_cache,
            limits=limits,
            time_limit=time_limit,
            skipped=skipped,
            outputs=outputs,
            failures=failures,
            meanwhile=run_product_checks,
        )
        run_product_checks()
        runs.extend(
            _run_record(bound, state.elapsed, failures.get(state.check_id))
            for bound, state in zip(file_checks, states, strict=True)
        )
        runs.extend(product_runs)
    skipped.sort(key=lambda s: s.path)
    counts: dict[Skip, int] = {}
    for item in skipped:
        counts[item.reason] = counts.get(item.reason, 0) + 1
    files = FileStats(
        total=pass_stats.total,
        read=pass_stats.read,
        from_cache=pass_stats.from_cache,
        bytes_read=pass_stats.bytes_read,
        skipped=counts,
    )
    return EngineResult(outputs=outputs, failures=failures, runs=runs, files=files, skipped=skipped)


# Version of the whole-pass cache entry below; bump when its payload changes.
_PASS_FORMAT = "2"  # noqa: S105 (a format version)


def _pass_key(states: Sequence[FileCheckState], limits: Limits) -> str:
    """Cache key of all file checks' outputs for one tree: checks, versions, params, size cap."""
    parts = sorted(state.key or "" for state in states)
    digest = hashlib.sha256("\n".join([*parts, str(limits.max_file_size)]).encode())
    return f"engine.file-pass@{_PASS_FORMAT}#{digest.hexdigest()[:16]}"


def _file_checks(
    snapshot: Snapshot,
    *,
    states: list[FileCheckState],
    cache: ResultCache,
    limits: Limits,
    time_limit: TimeLimit,
    skipped: list[SkippedFile],
    outputs: dict[str, CheckOutput],
    failures: dict[str, str],
    meanwhile: Callable[[], None],
) -> _PassStats:
    """Run every file check. A tree seen before with the same checks is answered whole.

    File check results depend only on each file's path and content, and a tree id
    fixes both for every file, so the summaries of an unchanged commit are reused
    without listing, looking up or reading any file.
    """
    tree = snapshot.source.tree
    cacheable = all(state.key is not None for state in states)
    pass_key = _pass_key(states, limits) if tree and states and cacheable else None
    if pass_key is not None and tree is not None:
        payload = cache.lookup(pass_key, [tree]).get(tree)
        if payload is not None:
            return _restore_pass(payload, outputs, skipped)
    candidates = _candidates(snapshot.entries, limits, skipped)
    index_skips = len(skipped)
    stats = _file_pass(
        snapshot,
        candidates=candidates,
        states=states,
        cache=cache,
        limits=limits,
        time_limit=time_limit,
        skipped=skipped,
        meanwhile=meanwhile,
    )
    for state in states:
        _summarize(state, limits, time_limit, outputs, failures)
        if state.key is not None:
            cache.store(state.key, state.new_payloads)
    stats.total = len(snapshot.entries)
    complete = all(s.failure is None and s.check.id in outputs for s in states)
    if pass_key is not None and tree is not None and complete:
        served = stats.wanted - (len(skipped) - index_skips)
        cache.store(pass_key, {tree: _encode_pass(states, outputs, skipped, served, stats.total)})
    return stats


def _encode_pass(
    states: Sequence[FileCheckState],
    outputs: Mapping[str, CheckOutput],
    skipped: Sequence[SkippedFile],
    served: int,
    total: int,
) -> str:
    return json.dumps(
        {
            "outputs": {s.check_id: _encode_output(outputs[s.check_id]) for s in states},
            "skipped": [[f.path, f.reason.value, f.size] for f in skipped],
            "served": served,
            "total": total,
        },
        separators=(",", ":"),
    )


def _restore_pass(
    payload: str, outputs: dict[str, CheckOutput], skipped: list[SkippedFile]
) -> _PassStats:
    data: dict[str, Any] = json.loads(payload)
    for check_id, encoded in data["outputs"].items():
        outputs[check_id] = _decode_output(encoded)
    skipped.extend(
        SkippedFile(path=path, reason=Skip(reason), size=size)
        for path, reason, size in data["skipped"]
    )
    return _PassStats(from_cache=int(data["served"]), total=int(data["total"]))


def _new_state(bound: BoundCheck) -> FileCheckState:
    check = bound.check
    assert isinstance(check, FileCheck)
    failure = None
    try:
        selector = check.selector(bound.params)
    except Exception as exc:
        selector = FileSelector()
        failure = f"{check.id} could not say which files it wants: {describe(exc)}"
    return FileCheckState(
        check_id=check.id,
        check=check,
        params=bound.params,
        key=bound.cache_key(),
        selector=selector,
        failure=failure,
    )


_INDEX_SKIPS = {
    EntryKind.SYMLINK: Skip.SYMLINK,
    EntryKind.SUBMODULE: Skip.SUBMODULE,
    EntryKind.SPECIAL: Skip.SPECIAL,
}


def _candidates(
    entries: Sequence[FileEntry], limits: Limits, skipped: list[SkippedFile]
) -> list[FileEntry]:
    candidates = []
    for entry in entries:
        if entry.kind not in READABLE_KINDS:
            reason = _INDEX_SKIPS[entry.kind]
            skipped.append(SkippedFile(path=entry.path, reason=reason, size=entry.size))
        elif entry.size > limits.max_file_size:
            skipped.append(SkippedFile(path=entry.path, reason=Skip.TOO_LARGE, size=entry.size))
        else:
            candidates.append(entry)
    return candidates


def _may_be_script(entry: FileEntry) -> bool:
    return entry.language is None and "." not in posixpath.basename(entry.path)


@dataclass(kw_only=True)
class _PassStats:
    read: int = 0
    from_cache: int = 0
    bytes_read: int = 0
    wanted: int = 0  # distinct files some check wanted
    total: int = 0  # entries in the index


def _file_pass(
    snapshot: Snapshot,
    *,
    candidates: list[FileEntry],
    states: list[FileCheckState],
    cache: ResultCache,
    limits: Limits,
    time_limit: TimeLimit,
    skipped: list[SkippedFile],
    meanwhile: Callable[[], None],
) -> _PassStats:
    stats = _PassStats()
    live = [s for s in states if s.failure is None]
    wants_languages = any(s.selector.languages for s in live)
    for state in live:
        state.wanted = [
            e for e in candidates
            if state.selector.wants(e) or (wants_languages and _may_be_script(e))
        ]  # fmt: skip
        state.wanted_paths = {e.path for e in state.wanted}
        cached = (
            cache.lookup(state.key, (result_key(e) for e in state.wanted if e.blob_id))
            if state.key is not None
            else {}
        )
        for entry in state.wanted if cached else ():
            payload = cached.get(result_key(entry)) if entry.blob_id else None
            if payload is not None:
                state.results[entry.path] = decode_result(payload)
    wanted_paths = {e.path: e for s in live for e in s.wanted}
    stats.wanted = len(wanted_paths)
    known_skips = cache.skip_reasons(e.blob_id for e in wanted_paths.values() if e.blob_id)
    to_read: list[FileEntry] = []
    for entry in wanted_paths.values():
        reason = known_skips.get(entry.blob_id or "")
        if reason is not None:
            skipped.append(SkippedFile(path=entry.path, reason=Skip(reason), size=entry.size))
        elif any(entry.path in s.wanted_paths and entry.path not in s.results for s in live):
            to_read.append(entry)
        else:
            stats.from_cache += 1
    outcome = read_and_scan(
        snapshot,
        to_read,
        live,
        timeout_s=limits.check_timeout_s,
        time_limit=time_limit,
        parallel=limits.parallel,
        meanwhile=meanwhile,
    )
    stats.read, stats.bytes_read = outcome.read, outcome.bytes_read
    skipped.extend(outcome.skipped)
    cache.remember_skips(outcome.new_skips)
    return stats


def _summarize(
    state: FileCheckState,
    limits: Limits,
    time_limit: TimeLimit,
    outputs: dict[str, CheckOutput],
    failures: dict[str, str],
) -> None:
    check = state.check
    if state.failure is not None:
        failures[check.id] = state.failure
        state.new_payloads.clear()
        return
    started = time.perf_counter()
    output = _guarded(
        lambda: check.summarize(state.results, state.params),
        check_id=check.id,
        budget_s=limits.check_timeout_s - state.elapsed,
        limit_s=limits.check_timeout_s,
        time_limit=time_limit,
        failures=failures,
        failed="failed while summarizing",
    )
    state.elapsed += time.perf_counter() - started
    if output is not None:
        outputs[check.id] = output


def _guarded(
    call: Callable[[], CheckOutput],
    *,
    check_id: str,
    budget_s: float,
    limit_s: float,
    time_limit: TimeLimit,
    failures: dict[str, str],
    failed: str,
) -> CheckOutput | None:
    """``call()`` within ``budget_s`` (what is left of the check's ``limit_s``).

    A raise or a timeout is recorded as the check's failure.
    """
    try:
        with time_limit.budget(budget_s):
            output = call()
        if isinstance(output, CheckOutput):
            return output
        failures[check_id] = f"{check_id} returned {type(output).__name__}, not a CheckOutput"
    except CheckTimeout:
        failures[check_id] = f"{check_id} ran past its time limit of {limit_s:g} s"
    except Exception as exc:
        failures[check_id] = f"{check_id} {failed}: {describe(exc)}"
    return None


# What a check that runs a tool needs beyond the tool's own time limit (writing files).
_TOOL_MARGIN_S = 30.0


def product_budget(params: BaseModel, limits: Limits) -> float:
    """Time limit of a product check: the policy's, or more for a tool with its own limit.

    A check that runs an external tool (bandit, semgrep) says how long the tool may
    run in its ``timeout_s`` parameter; the engine must not stop it first.
    """
    tool_timeout = getattr(params, "timeout_s", None)
    if isinstance(tool_timeout, int | float) and not isinstance(tool_timeout, bool):
        return max(limits.check_timeout_s, float(tool_timeout) + _TOOL_MARGIN_S)
    return limits.check_timeout_s


def _run_product_check(
    snapshot: Snapshot,
    bound: BoundCheck,
    *,
    cache: ResultCache,
    limits: Limits,
    time_limit: TimeLimit,
    outputs: dict[str, CheckOutput],
    failures: dict[str, str],
) -> float:
    check = bound.check
    assert isinstance(check, ProductCheck)
    key = bound.cache_key()  # once: the salt (a tool's build, a host file) may change
    tree = snapshot.source.tree if check.cache_scope == "tree" and key is not None else None
    if tree is not None and key is not None:
        payload = cache.lookup(key, [tree]).get(tree)
        if payload is not None:
            outputs[check.id] = _decode_output(payload)
            return 0.0
    started = time.perf_counter()
    budget = product_budget(bound.params, limits)
    output = _guarded(
        lambda: check.run(snapshot, bound.params),
        check_id=check.id,
        budget_s=budget,
        limit_s=budget,
        time_limit=time_limit,
        failures=failures,
        failed="failed",
    )
    elapsed = time.perf_counter() - started
    if output is not None:
        outputs[check.id] = output
        if tree is not None and key is not None:
            cache.store(key, {tree: _encode_output(output)})
    return elapsed


def _run_record(
    bound: BoundCheck,
    elapsed: float,
    failure: str | None,
    outputs: Mapping[str, CheckOutput] | None = None,
) -> CheckRun:
    output = (outputs or {}).get(bound.check.id)
    return CheckRun(
        check_id=bound.check.id,
        version=bound.check.version,
        params_hash=params_hash(bound.params),
        status=CheckStatus.ERROR if failure else CheckStatus.OK,
        error=failure,
        duration_s=round(elapsed, 6),
        tool_versions=dict(output.tool_versions) if output else {},
    )


# Cache payloads of whole-check outputs: compact JSON.


def _encode_output(output: CheckOutput) -> str:
    return json.dumps(
        {
            "f": [f.model_dump(mode="json") for f in output.findings],
            "m": [m.model_dump(mode="json") for m in output.measures],
            "na": output.not_applicable,
            "t": dict(output.tool_versions),
            "o": {test: outcome.value for test, outcome in output.test_outcomes.items()},
        },
        separators=(",", ":"),
    )


def _decode_output(payload: str) -> CheckOutput:
    data: dict[str, Any] = json.loads(payload)
    return CheckOutput(
        findings=[Finding.model_validate(f) for f in data["f"]],
        measures=[Measure.model_validate(m) for m in data["m"]],
        not_applicable=data["na"],
        tool_versions=data["t"],
        test_outcomes={test: TestOutcome(o) for test, o in data.get("o", {}).items()},
    )
