"""Schema migrations of the store, applied with Alembic from the package's own scripts.

No ``alembic.ini`` is read: the configuration is built here and Alembic runs on
the store's connection, inside one transaction that also holds a lock, so two
processes opening a new store at once do not both create the tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from assay.store.engine import WRITE

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# The newest migration. Checked against the scripts by a test; knowing it here lets an
# up-to-date store open without importing Alembic, which costs a CLI run ~0.2 s.
HEAD_REVISION = "0001"

# Key of the PostgreSQL advisory lock held while migrating ("assay" in ASCII).
_PG_LOCK_KEY = 0x6173736179


class MigrationError(Exception):
    """The store's schema cannot be brought to this version of Assay."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the store has no migration scripts"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _revision(connection)


def _revision(connection: Connection) -> str | None:
    # Alembic keeps the revision in one table; reading it directly avoids importing Alembic.
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; return (revision before, after).

    An empty database gets the newest schema straight from ``assay.store.schema``
    and the head revision stamped, as Alembic would leave it (a test proves both
    ways give the same schema); only an existing older schema needs the scripts.
    """
    before = current_revision(engine)
    if before == HEAD_REVISION:
        return before, HEAD_REVISION
    if before is None and _create_if_empty(engine):
        return None, HEAD_REVISION
    return upgrade_by_scripts(engine)


def _create_if_empty(engine: Engine) -> bool:
    """Create the newest schema in an empty database; False if it holds any table."""
    from assay.store.schema import metadata

    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        _lock(connection)
        if inspect(connection).get_table_names():
            return False
        metadata.create_all(connection)
        # Alembic's own bookkeeping table, as its scripts would create it.
        connection.execute(text(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        ))  # fmt: skip
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
            {"head": HEAD_REVISION},
        )
    return True


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def upgrade_by_scripts(engine: Engine) -> tuple[str | None, str]:
    """Run the Alembic migration scripts up to the head revision."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    with engine.connect().execution_options(**WRITE) as connection, connection.begin():
        _lock(connection)
        # Read again under the lock: another process may have migrated meanwhile.
        before = MigrationContext.configure(connection).get_current_revision()
        _check_known(before)
        if before != head:
            command.upgrade(alembic_config(connection), "head")
    return before, head


def _check_known(revision: str | None) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    if revision is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError as exc:
        raise MigrationError(
            f"the schema is at revision '{revision}', which this version of Assay does not know"
        ) from exc
