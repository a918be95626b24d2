"""The one subprocess wrapper: exit codes, missing programs, timeouts that leave nothing."""

from __future__ import annotations

import time
from pathlib import Path

from assay.proc import MISSING_EXECUTABLE, TIMED_OUT, ProcResult, run, start


def test_output_and_exit_code_come_back() -> None:
    assert run(["sh", "-c", "printf out; printf err >&2; exit 3"]) == ProcResult(
        returncode=3, stdout=b"out", stderr=b"err"
    )
    assert run(["cat"], stdin=b"fed").stdout == b"fed"


def test_a_missing_program_is_an_ordinary_result() -> None:
    assert run(["no-such-program-assay"]) == ProcResult(
        returncode=MISSING_EXECUTABLE, stdout=b"",
        stderr=b"executable not found: no-such-program-assay",
    )  # fmt: skip


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
    except FileNotFoundError:
        return False
    return "Z" not in state.split()[1]  # a zombie waits for its reaper, it no longer runs


def test_a_timeout_kills_the_program_and_what_it_started(tmp_path: Path) -> None:
    pidfile = tmp_path / "helper.pid"
    started = time.monotonic()
    result = run(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"], timeout=0.5)
    assert time.monotonic() - started < 10
    assert result == ProcResult(
        returncode=TIMED_OUT, stdout=b"", stderr=b"sh timed out after 0.5 s"
    )
    helper = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(helper)


def test_a_started_program_gives_what_run_gives() -> None:
    script = ["sh", "-c", "printf out; printf err >&2; exit 3"]
    assert start(script).result() == run(script)
    big = start(["sh", "-c", "head -c 300000 /dev/zero"])  # more than a pipe holds
    assert big.result().stdout == b"\0" * 300_000


def test_a_missing_program_started_is_an_ordinary_result() -> None:
    assert start(["no-such-program-assay"]).result() == run(["no-such-program-assay"])


def test_a_started_program_that_is_not_wanted_is_stopped(tmp_path: Path) -> None:
    pidfile = tmp_path / "helper.pid"
    started = time.monotonic()
    program = start(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"])
    deadline = time.monotonic() + 5
    while not pidfile.exists() or not pidfile.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    program.stop()
    program.stop()  # twice is harmless
    assert time.monotonic() - started < 10
    helper = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(helper)


def test_a_started_program_past_its_time_limit_is_stopped() -> None:
    started = time.monotonic()
    result = start(["sleep", "60"]).result(timeout=0.3)
    assert time.monotonic() - started < 10
    assert result == ProcResult(
        returncode=TIMED_OUT, stdout=b"", stderr=b"sleep timed out after 0.3 s"
    )
