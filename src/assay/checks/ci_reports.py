"""Reports a product's CI wrote (tests, coverage), gathered for the checks that judge them.

Two sources, as for SARIF: files of the audited commit matching the ``files`` globs
(a report committed on purpose), and files on the host named in ``external``
(``assay audit --report FILE``, or a product's ``reports:`` globs in ``assay.yaml``,
resolved when the portfolio is read). A configured report that cannot be used —
missing, a symlink, over the size cap — is an error naming it, so the controls that
needed it get ``error``, never ``pass``.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import finding
from assay.model import EntryKind, Finding, Severity
from assay.reports import MAX_BYTES, ReportError
from assay.snapshot.base import READABLE_KINDS, Snapshot

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_ZONE_SLACK_S = 14 * 3600
_SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__"})


class ReportParams(BaseModel):
    """Where the reports are, how large they may be, and how old."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    files: list[str] = Field(default_factory=list, description="Globs of reports in the commit.")
    external: list[str] = Field(
        default_factory=list, description="Reports on the host (assay audit --report)."
    )
    max_size: int = Field(default=MAX_BYTES, ge=1, description="Largest report read, in bytes.")
    max_age_days: float | None = Field(
        default=None, gt=0, description="A report older than this is flagged as stale."
    )

    def configured(self) -> bool:
        return bool(self.files or self.external)


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportInput:
    source: str  # the path to show: a repository path, or the host path as given
    data: bytes


def gather(snapshot: Snapshot, params: ReportParams) -> list[ReportInput]:
    """Every configured report's bytes: those of the commit first, then the host's."""
    host = [_from_host(name, params) for name in params.external]
    return [*_from_commit(snapshot, params), *host]


def _from_commit(snapshot: Snapshot, params: ReportParams) -> list[ReportInput]:
    entries = [e for e in snapshot.entries
               if any(fnmatch.fnmatchcase(e.path, glob) for glob in params.files)]  # fmt: skip
    for entry in entries:
        if entry.kind not in READABLE_KINDS:
            what = "a symlink" if entry.kind == EntryKind.SYMLINK else f"a {entry.kind.value}"
            raise ReportError(entry.path, f"is {what}; it is not read")
        _check_size(entry.path, entry.size, params.max_size)
    found = {entry.path: data for entry, data in snapshot.read_blobs(entries)}
    for entry in entries:
        if entry.path not in found:
            raise ReportError(entry.path, "could not be read from the snapshot")
    return [ReportInput(source=path, data=found[path]) for path in sorted(found)]


def _from_host(name: str, params: ReportParams) -> ReportInput:
    data = _read_host(name, params.max_size + 1, limit=params.max_size)
    _check_size(name, len(data), params.max_size)
    return ReportInput(source=name, data=data)


def read_host_head(name: str, size: int) -> bytes:
    """The first ``size`` bytes of a report on the host, read as :func:`gather` reads it."""
    return _read_host(name, size, limit=None)


def _read_host(name: str, size: int, *, limit: int | None) -> bytes:
    """Up to ``size`` bytes of a regular file, never through a symlink, never blocking."""
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except FileNotFoundError:
        raise ReportError(name, "no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReportError(name, "is a symlink; it is not followed") from None
        raise ReportError(name, f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReportError(name, "is not a regular file")
        if limit is not None:
            _check_size(name, info.st_size, limit)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(size)
    except OSError as exc:
        raise ReportError(name, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _check_size(source: str, size: int, limit: int) -> None:
    if size > limit:
        raise ReportError(source, f"{size} bytes, more than the limit of {limit} bytes")


def host_reports(root: Path, globs: Sequence[str]) -> list[str]:
    """Files under ``root`` (a product's checkout) matching ``globs``, without following links.

    For ``reports:`` in ``assay.yaml``: reports written by CI into the checkout are not
    in the commit. Symlinks are never followed (a link to a file is listed, and then
    refused when read); version-control and dependency folders are not searched.
    """
    matched = [r for r in _walk(root) if any(fnmatch.fnmatchcase(r, g) for g in globs)]
    return [str(root / relative) for relative in sorted(matched)]


def _walk(root: Path) -> Iterator[str]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        yield from (prefix + name for name in sorted(files)
                    if _regular(os.path.join(folder, name)))  # fmt: skip


def _regular(path: str) -> bool:
    """A regular file itself: a symlink (to anything) or a pipe is not a report."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def stale_reason(
    timestamp: datetime | None, commit_time: int | None, max_age_days: float | None
) -> str | None:
    """Why a report written at ``timestamp`` cannot be evidence for the audited commit."""
    if timestamp is None:
        return None
    written = timestamp.astimezone(UTC)
    # Many tools write local time without an offset, read as UTC: a report is "before
    # the commit" only by more than the widest time-zone gap.
    if commit_time is not None and written.timestamp() < commit_time - _ZONE_SLACK_S:
        committed = datetime.fromtimestamp(commit_time, UTC)
        return f"written {_when(written)}, before the audited commit was made ({_when(committed)})"
    if max_age_days is not None:
        age_days = (datetime.now(UTC) - written).total_seconds() / 86_400
        if age_days > max_age_days:
            return f"written {_when(written)}, {age_days:.0f} days ago (limit {max_age_days:g})"
    return None


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def inputs_or_reason(
    snapshot: Snapshot, params: ReportParams, kind: str
) -> list[ReportInput] | str:
    """The configured reports' bytes, or why the check has nothing to judge."""
    if not params.configured():
        return f"no {kind} report configured (parameters files and external are empty)"
    inputs = gather(snapshot, params)
    if not inputs:
        return f"no file of the repository matches {', '.join(params.files)}"
    return inputs


def stale_findings(
    check_id: str,
    rule: str,
    reports: Iterable[tuple[str, datetime | None]],
    snapshot: Snapshot,
    max_age_days: float | None,
) -> list[Finding]:
    """One finding per report (source, timestamp) too old to be evidence about the commit."""
    history = snapshot.history()
    commit_time = history.last_commit_time() if history is not None else None
    return [
        finding(check_id, rule, f"{source} is stale: {reason}", severity=Severity.MEDIUM,
                key=source, properties={"report": source})
        for source, timestamp in reports
        if (reason := stale_reason(timestamp, commit_time, max_age_days))
    ]  # fmt: skip
