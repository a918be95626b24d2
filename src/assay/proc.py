"""The one way Assay runs another program.

Argument lists only (never a shell string), a timeout, and a missing executable
turned into an ordinary failed result instead of an exception.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MISSING_EXECUTABLE = 127
TIMED_OUT = 124


@dataclass(frozen=True, kw_only=True, slots=True)
class ProcResult:
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", "replace").strip()


def run(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> ProcResult:
    """Run ``args`` and return its exit code and output; never raises for the tool's failure.

    The program runs in a session of its own, so that on a timeout (or when the
    audit is interrupted) the whole group goes, helpers it started included
    (semgrep starts ``semgrep-core``).
    """
    full_env = {**os.environ, **(env or {})}
    try:
        # An argument list, never a shell; what runs is the caller's fixed tool.
        process = subprocess.Popen(  # noqa: S603
            list(args),
            cwd=cwd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
            start_new_session=True,
        )
    except FileNotFoundError:
        return ProcResult(
            returncode=MISSING_EXECUTABLE,
            stdout=b"",
            stderr=f"executable not found: {args[0]}".encode(),
        )
    with process:
        try:
            stdout, stderr = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            return ProcResult(
                returncode=TIMED_OUT,
                stdout=b"",
                stderr=f"{args[0]} timed out after {timeout:g} s".encode(),
            )
        except BaseException:  # the audit's own time limit, or Ctrl-C: leave nothing behind
            _kill_group(process)
            raise
    return ProcResult(returncode=process.returncode, stdout=stdout, stderr=stderr)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()
