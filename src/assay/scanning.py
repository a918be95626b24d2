"""The one pass over the bytes: read each wanted blob once and hand it to every file check.

A large cold pass is cut into chunks shared by forked worker processes (which
inherit the checks and the snapshot without pickling them) and this process, once
its own work is done (:mod:`assay.forking`); a worker reads through its own ``git
cat-file`` when it needs git at all. Results come back to this process, which
caches and summarises them exactly as after a pass in one process.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from assay import forking
from assay.checks.api import FileCheck, FileInput, FileResult, FileSelector
from assay.model import FileEntry, Finding, SkippedFile
from assay.model import SkipReason as Skip
from assay.snapshot.base import Snapshot
from assay.snapshot.language import language_from_shebang
from assay.timelimit import CheckTimeout, TimeLimit

BINARY_SNIFF_BYTES = 8000  # git's own heuristic: a NUL byte in the first 8000 bytes
# Files are handed to checks that scan many at once (``scan_many``) in batches this big.
BATCH_BYTES = 256 * 1024
BATCH_FILES = 256
# Below this many bytes to read, starting workers costs more than it saves.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
MAX_WORKERS = 4
_CHUNKS_PER_WORKER = 4
_WORKER_GRACE_S = 60.0


@dataclass(kw_only=True)
class FileCheckState:
    """One file check during a pass: what it wants, what it found, how long it took."""

    check_id: str
    check: FileCheck
    params: BaseModel
    key: str | None  # None: its results are not cached
    selector: FileSelector
    wanted: list[FileEntry] = field(default_factory=list)
    wanted_paths: set[str] = field(default_factory=set)
    results: dict[str, FileResult] = field(default_factory=dict)
    new_payloads: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    failure: str | None = None
    last_encoded: tuple[FileResult, str] | None = None


@dataclass(kw_only=True)
class ReadOutcome:
    read: int = 0
    bytes_read: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    new_skips: dict[str, str] = field(default_factory=dict)


def result_key(entry: FileEntry) -> str:
    """Cache key of one file's result: its content and its path.

    The path is part of it because findings name it and facts may depend on it (the
    language comes from the file name): the same blob under another name is another
    result. Renaming a file therefore costs one read of it.
    """
    path = entry.path
    if not path.isascii():
        # A path holding undecodable bytes (surrogate escapes) is stored byte for byte.
        path = path.encode("utf-8", "surrogateescape").decode("latin-1")
    return f"{entry.blob_id}:{path}"


def describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def prepare(entry: FileEntry, data: bytes) -> FileInput | Skip:
    """The file as checks receive it, or why it is skipped (binary, not UTF-8)."""
    if data.find(b"\0", 0, BINARY_SNIFF_BYTES) >= 0:
        return Skip.BINARY
    text = None
    if not data.isascii():  # ASCII is UTF-8 already; anything else must decode
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return Skip.UNDECODABLE
    language = entry.language
    if language is None and data.startswith(b"#!"):
        language = language_from_shebang(data.split(b"\n", 1)[0])
        if language is not None:
            entry = dataclasses.replace(entry, language=language)
    return FileInput(entry=entry, data=data, text=text, language=language)


def scan_one(
    state: FileCheckState, file_input: FileInput, timeout_s: float, time_limit: TimeLimit
) -> None:
    """Scan one file with one check, unless the check failed already or does not want it."""
    path = file_input.entry.path
    if state.failure is not None or path in state.results or path not in state.wanted_paths:
        return
    if not state.selector.wants(file_input.entry):
        return  # read only because it might have been a script; it was not for this check
    started = time.perf_counter()
    try:
        state.failure = _scan_and_keep(state, file_input, timeout_s, time_limit)
    finally:
        state.elapsed += time.perf_counter() - started


def _scan_and_keep(
    state: FileCheckState, file_input: FileInput, timeout_s: float, time_limit: TimeLimit
) -> str | None:
    """Run the scan and keep its result; the failure, in words, if there is one."""
    path = file_input.entry.path
    try:
        with time_limit.budget(timeout_s - state.elapsed):
            result = state.check.scan(file_input, state.params)
    except CheckTimeout:
        return f"{state.check_id} ran past its time limit of {timeout_s:g} s"
    except Exception as exc:
        return f"{state.check_id} failed on {path!r}: {describe(exc)}"
    return _keep(state, file_input, result)


def _keep(state: FileCheckState, file_input: FileInput, result: object) -> str | None:
    """Keep one file's result (and its cache payload); the failure, in words, if it is bad."""
    path = file_input.entry.path
    if not isinstance(result, FileResult):
        return f"{state.check_id} returned {type(result).__name__} for {path!r}, not a FileResult"
    try:
        payload = _payload(state, result) if file_input.entry.blob_id else None
    except (TypeError, ValueError) as exc:
        return f"{state.check_id} gave facts for {path!r} that are not JSON: {exc}"
    state.results[path] = result
    if payload is not None:
        state.new_payloads[result_key(file_input.entry)] = payload
    return None


