"""The audit store: save audits in one transaction each, read history and audits back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.exc import SQLAlchemyError

from assay.errors import StoreError
from assay.model import Audit, VerdictStatus
from assay.store import migrate as migrations
from assay.store.engine import OPEN_HINT, WRITE, create_store_engine, describe
from assay.store.rows import AuditRow, Row, audit_row, audit_rows
from assay.store.schema import audits, findings, measures, products, verdicts
from assay.store.url import default_db_url, display_url

MIN_PREFIX = 6
MAX_CANDIDATES = 10
HISTORY_HINT = "`assay history` lists stored audits"


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open the store at ``url`` (default: :func:`default_db_url`), migrated to the newest schema.

    With ``migrate=False`` the schema is left as found, for ``assay db upgrade`` to
    report the revision it started from.
    """
    store = Store(create_store_engine(url or default_db_url()))
    try:
        with store._failure("cannot open the audit store", hint=OPEN_HINT):
            migrations.current_revision(store.engine)
        if migrate:
            store.upgrade()
    except BaseException:
        store.close()
        raise
    return store


class Store:
    """A database of audits. Open it with :func:`open_store`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # How messages name the database: a SQLite file by its path, others without password.
        self.location = display_url(engine.url)

    @property
    def engine(self) -> Engine:
        return self._engine

    def revision(self) -> str | None:
        """The schema revision of the database; None before the first migration."""
        with self._failure("cannot read the audit store"):
            return migrations.current_revision(self._engine)

    def upgrade(self) -> tuple[str | None, str]:
        """Apply pending migrations; return the revision before and after."""
        with self._failure("cannot migrate the audit store"):
            try:
                return migrations.upgrade(self._engine)
            except migrations.MigrationError as exc:
                raise StoreError(
                    f"cannot migrate the audit store {self.location}: {exc}",
                    hint="a newer version of Assay wrote this store; upgrade Assay",
                ) from exc

    def save(self, audit: Audit) -> None:
        """Write the audit and its rows in one transaction; an id already stored is left as is."""
        rows = audit_rows(audit)
        with (
            self._failure(f"cannot save audit {audit.id} to"),
            self._engine.connect().execution_options(**WRITE) as connection,
            connection.begin() as transaction,
        ):
            if _audit_exists(connection, audit.id):
                return
            _upsert_product(connection, rows.product)
            if not _insert_audit(connection, rows.audit):
                transaction.rollback()  # saved by another process meanwhile
                return
            for table, batch in (
                (verdicts, rows.verdicts),
                (findings, rows.findings),
                (measures, rows.measures),
            ):
                _insert_many(connection, table, batch)

    def history(self, product: str | None = None, limit: int = 50) -> list[AuditRow]:
        """Stored audits, newest first, of one product or all."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        counts = [audits.c[status.value] for status in VerdictStatus]
        query = (
            select(
                audits.c.id,
                audits.c.product,
                audits.c.started_at,
                audits.c.commit,
                audits.c.policy_hash,
                audits.c.score,
                *counts,
                audits.c.failed_enforced,
                audits.c.duration_s,
            )
            .order_by(audits.c.started_at.desc(), audits.c.id.desc())
            .limit(limit)
        )
        if product is not None:
            query = query.where(audits.c.product == product)
        with self._failure("cannot read the audit store"), self._engine.connect() as connection:
            return [audit_row(row) for row in connection.execute(query).mappings()]

    def recent(self, product: str, limit: int = 50) -> list[Audit]:
        """The product's ``limit`` most recent audits, whole, newest first."""
        query = (
            select(audits.c.document)
            .where(audits.c.product == product)
            .order_by(audits.c.started_at.desc(), audits.c.id.desc())
            .limit(limit)
        )
        with self._failure("cannot read the audit store"), self._engine.connect() as connection:
            documents = list(connection.execute(query).scalars())
        try:
            return [Audit.model_validate_json(document) for document in documents]
        except ValidationError as exc:
            raise StoreError(f"a stored audit of {product!r} cannot be read: {exc}") from None

    def load(self, audit_id: str) -> Audit:
        """The audit with this id, or with this unique prefix of at least 6 characters."""
        with self._failure("cannot read the audit store"), self._engine.connect() as connection:
            document = connection.execute(
                select(audits.c.document).where(audits.c.id == audit_id)
            ).scalar_one_or_none()
            if document is None:
                document = self._by_prefix(connection, audit_id)
        try:
            return Audit.model_validate_json(document)
        except ValidationError as exc:
            raise StoreError(
                f"audit {audit_id} in {self.location} cannot be read: {exc.errors()[0]['msg']}",
                hint="it was written by an incompatible version of Assay",
            ) from exc

    def products(self) -> list[str]:
        """Names of the products that have audits, sorted."""
        query = select(products.c.name).order_by(products.c.name)
        with self._failure("cannot read the audit store"), self._engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _failure(self, what: str, *, hint: str | None = None) -> Iterator[None]:
        """Turn a database error into a StoreError: '<what> <database>: <cause>'."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"{what} {self.location}: {describe(exc)}", hint=hint) from exc

    def _by_prefix(self, connection: Connection, prefix: str) -> str:
        unknown = StoreError(f"no audit with id '{prefix}' in {self.location}", hint=HISTORY_HINT)
        if len(prefix) < MIN_PREFIX:
            raise unknown
        matches = connection.execute(
            select(audits.c.id)
            .where(audits.c.id.startswith(prefix, autoescape=True))
            .order_by(audits.c.id)
            .limit(MAX_CANDIDATES + 1)
        ).scalars()
        ids = list(matches)
        if not ids:
            raise unknown
        if len(ids) > 1:
            more = " and more" if len(ids) > MAX_CANDIDATES else ""
            raise StoreError(
                f"audit id prefix '{prefix}' is ambiguous in {self.location}: "
                f"it matches {', '.join(ids[:MAX_CANDIDATES])}{more}",
                hint="give more characters of the id",
            )
        query = select(audits.c.document).where(audits.c.id == ids[0])
        document: str = connection.execute(query).scalar_one()
        return document


def _insert_of(connection: Connection) -> Any:
    """The dialect's INSERT with ON CONFLICT; imported when used (PostgreSQL's pulls asyncio)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _audit_exists(connection: Connection, audit_id: str) -> bool:
    query = select(audits.c.id).where(audits.c.id == audit_id)
    return connection.execute(query).first() is not None


def _upsert_product(connection: Connection, row: Row) -> None:
    """Insert the product, or update it when this audit is at least as recent as the last."""
    insert = _insert_of(connection)(products).values(row)
    changed = {key: insert.excluded[key] for key in row if key != "name"}
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=[products.c.name],
            set_=changed,
            where=products.c.updated <= insert.excluded.updated,
        )
    )


def _insert_audit(connection: Connection, row: Row) -> bool:
    """Insert the audit row; False when a row with its id exists already."""
    insert = (
        _insert_of(connection)(audits)
        .values(row)
        .on_conflict_do_nothing(index_elements=[audits.c.id])
        .returning(audits.c.id)
    )
    return connection.execute(insert).first() is not None


def _insert_many(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(table.insert(), rows)
