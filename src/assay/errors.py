"""Exceptions users see, and the exit code each one maps to.

Each layer raises a subclass of :class:`AssayError`; the CLI turns them into
exit codes in one place (``assay.cli.main``). Anything else is a bug and exits 3.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in docs/cli.md."""

    CLEAN = 0
    NONCONFORMING = 1
    USAGE = 2
    INTERNAL = 3


class AssayError(Exception):
    """An error the user can act on; ``hint`` says how."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(AssayError):
    """A policy, portfolio or other configuration file is invalid."""


class SnapshotError(AssayError):
    """A product cannot be read: missing path, not a repository, unknown commit."""


class StoreError(AssayError):
    """The audit store cannot be opened or written."""
