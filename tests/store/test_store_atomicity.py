"""A save that fails midway leaves the store exactly as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from assay.errors import StoreError
from assay.model import Audit
from assay.store import Store
from assay.store.schema import audits, findings, measures, metadata, verdicts

MakeAudit = Callable[..., Audit]
LATER = datetime(2025, 4, 1, tzinfo=UTC)


@contextmanager
def failing_findings_insert(engine: Engine, error: Exception) -> Iterator[list[str]]:
    """Raise ``error`` when the findings are inserted; yield the tables written before."""
    written: list[str] = []

    def before_execute(
        _conn: object, _cursor: object, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if statement.startswith("INSERT INTO"):
            table = statement.split()[2]
            if table == "findings":
                raise error
            written.append(table)

    event.listen(engine, "before_cursor_execute", before_execute)
    try:
        yield written
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every store table."""
    with store.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in metadata.sorted_tables
        }


def rows_of(store: Store, audit_id: str) -> dict[str, int]:
    with store.engine.connect() as connection:
        counted = {
            table.name: connection.execute(
                select(func.count()).select_from(table).where(table.c.audit_id == audit_id)
            ).scalar_one()
            for table in (verdicts, findings, measures)
        }
        counted["audits"] = connection.execute(
            select(func.count()).select_from(audits).where(audits.c.id == audit_id)
        ).scalar_one()
    return counted


@pytest.mark.parametrize(
    ("product", "team"),
    [("billing", "someone-else"), ("ledger", "ledger-team")],
    ids=["known-product", "new-product"],
)
def test_failed_save_rolls_everything_back(
    store: Store, make_audit: MakeAudit, product: str, team: str
) -> None:
    earlier = make_audit(audit_id="e0e0e0e0e0", product="billing")
    store.save(earlier)
    before = snapshot(store)
    doomed = make_audit(audit_id="d0d0d0d0d0", product=product, team=team, started_at=LATER)
    dbapi_error = store.engine.dialect.loaded_dbapi.OperationalError("simulated disk failure")

    with (
        failing_findings_insert(store.engine, dbapi_error) as written,
        pytest.raises(StoreError) as error,
    ):
        store.save(doomed)

    assert written == ["products", "audits", "verdicts"]
    assert error.value.message == (
        f"cannot save audit d0d0d0d0d0 to {store.location}: simulated disk failure"
    )
    assert rows_of(store, doomed.id) == {"audits": 0, "verdicts": 0, "findings": 0, "measures": 0}
    assert snapshot(store) == before
    assert store.products() == ["billing"]
    assert store.load(earlier.id) == earlier
    assert [row.id for row in store.history()] == [earlier.id]


def test_a_bug_midway_rolls_back_too(store: Store, make_audit: MakeAudit) -> None:
    doomed = make_audit(audit_id="d1d1d1d1d1")

    with (
        failing_findings_insert(store.engine, RuntimeError("bug")),
        pytest.raises(RuntimeError, match="bug"),
    ):
        store.save(doomed)

    assert snapshot(store) == {table.name: [] for table in metadata.sorted_tables}


def test_save_after_a_failure_succeeds(store: Store, make_audit: MakeAudit) -> None:
    audit = make_audit(audit_id="d2d2d2d2d2")
    dbapi_error = store.engine.dialect.loaded_dbapi.OperationalError("simulated disk failure")
    with failing_findings_insert(store.engine, dbapi_error), pytest.raises(StoreError):
        store.save(audit)

    store.save(audit)

    assert store.load(audit.id) == audit
    assert rows_of(store, audit.id) == {"audits": 1, "verdicts": 6, "findings": 2, "measures": 2}
