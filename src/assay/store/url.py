"""Where the audit store lives: the default location and how a location is written.

A location is a SQLAlchemy URL (``sqlite:///…``, ``postgresql+psycopg://…``) or a
plain filesystem path, which means a SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL

DB_FILE_NAME = "assay.sqlite3"


def default_db_url() -> str:
    """``$ASSAY_DB``, else ``assay.sqlite3`` in ``$ASSAY_HOME`` or the user data dir."""
    configured = os.environ.get("ASSAY_DB")
    if configured:
        return normalize_db_url(configured)
    home = os.environ.get("ASSAY_HOME") or platformdirs.user_data_dir("assay")
    return sqlite_url(Path(home) / DB_FILE_NAME)


def normalize_db_url(value: str) -> str:
    """A URL as given, or a plain path turned into the URL of a SQLite file."""
    if "://" in value:
        return value
    return sqlite_url(Path(value))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().absolute()}"


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):  # a URI filename; SQLite resolves it itself
        return None
    return Path(database)


def display_url(url: URL) -> str:
    """How a store is named in messages: a SQLite file by its path, others without password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    shown = URL.create(
        url.drivername,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query={key: value for key, value in url.query.items() if key != "password"},
    )
    return shown.render_as_string(hide_password=False)