def _payload(state: FileCheckState, result: FileResult) -> str:
    """The cache payload of ``result``; a check that returns one shared result for every
    clean file (results are frozen) gets it encoded once."""
    last = state.last_encoded
    if last is not None and last[0] is result:
        return last[1]
    payload = encode_result(result)
    state.last_encoded = (result, payload)
    return payload


def read_and_scan(
    snapshot: Snapshot,
    to_read: list[FileEntry],
    states: list[FileCheckState],
    *,
    timeout_s: float,
    time_limit: TimeLimit,
    parallel: bool,
    meanwhile: Callable[[], None] = lambda: None,
) -> ReadOutcome:
    """Read ``to_read`` once and scan each file with every live check that wants it.

    ``meanwhile`` is work for this process while workers scan (the product
    checks); it runs once, during or after the pass.
    """
    workers = _worker_count(to_read) if parallel else 1
    if workers > 1:
        outcome = _parallel(
            snapshot, to_read, states, timeout_s=timeout_s, workers=workers, meanwhile=meanwhile
        )
        if outcome is not None:
            return outcome
    outcome = _sequential(snapshot, to_read, states, timeout_s=timeout_s, time_limit=time_limit)
    meanwhile()
    return outcome


def _sequential(
    snapshot: Snapshot,
    to_read: list[FileEntry],
    states: list[FileCheckState],
    *,
    timeout_s: float,
    time_limit: TimeLimit,
) -> ReadOutcome:
    outcome = ReadOutcome()
    unread = {entry.path: entry for entry in to_read}
    batch: list[FileInput] = []
    batch_bytes = 0
    for entry, data in snapshot.read_blobs(to_read):
        unread.pop(entry.path, None)
        outcome.read += 1
        outcome.bytes_read += len(data)
        file_input = prepare(entry, data)
        if isinstance(file_input, Skip):
            outcome.skipped.append(SkippedFile(path=entry.path, reason=file_input, size=entry.size))
            if entry.blob_id:
                outcome.new_skips[entry.blob_id] = file_input.value
            continue
        batch.append(file_input)
        batch_bytes += len(data)
        if batch_bytes >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            _scan_batch(states, batch, timeout_s, time_limit)
            batch, batch_bytes = [], 0
    _scan_batch(states, batch, timeout_s, time_limit)
    # A file that vanished (or turned into a symlink) while being read is not yielded.
    outcome.skipped.extend(
        SkippedFile(path=e.path, reason=Skip.UNREADABLE, size=e.size) for e in unread.values()
    )
    return outcome


def _scan_batch(
    states: list[FileCheckState], batch: list[FileInput], timeout_s: float, time_limit: TimeLimit
) -> None:
    """Scan a batch of read files with every check: at once where the check can, else each."""
    for state in states:
        many = getattr(state.check, "scan_many", None)
        if many is None or len(batch) < 2:
            for file_input in batch:
                scan_one(state, file_input, timeout_s, time_limit)
            continue
        wanted = [f for f in batch if _wants(state, f)]
        if wanted:
            _scan_many(state, many, wanted, timeout_s, time_limit)


def _wants(state: FileCheckState, file_input: FileInput) -> bool:
    path = file_input.entry.path
    return (
        state.failure is None
        and path not in state.results
        and path in state.wanted_paths
        and state.selector.wants(file_input.entry)
    )


def _scan_many(
    state: FileCheckState,
    many: Callable[[Sequence[FileInput], BaseModel], Sequence[FileResult]],
    inputs: list[FileInput],
    timeout_s: float,
    time_limit: TimeLimit,
) -> None:
    """One call for many files; if it fails, each file again alone, so the failure names it."""
    started = time.perf_counter()
    try:
        with time_limit.budget(timeout_s - state.elapsed):
            results = many(inputs, state.params)
    except CheckTimeout:
        state.failure = f"{state.check_id} ran past its time limit of {timeout_s:g} s"
        return
    except Exception:
        results = None
    finally:
        state.elapsed += time.perf_counter() - started
    if results is None or len(results) != len(inputs):
        for file_input in inputs:
            scan_one(state, file_input, timeout_s, time_limit)
        return
    for file_input, result in zip(inputs, results, strict=True):
        state.failure = _keep(state, file_input, result)
        if state.failure is not None:
            return


def _worker_count(to_read: Sequence[FileEntry]) -> int:
    if sys.platform != "linux" or sum(e.size for e in to_read) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


# What one more file costs beyond its bytes (calls, lookups, a result), in bytes' worth.
_PER_FILE_COST = 8192


