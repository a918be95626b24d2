"""Secrets in the whole history: every blob reachable from any ref, each scanned once.

A credential deleted in a later commit is still in every clone. This walks
``git log --all --raw``, which names each blob a commit added or changed and the
path it had there, reads each distinct blob once through ``git cat-file --batch``
and runs the ``secrets.scan`` rules over it. A finding then lists the commits and
paths where that blob appeared. Nothing is checked out and no git hook or filter
runs (the same hardened git options as every snapshot).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assay.checks.api import FileInput
from assay.checks.secrets import SecretsCheck, SecretsParams
from assay.errors import SnapshotError
from assay.model import EntryKind, FileEntry, Finding
from assay.scanning import prepare
from assay.snapshot.git import GitSnapshot, git
from assay.snapshot.language import language_from_name

_NULL_BLOB = "0" * 40


@dataclass(kw_only=True)
class BlobHistory:
    """Where one blob appeared: (commit, path) pairs, oldest first."""

    blob_id: str
    size: int
    places: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, slots=True)
class HistoryFinding:
    finding: Finding
    blob_id: str
    places: tuple[tuple[str, str], ...]  # (commit, path)


@dataclass(frozen=True, kw_only=True, slots=True)
class HistoryScan:
    blobs_seen: int
    blobs_scanned: int
    skipped: int  # binary, not UTF-8, or over the size limit
    findings: tuple[HistoryFinding, ...]


def blob_histories(root: Path) -> dict[str, BlobHistory]:
    """Every blob some commit on some ref added or changed, with where it appeared."""
    result = git(
        root, "log", "--all", "--reverse", "--no-show-signature", "--raw", "--no-abbrev",
        "-z", "--no-renames", "--format=%x00commit %H",
    )  # fmt: skip
    if not result.ok:
        raise SnapshotError(f"{root}: cannot read the history: {result.stderr_text()}")
    blobs: dict[str, BlobHistory] = {}
    for commit, path, blob_id, mode in _raw_records(result.stdout):
        if blob_id == _NULL_BLOB or mode not in ("100644", "100755"):
            continue  # deletions, symlinks and submodules carry no file content
        blobs.setdefault(blob_id, BlobHistory(blob_id=blob_id, size=0)).places.append(
            (commit, path)
        )
    return blobs


def _raw_records(output: bytes) -> Iterator[tuple[str, str, str, str]]:
    """(commit, path, new blob id, new mode) from ``git log --raw -z`` output."""
    fields = output.split(b"\0")
    commit = ""
    index = 0
    while index < len(fields):
        item = fields[index]
        index += 1
        text = item.strip(b"\n")
        if text.startswith(b"commit "):
            commit = text[7:].decode()
        elif text.startswith(b":"):
            # ":old_mode new_mode old_id new_id status" then the path as the next field
            meta = text[1:].decode().split()
            path = fields[index].decode("utf-8", "surrogateescape") if index < len(fields) else ""
            index += 1
            if len(meta) >= 4:
                yield commit, path, meta[3], meta[1]


def scan_history(
    root: Path, params: SecretsParams, *, max_file_size: int = 2 * 1024 * 1024
) -> HistoryScan:
    """Scan every distinct blob of the history once with the secrets rules."""
    blobs = blob_histories(root)
    snapshot = GitSnapshot(root)
    entries = _entries(root, blobs, max_file_size)
    check = SecretsCheck()
    found: list[HistoryFinding] = []
    scanned = skipped = 0
    try:
        for entry, data in snapshot.read_blobs(entries):
            prepared = prepare(entry, data)
            if not isinstance(prepared, FileInput):
                skipped += 1
                continue
            scanned += 1
            places = tuple(blobs[entry.blob_id or ""].places)
            for item in check.scan(prepared, params).findings:
                found.append(
                    HistoryFinding(finding=item, blob_id=entry.blob_id or "", places=places)
                )
    finally:
        snapshot.close()
    skipped += len(blobs) - len(entries)
    found.sort(key=lambda f: (f.places[0][1], f.finding.start_line or 0, f.finding.rule))
    return HistoryScan(
        blobs_seen=len(blobs), blobs_scanned=scanned, skipped=skipped, findings=tuple(found)
    )


def _entries(root: Path, blobs: dict[str, BlobHistory], max_file_size: int) -> list[FileEntry]:
    """One entry per blob, named by its first path; oversized blobs left out unread."""
    sizes = _blob_sizes(root, list(blobs))
    entries = []
    for blob_id, history in blobs.items():
        size = sizes.get(blob_id, 0)
        if size > max_file_size:
            continue
        path = history.places[0][1]
        entries.append(
            FileEntry(path=path, kind=EntryKind.FILE, blob_id=blob_id, size=size,
                      language=language_from_name(path))
        )  # fmt: skip
    return entries


def _blob_sizes(root: Path, blob_ids: list[str]) -> dict[str, int]:
    request = "".join(f"{blob_id}\n" for blob_id in blob_ids).encode()
    result = git(root, "cat-file", "--batch-check=%(objectname) %(objectsize)", stdin=request)
    sizes = {}
    for line in result.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes
