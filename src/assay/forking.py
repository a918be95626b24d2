"""Numbered chunks of work, taken in turn by forked workers and by this process.

Forked workers inherit everything the work needs (checks, snapshot, file lists)
without pickling it; only each worker's results travel back, pickled through a
pipe. Chunks are claimed one at a time from a shared queue, so a worker slowed
down by a busy core simply takes fewer, and this process joins in once its own
work (``meanwhile``) is done instead of waiting idle.

A worker that dies, raises or outlives the deadline is reported in ``lost``; its
chunks' results are missing, and the caller decides what that means (the file
pass makes the affected checks fail rather than pass on what it did not see).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle  # nosec B403 (only our own forked workers' results, through our own pipes)
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_READ_SIZE = 1 << 20
_NUMBER = struct.Struct("<I")
# What a pipe surely holds (POSIX guarantees 512 bytes; Linux and macOS give 64 KiB
# by default, but keep to what every system gives).
_QUEUE_CAPACITY = 4096


@dataclass(kw_only=True)
class Shared(Generic[T]):
    """What the chunks gave back (in no particular order), and what became of lost workers."""

    parts: list[T] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class _Worker:
    pid: int
    fd: int
    reaped: bool = False  # waited for: its pid may now be another process's


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
    queue = _queue(count)

    def run_worker() -> list[T]:
        start_worker()
        return [work(index) for index in _claims(queue)]

    workers: list[_Worker] = []
    try:
        workers = _fork_workers(forks, run_worker)
        if not workers:
            return None
        shared: Shared[T] = Shared()
        meanwhile()
        shared.parts.extend(work(index) for index in _claims(queue))
        for outcome in _receive_all(workers, time.monotonic() + deadline_s):
            if isinstance(outcome, str):
                shared.lost.append(outcome)
            else:
                shared.parts.extend(outcome)
        workers = []
        return shared
    finally:
        os.close(queue)
        for worker in workers:  # only after an exception here: stop what is left
            _stop(worker)


def _queue(count: int) -> int:
    """A pipe holding the chunk numbers, to be read by every process; its read end.

    The write end is closed before any worker starts, so an emptied queue reads as
    the end of the file instead of waiting. Each claim reads one number's bytes, and
    a pipe never splits a read of bytes that are there: a number is taken once.
    """
    if count * _NUMBER.size > _QUEUE_CAPACITY:
        raise ValueError(f"{count} chunks do not fit the queue; cut the work coarser")
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"".join(_NUMBER.pack(index) for index in range(count)))
    finally:
        os.close(write_end)
    return read_end


def _claims(queue: int) -> Iterator[int]:
    while True:
        number = os.read(queue, _NUMBER.size)
        if len(number) < _NUMBER.size:
            return  # empty: every chunk is taken
        yield _NUMBER.unpack(number)[0]


def _fork_workers(forks: int, run: Callable[[], list[Any]]) -> list[_Worker]:
    workers: list[_Worker] = []
    # Frozen, the objects the workers inherit are never visited by their garbage
    # collector, so its passes do not copy every page they share with this process.
    gc.freeze()
    try:
        for _ in range(forks):
            worker = _fork_one(run)
            if worker is None:
                break  # fewer workers than hoped: the ones started still share the work
            workers.append(worker)
    except BaseException:
        for worker in workers:  # interrupted while starting them: none is left behind
            _stop(worker)
        raise
    finally:
        gc.unfreeze()
    return workers


def _fork_one(run: Callable[[], list[Any]]) -> _Worker | None:
    """A worker with the pipe its results come back through; None if none can be had."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        os.close(read_end)
        _be_worker(write_end, run)  # never returns
    os.close(write_end)
    return _Worker(pid=pid, fd=read_end)


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


def _receive_all(workers: list[_Worker], deadline: float) -> list[list[Any] | str]:
    """Each worker's results, or why there are none (it failed, died, or ran out of time).

    All pipes are watched at once, so a worker that hangs does not keep the others'
    finished results from being read; at the deadline, what is still running is
    stopped.
    """
    received: dict[int, list[bytes]] = {w.fd: [] for w in workers}
    by_fd = {w.fd: w for w in workers}
    poller = select.poll()
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    running = set(by_fd)
    while running:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        for fd, _ in poller.poll(max(1, int(remaining * 1000))):
            data = os.read(fd, _READ_SIZE)
            if data:
                received[fd].append(data)
            else:  # the end of the pipe: the worker has sent everything
                poller.unregister(fd)
                running.discard(fd)
    outcomes: list[list[Any] | str] = []
    for fd, worker in by_fd.items():
        if fd in running:
            _stop(worker)
            outcomes.append(f"worker {worker.pid} did not finish in time")
        else:
            _close(worker)
            outcomes.append(_outcome(worker, b"".join(received[fd])))
    return outcomes


def _outcome(worker: _Worker, message: bytes) -> list[Any] | str:
    _, status = os.waitpid(worker.pid, 0)
    worker.reaped = True
    try:
        kind, payload = pickle.loads(message)  # noqa: S301  # nosec B301 (our own worker)
    except Exception:  # a worker that died mid-write left a torn message
        return f"worker {worker.pid} was lost ({_ending(status)})"
    return payload if kind == "done" else f"worker {worker.pid} failed: {payload}"


def _ending(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def _kill(worker: _Worker) -> None:
    if worker.reaped:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(worker.pid, 0)
    worker.reaped = True


def _stop(worker: _Worker) -> None:
    _kill(worker)
    _close(worker)


def _close(worker: _Worker) -> None:
    if worker.fd >= 0:
        fd, worker.fd = worker.fd, -1  # never closed twice: the number may be reused
        with contextlib.suppress(OSError):
            os.close(fd)
