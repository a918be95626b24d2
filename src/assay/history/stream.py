"""Run git and hand its output over as it comes, for outputs too large to hold twice.

``assay.proc.run`` collects the whole output before returning; a ``git log`` over a
long history is tens of megabytes, better parsed while git is still writing. This
keeps proc's rules: an argument list, git's hardened options and environment, a
session of its own so that a timeout (or an interrupted audit) kills the whole
process group, and git's failure turned into a clear error.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import tempfile
import threading
from collections.abc import Generator
from pathlib import Path

from assay.errors import SnapshotError
from assay.snapshot.git import GIT_ENV, git_args

CHUNK = 1 << 20
# The first bytes of git's error output are enough to say what went wrong.
_STDERR_LIMIT = 4096


def stream_git(root: Path, *args: str, timeout: float = 300.0) -> Generator[bytes, None, None]:
    """Yield git's standard output in chunks of up to ``CHUNK`` bytes.

    Raises SnapshotError (after the last chunk) when git fails or runs past
    ``timeout`` seconds; a consumer that stops early leaves no process behind.
    """
    with tempfile.TemporaryFile() as stderr:
        try:
            # An argument list, never a shell; the program is git with fixed options.
            process = subprocess.Popen(  # noqa: S603
                git_args(root, *args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env={**os.environ, **GIT_ENV},
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise SnapshotError("executable not found: git", hint="install git") from exc
        timed_out = threading.Event()

        def expire() -> None:
            if process.poll() is None:  # a reaped process's id may already be another's
                timed_out.set()
                _kill_group(process)

        timer = threading.Timer(timeout, expire)
        timer.daemon = True  # a reader dropped without being closed must not hold up exit
        timer.start()
        try:
            yield from _chunks(process)
            returncode = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:  # stopped early, or interrupted: leave nothing behind
                _kill_group(process)
            process.wait()
            assert process.stdout is not None
            process.stdout.close()
        if timed_out.is_set():
            raise SnapshotError(f"{root}: git {args[0]} timed out after {timeout:g} s")
        if returncode != 0:
            stderr.seek(0)
            detail = stderr.read(_STDERR_LIMIT).decode("utf-8", "replace").strip()
            raise SnapshotError(f"{root}: git {args[0]} failed: {detail or f'exit {returncode}'}")


def _chunks(process: subprocess.Popen[bytes]) -> Generator[bytes, None, None]:
    assert process.stdout is not None
    descriptor = process.stdout.fileno()
    # A pipe as large as a chunk lets git write the next chunk while this one is parsed.
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, CHUNK)
    while chunk := os.read(descriptor, CHUNK):
        yield chunk


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
