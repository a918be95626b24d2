"""Schema migrations of the store, applied with Alembic from the package's own scripts.

No ``alembic.ini`` is read: the configuration is built here and Alembic runs on
the store's connection, inside one transaction that also holds a lock, so two
processes opening a new store at once do not both create the tables.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from assay.store.engine import WRITE

MIGRATIONS = Path(__file__).parent / "migrations"

# Key of the PostgreSQL advisory lock held while migrating ("assay" in ASCII).
_PG_LOCK_KEY = 0x6173736179


class MigrationError(Exception):
    """The store's schema cannot be brought to this version of Assay."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the store has no migration scripts"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; return (revision before, after)."""
    from alembic import command

    head = head_revision()
    before = current_revision(engine)
    if before == head:
        return before, head
    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        # Read again under the lock: another process may have migrated meanwhile.
        before = MigrationContext.configure(connection).get_current_revision()
        _check_known(before)
        if before != head:
            command.upgrade(alembic_config(connection), "head")
    return before, head


def _check_known(revision: str | None) -> None:
    if revision is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError as exc:
        raise MigrationError(
            f"the schema is at revision '{revision}', which this version of Assay does not know"
        ) from exc
