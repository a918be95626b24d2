"""Opening a database for the store: the engine, SQLite settings, readable errors."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from assay.errors import StoreError
from assay.store.url import display_url, normalize_db_url, sqlite_path

SUPPORTED = ("sqlite", "postgresql")
OPEN_HINT = "check --db / ASSAY_DB"
BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10

# Execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE = {"assay_write": True}


def create_store_engine(location: str) -> Engine:
    """An engine for a store URL or SQLite path; StoreError if it cannot be used."""
    url = _parse(normalize_db_url(location))
    backend = url.get_backend_name()
    if backend not in SUPPORTED:
        raise StoreError(
            f"cannot open the audit store {display_url(url)}: unsupported database "
            f"'{backend}' (Assay stores audits in SQLite or PostgreSQL)",
            hint=OPEN_HINT,
        )
    connect_args: dict[str, Any] = {}
    if backend == "postgresql" and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    _make_parent_dir(url)
    try:
        engine = create_engine(url, connect_args=connect_args)
    except ImportError as exc:
        raise StoreError(
            f"cannot open the audit store {display_url(url)}: the database driver "
            f"'{url.get_driver_name()}' is not installed",
            hint="for PostgreSQL use a postgresql+psycopg:// URL and install assay[postgres]",
        ) from exc
    except SQLAlchemyError as exc:
        raise open_error(url, exc) from exc
    if backend == "sqlite":
        _configure_sqlite(engine)
    return engine


def open_error(url: URL, exc: BaseException) -> StoreError:
    return StoreError(
        f"cannot open the audit store {display_url(url)}: {describe(exc)}", hint=OPEN_HINT
    )


def describe(exc: BaseException) -> str:
    """The cause of a database error in one line, without SQLAlchemy's boilerplate."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


def _parse(value: str) -> URL:
    try:
        return make_url(value)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(
            f"cannot open the audit store: '{_without_password(value)}' is not a database URL",
            hint=OPEN_HINT,
        ) from exc


def _without_password(value: str) -> str:
    """A malformed URL shown without what looks like a password (user:password@host)."""
    scheme, sep, rest = value.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not (sep and at):
        return value
    return f"{scheme}://{credentials.partition(':')[0]}@{host}"


def _make_parent_dir(url: URL) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise open_error(url, exc) from exc


def _configure_sqlite(engine: Engine) -> None:
    """WAL and a busy timeout so several processes can write; explicit BEGINs.

    pysqlite's own transaction handling is turned off so that a write transaction
    can begin with ``BEGIN IMMEDIATE``: it takes the write lock (waiting up to the
    busy timeout) before reading, so two writers never deadlock on a lock upgrade.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            _enable_wal(cursor)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("assay_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    """Switch a database to WAL (a lasting setting of the file) unless it is already.

    SQLite does not wait on the busy timeout while switching, so two processes
    opening a new store at once retry here instead.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone() != ("wal",):
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
