"""Alembic environment of the audit store.

Assay runs migrations itself (``assay.store.migrate``) and hands over its open
connection in ``config.attributes["connection"]``, inside a transaction it owns.
Developers run ``alembic -c src/assay/store/alembic.ini revision …``; then the
database is ``sqlalchemy.url`` of that file or, when unset, Assay's default store.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from assay.store.engine import create_store_engine
from assay.store.schema import metadata
from assay.store.url import default_db_url


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


def _run_standalone() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or default_db_url()
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


connection = context.config.attributes.get("connection")
if isinstance(connection, Connection):
    _run(connection)
else:
    _run_standalone()
