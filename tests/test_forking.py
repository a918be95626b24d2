"""Chunks of work shared by forked workers and this process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

from assay import forking

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def run(
    count: int, work: Callable[[int], tuple[int, int]], **options: object
) -> forking.Shared[tuple[int, int]] | None:
    settings: dict[str, object] = {
        "forks": 2, "start_worker": lambda: None, "meanwhile": lambda: None, "deadline_s": 30.0,
    }  # fmt: skip
    settings.update(options)
    return forking.run_chunks(count, work, **settings)  # type: ignore[arg-type]


def give_the_worker_a_head_start() -> None:
    time.sleep(0.5)  # this process's own work: the worker claims its first chunk meanwhile


def test_every_chunk_runs_once_and_this_process_takes_part() -> None:
    def work(index: int) -> tuple[int, int]:
        time.sleep(0.01)  # long enough that every process gets some chunks
        return index, os.getpid()

    shared = run(40, work)
    assert shared is not None
    assert shared.lost == []
    assert sorted(index for index, _ in shared.parts) == list(range(40))
    processes = {pid for _, pid in shared.parts}
    assert os.getpid() in processes
    assert len(processes) == 3


def test_meanwhile_runs_once_here_before_this_process_takes_chunks() -> None:
    calls: list[int] = []

    def work(index: int) -> tuple[int, int]:
        return index, os.getpid()

    shared = run(5, work, meanwhile=lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]
    assert shared is not None
    assert sorted(index for index, _ in shared.parts) == list(range(5))


def test_start_worker_runs_in_each_worker_only() -> None:
    parent = os.getpid()
    started: list[int] = []

    def work(index: int) -> tuple[int, int]:
        return index, len(started)  # 1 in a worker, 0 here

    shared = run(30, work, start_worker=lambda: started.append(os.getpid()))
    assert shared is not None
    assert started == []  # the workers' lists were their own copies
    assert {n for _, n in shared.parts} <= {0, 1}
    assert os.getpid() == parent


def test_a_worker_that_raises_is_reported_and_the_others_still_count() -> None:
    parent = os.getpid()

    def work(index: int) -> tuple[int, int]:
        if os.getpid() != parent:
            raise ValueError("cannot read this")
        return index, 0

    shared = run(6, work, forks=1, meanwhile=give_the_worker_a_head_start)
    assert shared is not None
    assert len(shared.lost) == 1
    assert shared.lost[0].startswith("worker ")
    assert shared.lost[0].endswith(" failed: ValueError: cannot read this")


def test_a_worker_that_dies_is_reported_as_lost() -> None:
    parent = os.getpid()

    def work(index: int) -> tuple[int, int]:
        if os.getpid() != parent:
            os._exit(9)
        time.sleep(0.01)
        return index, 0

    shared = run(6, work, forks=1, meanwhile=give_the_worker_a_head_start)
    assert shared is not None
    assert len(shared.lost) == 1
    assert shared.lost[0].endswith("was lost (exit code 9)")


def test_a_worker_past_the_deadline_is_stopped() -> None:
    parent = os.getpid()

    def work(index: int) -> tuple[int, int]:
        if os.getpid() != parent:
            time.sleep(60)
        return index, 0

    started = time.monotonic()
    shared = run(3, work, forks=1, deadline_s=0.5, meanwhile=give_the_worker_a_head_start)
    assert time.monotonic() - started < 30
    assert shared is not None
    assert len(shared.lost) == 1
    assert shared.lost[0].endswith("did not finish in time")


def test_no_worker_to_be_had_leaves_the_work_to_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert run(3, lambda i: (i, 0)) is None


def test_a_hung_worker_does_not_cost_the_others_their_results() -> None:
    parent = os.getpid()

    def work(index: int) -> tuple[int, int]:
        if index == 0 and os.getpid() != parent:
            time.sleep(60)  # this worker hangs on its first chunk
        return index, os.getpid()

    started = time.monotonic()
    shared = run(12, work, forks=2, deadline_s=2.0, meanwhile=give_the_worker_a_head_start)
    assert time.monotonic() - started < 30
    assert shared is not None
    assert len(shared.lost) == 1
    assert shared.lost[0].endswith("did not finish in time")
    assert sorted(index for index, _ in shared.parts) == list(range(1, 12))
