"""The one way Assay runs another program.

Argument lists only (never a shell string), a timeout, and a missing executable
turned into an ordinary failed result instead of an exception.
"""

from __future__ import annotations

import os
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
    """Run ``args`` and return its exit code and output; never raises for the tool's failure."""
    full_env = {**os.environ, **(env or {})}
    try:
        done = subprocess.run(
            list(args),
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            env=full_env,
            check=False,
        )
    except FileNotFoundError:
        return ProcResult(
            returncode=MISSING_EXECUTABLE,
            stdout=b"",
            stderr=f"executable not found: {args[0]}".encode(),
        )
    except subprocess.TimeoutExpired:
        return ProcResult(
            returncode=TIMED_OUT,
            stdout=b"",
            stderr=f"{args[0]} timed out after {timeout:g} s".encode(),
        )
    return ProcResult(returncode=done.returncode, stdout=done.stdout, stderr=done.stderr)
