"""Keeping the normalised licence corpus between runs, readable one licence at a time.

Building it from the SPDX texts takes about a second; an audit then needs only
the small sample index and the dozen licences a text resembles. The file holds
a header (ids, sample index, where each licence's record lies) and one record
per licence, each written with :mod:`marshal` as plain tuples, sets and strings
(never pickle: reading it cannot run code). Its name changes with the ``spdx``
package's data version and our own format version, so a stale file is never
read; any problem reading it means: build it again.
"""

from __future__ import annotations

import marshal
import os
import struct
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

FORMAT_VERSION = 4
_LENGTH = struct.Struct("<Q")


def corpus_path(data_version: str) -> Path:
    from assay.cache import cache_dir

    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in data_version)
    return cache_dir() / f"licence-corpus-{safe}-v{FORMAT_VERSION}.marshal"


class IndexedCorpus:
    """The header of a stored corpus, and its records read on demand."""

    def __init__(self, header: Any, data: bytes, start: int) -> None:
        self.header = header
        self._data = data
        self._start = start

    def record(self, offset: int, length: int) -> Any:
        begin = self._start + offset
        # Assay's own cache file, written below by this module in the user's cache folder.
        return marshal.loads(self._data[begin : begin + length])  # noqa: S302  # nosec B302


def write_indexed(path: Path, header: Any, records: Sequence[Any]) -> None:
    """Store ``records`` after ``header``; the header gets their (offset, length) list."""
    blobs = [marshal.dumps(record) for record in records]
    offsets, position = [], 0
    for blob in blobs:
        offsets.append((position, len(blob)))
        position += len(blob)
    head = marshal.dumps((header, offsets))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".licence-corpus-")
        with os.fdopen(handle, "wb") as out:
            out.write(_LENGTH.pack(len(head)))
            out.write(head)
            out.writelines(blobs)
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old or the new file
    except OSError:
        pass  # a read-only cache folder only costs the rebuild next time


def read_indexed(path: Path) -> tuple[Any, list[tuple[int, int]], IndexedCorpus] | None:
    """(header, record offsets, reader) of a stored corpus, or None if it cannot be used."""
    try:
        data = path.read_bytes()
        (head_length,) = _LENGTH.unpack_from(data)
        header, offsets = marshal.loads(  # noqa: S302  # nosec B302 (our own cache file)
            data[_LENGTH.size : _LENGTH.size + head_length]
        )
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None
    return header, offsets, IndexedCorpus(header, data, _LENGTH.size + head_length)


def load_or_build(
    path: Path, build: Callable[[], tuple[Any, Sequence[Any]]]
) -> tuple[Any, Callable[[int], Any]]:
    """The corpus header and a function giving record ``i``: from ``path``, or built and stored."""
    stored = read_indexed(path)
    if stored is not None:
        header, offsets, reader = stored
        return header, lambda index: reader.record(*offsets[index])
    header, records = build()
    write_indexed(path, header, records)
    return header, records.__getitem__
