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


class Started:
    """A program started by :func:`start`, running while its caller does other work.

    Its output goes to unnamed temporary files, not pipes, so it never waits for
    a reader; :meth:`result` collects it, :meth:`stop` ends it if it is not wanted.
    """

    def __init__(self, args: Sequence[str], *, env: Mapping[str, str] | None) -> None:
        import tempfile

        self._program = args[0]
        self._process: subprocess.Popen[bytes] | None = None
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result or stop)
        try:
            self._err = tempfile.TemporaryFile()  # noqa: SIM115
        except BaseException:
            self._out.close()
            raise
        try:
            # A missing executable leaves no process: result() reports it as run() does.
            with contextlib.suppress(FileNotFoundError):
                # An argument list, never a shell; what runs is the caller's fixed tool.
                self._process = subprocess.Popen(  # noqa: S603
                    list(args),
                    stdin=subprocess.DEVNULL,
                    stdout=self._out,
                    stderr=self._err,
                    env={**os.environ, **(env or {})},
                    start_new_session=True,
                )
        except BaseException:
            self._close_files()
            raise

    def result(self, timeout: float = 120.0) -> ProcResult:
        """Wait for the program (up to ``timeout``) and return what :func:`run` would."""
        process = self._process
        try:
            if process is None:
                message = f"executable not found: {self._program}".encode()
                return ProcResult(returncode=MISSING_EXECUTABLE, stdout=b"", stderr=message)
            try:
                returncode = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.stop()
                message = f"{self._program} timed out after {timeout:g} s".encode()
                return ProcResult(returncode=TIMED_OUT, stdout=b"", stderr=message)
            self._out.seek(0)
            self._err.seek(0)
            return ProcResult(returncode=returncode, stdout=self._out.read(),
                              stderr=self._err.read())  # fmt: skip
        except BaseException:
            self.stop()
            raise
        finally:
            self._close_files()

    def stop(self) -> None:
        """End the program (and anything it started) if it is still running."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.kill()
            process.wait()
        self._close_files()

    def _close_files(self) -> None:
        self._out.close()
        self._err.close()


def start(args: Sequence[str], *, env: Mapping[str, str] | None = None) -> Started:
    """Start ``args`` in the background; its result is collected later (or it is stopped)."""
    return Started(args, env=env)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()