def _split(to_read: Sequence[FileEntry], parts: int) -> list[list[FileEntry]]:
    """Shares of about equal work: heaviest files first, each to the lightest share."""
    shares: list[list[FileEntry]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for entry in sorted(to_read, key=lambda e: e.size, reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest].append(entry)
        loads[lightest] += entry.size + _PER_FILE_COST
    return shares


@dataclass(kw_only=True)
class _ChunkResult:
    """What one chunk gave each check (in the order of the states), and what it read."""

    index: int
    outcome: ReadOutcome
    results: list[dict[str, FileResult]]
    payloads: list[dict[str, str]]
    elapsed: list[float]
    failures: list[str | None]


def _scan_chunk(
    snapshot: Snapshot,
    chunk: list[FileEntry],
    states: list[FileCheckState],
    timeout_s: float,
    index: int = 0,
) -> _ChunkResult:
    """Read and scan one chunk into fresh result maps, leaving the states' own as they were.

    The same code runs in a forked worker and in this process, so a chunk's results
    are always merged the same way (:func:`_merge`).
    """
    kept = [(s.results, s.new_payloads, s.elapsed) for s in states]
    for state in states:
        state.results, state.new_payloads = {}, {}
    try:
        with TimeLimit() as time_limit:
            outcome = _sequential(
                snapshot, chunk, states, timeout_s=timeout_s, time_limit=time_limit
            )
        return _ChunkResult(
            index=index,
            outcome=outcome,
            results=[s.results for s in states],
            payloads=[s.new_payloads for s in states],
            elapsed=[s.elapsed - elapsed for s, (_, _, elapsed) in zip(states, kept, strict=True)],
            failures=[s.failure for s in states],
        )
    finally:
        for state, (results, payloads, elapsed) in zip(states, kept, strict=True):
            state.results, state.new_payloads, state.elapsed = results, payloads, elapsed


def _parallel(
    snapshot: Snapshot,
    to_read: list[FileEntry],
    states: list[FileCheckState],
    *,
    timeout_s: float,
    workers: int,
    meanwhile: Callable[[], None],
) -> ReadOutcome | None:
    """The pass shared by forked workers and this process; None if no worker can be had.

    The files are cut into several chunks per process, taken in turn (see
    :mod:`assay.forking`): this process takes its part once ``meanwhile`` is done.
    """
    chunks = [c for c in _split(to_read, workers * _CHUNKS_PER_WORKER) if c]

    def start_worker() -> None:
        snapshot.detach()  # never share this process's git reader

    def work(index: int) -> _ChunkResult:
        try:
            return _scan_chunk(snapshot, chunks[index], states, timeout_s, index)
        finally:
            snapshot.close()  # a git reader is started again only if a later chunk needs one

    shared = forking.run_chunks(
        len(chunks),
        work,
        forks=workers - 1,
        start_worker=start_worker,
        meanwhile=meanwhile,
        # Each check stops at its own time limit; the wait for a lost worker has one too.
        deadline_s=timeout_s * max(1, len(states)) + _WORKER_GRACE_S,
    )
    if shared is None:
        return None
    outcome = ReadOutcome()
    # In chunk order, whichever process ran them: the same failure is reported first.
    for part in sorted(shared.parts, key=lambda p: p.index):
        _merge(part, states, outcome)
    for state in states:
        if shared.lost and state.failure is None:
            state.failure = (
                f"{state.check_id}: the pass over the files did not finish ({shared.lost[0]})"
            )
    return outcome


def _merge(part: _ChunkResult, states: list[FileCheckState], outcome: ReadOutcome) -> None:
    outcome.read += part.outcome.read
    outcome.bytes_read += part.outcome.bytes_read
    outcome.skipped.extend(part.outcome.skipped)
    outcome.new_skips.update(part.outcome.new_skips)
    for index, state in enumerate(states):
        state.results.update(part.results[index])
        state.new_payloads.update(part.payloads[index])
        state.elapsed += part.elapsed[index]  # a check's time is the sum over the chunks
        if state.failure is None and part.failures[index] is not None:
            state.failure = part.failures[index]


# Cache payloads of per-file results: compact JSON of findings and facts.


def encode_result(result: FileResult) -> str:
    if not result.findings:  # most files: skip building and encoding an outer dict
        return '{"f":[],"x":' + json.dumps(result.facts, separators=(",", ":")) + "}"
    return json.dumps(
        {"f": [f.model_dump(mode="json") for f in result.findings], "x": result.facts},
        separators=(",", ":"),
    )


def decode_result(payload: str) -> FileResult:
    data: dict[str, Any] = json.loads(payload)
    findings = tuple(Finding.model_validate(f) for f in data["f"])
    return FileResult(findings=findings, facts=data["x"])
