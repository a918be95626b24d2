"""Reading OSV records from JSON files, folders and OSV's per-ecosystem zip exports.

OSV publishes one ``all.zip`` per ecosystem holding one JSON document per
advisory. A zip is hostile input like any other: a member whose declared size is
over the per-record limit, or that inflates far more than JSON does (a zip
bomb), is skipped and reported without being inflated; an archive whose members
add up to more than the total limit is refused before anything is read (Python's
``zipfile`` never inflates past a member's declared size, so the declared sizes
are the real ones). A member that is not JSON, or not an OSV record, is reported
and skipped; the other records still load. A file that cannot be read at all
(missing, not a zip, truncated) raises :class:`LoadError` naming it, so that an
import never half-succeeds on a broken download.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assay.vulndb import VulnDBError
from assay.vulndb.osv import Record, RecordError, parse_record

MIB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"


class LoadError(VulnDBError):
    """A file given to import cannot be read at all; the message names it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadLimits:
    """Caps that keep a hostile file from exhausting memory or time."""

    # One JSON file, or one zip member, uncompressed.
    max_json_bytes: int = 64 * MIB
    # All JSON members of one zip together, uncompressed (OSV's largest export is far below).
    max_total_bytes: int = 8 * 1024 * MIB
    # JSON inflates about 5 to 20 times; a member inflating more than this is a bomb...
    max_ratio: int = 200
    # ... once it is big enough for that to matter.
    ratio_floor_bytes: int = 1 * MIB


@dataclass(frozen=True, kw_only=True, slots=True)
class Loaded:
    """A record and where it came from (``file`` or ``file, member name``)."""

    source: str
    record: Record


@dataclass(frozen=True, kw_only=True, slots=True)
class Skipped:
    """Something that was not loaded, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def load_paths(
    paths: Iterable[Path], *, limits: LoadLimits | None = None
) -> Iterator[Loaded | Skipped]:
    """Every record under ``paths`` (files, folders searched for ``*.json`` and ``*.zip``)."""
    chosen = limits or LoadLimits()
    for path in paths:
        if path.is_dir():
            for file in _files_under(path):
                yield from _load_file(file, chosen)
        elif path.is_file():
            yield from _load_file(path, chosen)
        else:
            raise LoadError(f"{path}: no such file or folder")


def _files_under(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):  # symlinked folders are not followed
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root) / name for name in sorted(files) if name.lower().endswith((".json", ".zip"))
        )
    return found


def _load_file(path: Path, limits: LoadLimits) -> Iterator[Loaded | Skipped]:
    try:
        with path.open("rb") as stream:
            magic = stream.read(len(_ZIP_MAGIC))
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if magic == _ZIP_MAGIC or path.suffix.lower() == ".zip":
        yield from _load_zip(path, limits)
    else:
        yield from _load_json_file(path, limits)


def _load_json_file(path: Path, limits: LoadLimits) -> Iterator[Loaded | Skipped]:
    size = path.stat().st_size
    if size > limits.max_json_bytes:
        yield Skipped(source=str(path), reason=_too_large(size, limits))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    yield from _records(str(path), data)


def _load_zip(path: Path, limits: LoadLimits) -> Iterator[Loaded | Skipped]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoadError(f"{path}: not a readable zip file ({exc})") from exc
    with archive:
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".json")]
        _check_total(path, members, limits)
        for member in members:
            source = f"{path}, member {member.filename}"
            refusal = _refusal(member, limits)
            if refusal is not None:
                yield Skipped(source=source, reason=refusal)
                continue
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                yield Skipped(source=source, reason=f"corrupt member ({exc})")
                continue
            except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown method
                yield Skipped(source=source, reason=f"cannot be inflated ({exc})")
                continue
            yield from _records(source, data)


def _check_total(path: Path, members: list[zipfile.ZipInfo], limits: LoadLimits) -> None:
    total = 0
    for member in members:
        total += member.file_size
        if total > limits.max_total_bytes:
            raise LoadError(
                f"{path}: refused as a zip bomb: its JSON members inflate to more than "
                f"{limits.max_total_bytes:,} bytes (the limit is crossed at member "
                f"{member.filename})"
            )


def _refusal(member: zipfile.ZipInfo, limits: LoadLimits) -> str | None:
    size = member.file_size
    if size > limits.max_json_bytes:
        return _too_large(size, limits)
    if size > limits.ratio_floor_bytes and size > member.compress_size * limits.max_ratio:
        ratio = size // max(member.compress_size, 1)
        return (
            f"refused as a zip bomb: {member.compress_size:,} bytes inflate to {size:,} "
            f"({ratio:,} times; JSON records inflate at most {limits.max_ratio} times)"
        )
    return None


def _too_large(size: int, limits: LoadLimits) -> str:
    return (
        f"not read: {size:,} bytes is over the {limits.max_json_bytes:,}-byte limit "
        "for one JSON document"
    )


def _records(source: str, data: bytes) -> Iterator[Loaded | Skipped]:
    try:
        document = json.loads(data)
    except RecursionError:
        yield Skipped(source=source, reason="not valid JSON: nested too deeply")
        return
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        yield Skipped(source=source, reason=f"not valid JSON: {exc}")
        return
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield _record(f"{source}, item {index}", item)
    else:
        yield _record(source, document)


def _record(source: str, item: object) -> Loaded | Skipped:
    try:
        return Loaded(source=source, record=parse_record(item))
    except RecordError as exc:
        return Skipped(source=source, reason=str(exc))
