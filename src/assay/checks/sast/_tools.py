"""Finding and running an external analyzer, and reading what it wrote.

Where a tool is looked for, in order:

1. ``ASSAY_TOOL_PATH``, when set: a ``PATH``-like list of folders searched *instead of*
   everything below. Operators use it to pin the analyzers an audit may run; tests use
   it (with an empty folder) to see how an audit behaves without them.
2. ``PATH``.
3. The folder of the running interpreter (``sys.executable``, not resolved): Assay
   installed in a virtual environment with ``pip install 'assay[python]'`` finds the
   bandit and ruff installed beside it even when that environment is not activated.

A missing tool raises :class:`ToolError` with the install hint; the engine turns it
into the verdict ``error``. Every run goes through :func:`assay.proc.run` (argument
list, timeout); an unexpected exit code or output that is not JSON raises
:class:`ToolError` naming the tool and the first line of what it wrote on stderr.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from assay.errors import AssayError
from assay.proc import MISSING_EXECUTABLE, TIMED_OUT, ProcResult, run

TOOL_PATH_ENV = "ASSAY_TOOL_PATH"
PYTHON_EXTRA = "pip install 'assay[python]'"
VERSION_TIMEOUT_S = 60.0
_VERSION = re.compile(r"\d+(?:\.\d+)+\S*")


class ToolError(AssayError):
    """An external analyzer is missing, failed, or wrote something unreadable."""


def find_tool(name: str) -> Path | None:
    """The executable ``name`` by the lookup order of this module, or None."""
    override = os.environ.get(TOOL_PATH_ENV)
    if override is not None:
        found = shutil.which(name, path=override)
        return Path(found) if found else None
    found = shutil.which(name)
    if found is None:
        found = shutil.which(name, path=str(Path(sys.executable).parent))
    return Path(found) if found else None


def require_tool(name: str, install: str) -> Path:
    """The executable ``name``, or a :class:`ToolError` saying how to install it."""
    executable = find_tool(name)
    if executable is None:
        raise ToolError(not_installed(name, install))
    return executable


def tool_salt(name: str) -> str:
    """Which build of ``name`` an audit would run, without running it (for cache keys).

    The executable found, and the size and modification time of the file it is
    (symlinks followed): installing another version replaces that file, so cached
    results of the old one are not served. Running ``--version`` would cost a
    cached re-audit more than the audit itself.
    """
    executable = find_tool(name)
    if executable is None:
        return f"{name}: missing"
    try:
        status = executable.stat()
    except OSError:
        return f"{name}: {executable} unreadable"
    return f"{name}: {executable} {status.st_size} {status.st_mtime_ns}"


def not_installed(name: str, install: str) -> str:
    return f"{name} is not installed; install it with: {install}"


def tool_version(executable: Path, name: str, env: Mapping[str, str] | None = None) -> str:
    """The version ``<tool> --version`` reports (its first version-like word)."""
    result = run([str(executable), "--version"], timeout=VERSION_TIMEOUT_S, env=env)
    _raise_for_failure(result, name, ok_codes=(0,), timeout_s=VERSION_TIMEOUT_S)
    first = result.stdout.decode("utf-8", "replace").strip().splitlines()
    match = _VERSION.search(first[0]) if first else None
    if match is None:
        shown = first[0] if first else "nothing"
        raise ToolError(f"{name} --version printed no version: {shown}")
    return match.group(0)


def run_json(
    args: Sequence[str],
    *,
    name: str,
    cwd: Path,
    timeout_s: float,
    ok_codes: Collection[int],
    env: Mapping[str, str] | None = None,
) -> Any:
    """Run the tool and return the JSON document it wrote on stdout."""
    result = run(args, cwd=cwd, timeout=timeout_s, env=env)
    _raise_for_failure(result, name, ok_codes=ok_codes, timeout_s=timeout_s)
    try:
        return json.loads(result.stdout)
    except (ValueError, RecursionError) as exc:
        raise ToolError(
            f"{name} wrote output that is not JSON ({_short(exc)}): {first_line(result)}"
        ) from None


def first_line(result: ProcResult) -> str:
    """The first non-blank line the tool wrote on stderr, for error messages."""
    lines = result.stderr_text().splitlines()
    return lines[0].strip() if lines else "(nothing on stderr)"


def _raise_for_failure(
    result: ProcResult, name: str, *, ok_codes: Collection[int], timeout_s: float
) -> None:
    if result.returncode in ok_codes:
        return
    if result.returncode == MISSING_EXECUTABLE and result.stderr.startswith(b"executable not"):
        # Found a moment ago, gone now: the same outcome as never installed.
        raise ToolError(f"{name} is not installed (its executable vanished)")
    if result.returncode == TIMED_OUT and b"timed out after" in result.stderr:
        raise ToolError(f"{name} timed out after {timeout_s:g} s")
    raise ToolError(f"{name} exited with code {result.returncode}: {first_line(result)}")


def _short(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return type(exc).__name__
