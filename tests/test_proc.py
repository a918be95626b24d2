"""The one subprocess wrapper: exit codes, missing programs, timeouts that leave nothing."""

from __future__ import annotations

import time
from pathlib import Path

from assay.proc import MISSING_EXECUTABLE, TIMED_OUT, ProcResult, run


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
