"""Numbered chunks of work, taken in turn by forked workers and by this process.

Forked workers inherit everything the work needs (checks, snapshot, file lists)
without pickling it; only each worker's results travel back, pickled through a
pipe. Chunks are claimed one at a time from a shared counter, so a worker slowed
down by a busy core simply takes fewer, and this process joins in once its own
work (``meanwhile``) is done instead of waiting idle.

A worker that dies, raises or outlives the deadline is reported in ``lost``; its
chunks' results are missing, and the caller decides what that means (the file
pass makes the affected checks fail rather than pass on what it did not see).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle  # nosec B403 (only our own forked workers' results, through our own pipes)
import select
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_READ_SIZE = 1 << 20


@dataclass(kw_only=True)
class Shared(Generic[T]):
    """What the chunks gave back (in no particular order), and what became of lost workers."""

    parts: list[T] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class _Worker:
    pid: int
    fd: int


def run_chunks(
    count: int,
    work: Callable[[int], T],
    *,
    forks: int,
    start_worker: Callable[[], None],
    meanwhile: Callable[[], None],
    deadline_s: float,
) -> Shared[T] | None:
    """Run ``work(0..count-1)`` across ``forks`` forked workers and this process.

    ``start_worker`` runs once in each worker before its first chunk. None if not
    one worker could be forked: the caller then does the work itself.
    """
    counter = multiprocessing.get_context("fork").Value("i", 0)

    def claims() -> Iterator[int]:
        while True:
            with counter.get_lock():
                index = counter.value
                counter.value = index + 1
            if index >= count:
                return
            yield index

    def run_worker() -> list[T]:
        start_worker()
        return [work(index) for index in claims()]

    workers = _fork_workers(forks, run_worker)
    if not workers:
        return None
    shared: Shared[T] = Shared()
    try:
        meanwhile()
        shared.parts.extend(work(index) for index in claims())
        deadline = time.monotonic() + deadline_s
        for worker in list(workers):
            outcome = _receive(worker, deadline)
            workers.remove(worker)
            if isinstance(outcome, str):
                shared.lost.append(outcome)
            else:
                shared.parts.extend(outcome)
    finally:
        for worker in workers:  # only after an exception here: stop what is left
            _stop(worker)
    return shared


def _fork_workers(forks: int, run: Callable[[], list[Any]]) -> list[_Worker]:
    workers: list[_Worker] = []
    # Frozen, the objects the workers inherit are never visited by their garbage
    # collector, so its passes do not copy every page they share with this process.
    gc.freeze()
    try:
        for _ in range(forks):
            read_end, write_end = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(read_end)
                os.close(write_end)
                break  # fewer workers than hoped: the ones started still share the work
            if pid == 0:
                os.close(read_end)
                _be_worker(write_end, run)  # never returns
            os.close(write_end)
            workers.append(_Worker(pid=pid, fd=read_end))
    finally:
        gc.unfreeze()
    return workers


def _be_worker(fd: int, run: Callable[[], list[Any]]) -> None:
    """The whole life of a forked worker: run, send the results back, and exit."""
    status = 0
    try:
        try:
            message: tuple[str, Any] = ("done", run())
        except BaseException as exc:  # everything goes back to the parent
            message = ("failed", f"{type(exc).__name__}: {exc}")
            status = 1
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:  # a worker must never return into the parent's code
        status = 2
    finally:
        os._exit(status)


def _receive(worker: _Worker, deadline: float) -> list[Any] | str:
    """A worker's results, or why there are none (it failed, died, or ran out of time)."""
    received: list[bytes] = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(worker)
                return f"worker {worker.pid} did not finish in time"
            ready, _, _ = select.select([worker.fd], [], [], remaining)
            if not ready:
                continue
            data = os.read(worker.fd, _READ_SIZE)
            if not data:
                break
            received.append(data)
    finally:
        os.close(worker.fd)
    _, status = os.waitpid(worker.pid, 0)
    try:
        kind, payload = pickle.loads(b"".join(received))  # noqa: S301  # nosec B301 (our worker)
    except Exception:  # a worker that died mid-write left a torn message
        return f"worker {worker.pid} was lost ({_ending(status)})"
    return payload if kind == "done" else f"worker {worker.pid} failed: {payload}"


def _ending(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(worker.pid, 0)


def _stop(worker: _Worker) -> None:
    _kill(worker)
    with contextlib.suppress(OSError):
        os.close(worker.fd)
