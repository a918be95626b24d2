"""The result cache: check outputs keyed by content, so unchanged files are never read again.

File checks are cached by (check id, check version, parameters hash, blob id);
product checks whose output depends only on the files by the same key with the
tree id in place of the blob id. Facts about a blob that decide whether it is
read at all (binary, undecodable) are cached by blob id alone.

The cache is a SQLite file in ``ASSAY_CACHE_DIR`` or the user cache folder
(``platformdirs.user_cache_dir("assay")``); ``assay cache clear`` empties it.
Deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    check_key TEXT NOT NULL,
    object_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (check_key, object_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blob_facts (
    blob_id TEXT PRIMARY KEY,
    skip_reason TEXT NOT NULL
) WITHOUT ROWID;
"""
_CHUNK = 500


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file beside it, so that a reader
    sees the old file or the new one, never half of one. False if it cannot be written
    (a read-only cache folder only costs rebuilding what it would have kept)."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def cache_dir() -> Path:
    configured = os.environ.get("ASSAY_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("assay"))


def _enable_wal(db: sqlite3.Connection) -> None:
    # Switching a new file to WAL ignores the busy timeout: processes that open the
    # cache at the same moment (portfolio workers) retry for a while instead.
    for _ in range(100):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.05)
    db.execute("PRAGMA journal_mode=WAL")


def open_default_cache(warn: Callable[[str], None] | None = None) -> ResultCache:
    """The user's result cache; without one (unwritable folder...) audits go on uncached."""
    path = cache_dir() / "results.sqlite3"
    try:
        return ResultCache(path)
    except (OSError, sqlite3.Error) as exc:
        message = f"warning: the result cache {path} cannot be used ({exc}); auditing without it"
        (warn or _to_stderr)(message)
        return ResultCache(None)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def check_key(check_id: str, version: str, params_hash: str) -> str:
    return f"{check_id}@{version}#{params_hash}~{environment_salt()}"


# Packages whose data or tables change results without any check's version changing:
# language detection (identify) and the licence texts (spdx); and Assay itself.
_SALTED_BY = ("assay", "identify", "spdx")


@functools.cache
def environment_salt() -> str:
    """A short hash of the versions every cached result depends on besides its check's."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in _SALTED_BY:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=?")
    return hashlib.sha256(";".join(parts).encode()).hexdigest()[:8]


class ResultCache:
    """Cached check results; ``None`` as the path gives a cache that remembers nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            _enable_wal(self._db)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        self._filled: set[str] = set()  # tables known to hold rows

    @classmethod
    def default(cls) -> ResultCache:
        return cls(cache_dir() / "results.sqlite3")

    def lookup(self, key: str, object_ids: Iterable[str]) -> dict[str, str]:
        """Payloads already stored for ``key``, by object id."""
        if not self._holds_rows("results"):
            return {}
        query = "SELECT object_id, payload FROM results WHERE check_key = ? AND object_id IN"
        return self._select_in(query, object_ids, key)

    def store(self, key: str, payloads: Mapping[str, str]) -> None:
        if self._db is None or not payloads:
            return
        with _Transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO results (check_key, object_id, payload) VALUES (?, ?, ?)",
                [(key, object_id, payload) for object_id, payload in payloads.items()],
            )

    def skip_reasons(self, blob_ids: Iterable[str]) -> dict[str, str]:
        if not self._holds_rows("blob_facts"):
            return {}
        query = "SELECT blob_id, skip_reason FROM blob_facts WHERE blob_id IN"
        return self._select_in(query, blob_ids)

    def _holds_rows(self, table: str) -> bool:
        """Whether ``table`` has any row: a new cache answers a first audit's lookups at once.

        Asked again until the answer is yes (another process may have written since).
        """
        if table not in self._filled and self._db is not None:
            # the table names are the two literals above, never input
            query = f"SELECT 1 FROM {table} LIMIT 1"  # noqa: S608  # nosec B608
            if self._db.execute(query).fetchone() is not None:
                self._filled.add(table)
        return table in self._filled

    def _select_in(self, query: str, ids: Iterable[str], *leading: str) -> dict[str, str]:
        """Run ``query ... IN (ids)`` in chunks (SQLite caps the number of parameters)."""
        if self._db is None:
            return {}
        unique = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))  # placeholders only: no value is spliced in
            found.update(self._db.execute(f"{query} ({marks})", [*leading, *chunk]))
        return found

    def remember_skips(self, reasons: Mapping[str, str]) -> None:
        if self._db is None or not reasons:
            return
        with _Transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO blob_facts (blob_id, skip_reason) VALUES (?, ?)",
                list(reasons.items()),
            )

    def clear(self) -> int:
        """Delete every cached entry; returns how many there were."""
        if self._db is None:
            return 0
        count = sum(
            # the table names are the two literals below, never input
            self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608  # nosec B608
            for table in ("results", "blob_facts")
        )
        with _Transaction(self._db):
            self._db.execute("DELETE FROM results")
            self._db.execute("DELETE FROM blob_facts")
        self._db.execute("VACUUM")
        return int(count)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
