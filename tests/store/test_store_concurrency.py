"""Several processes write to one store at once."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from assay.model import Audit
from assay.store import open_store

MakeAudit = Callable[..., Audit]
PER_PROCESS = 25


def save_all(url: str, documents: list[str], start: Barrier) -> None:
    """Child process: open the store (migrating it, racing the other) and save audits."""
    start.wait(timeout=60)
    with open_store(url) as store:
        for document in documents:
            store.save(Audit.model_validate_json(document))


@pytest.mark.slow
def test_two_processes_save_into_a_new_store(store_url: str, make_audit: MakeAudit) -> None:
    t0 = datetime(2025, 5, 1, tzinfo=UTC)
    batches = [
        [
            make_audit(
                audit_id=f"{worker:02x}{n:030x}",
                # Half the audits of both processes are of one product: its row is contended.
                product="shared" if n % 2 else f"product-{worker}",
                started_at=t0 + timedelta(minutes=n, seconds=worker),
            )
            for n in range(PER_PROCESS)
        ]
        for worker in (1, 2)
    ]
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    processes = [
        context.Process(
            target=save_all,
            args=(store_url, [audit.model_dump_json() for audit in batch], start),
        )
        for batch in batches
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)

    assert [process.exitcode for process in processes] == [0, 0]
    expected = {audit.id: audit for batch in batches for audit in batch}
    with open_store(store_url) as store:
        history = store.history(limit=1000)
        assert sorted(row.id for row in history) == sorted(expected)
        assert all(store.load(audit_id) == audit for audit_id, audit in expected.items())
        assert store.products() == ["product-1", "product-2", "shared"]


def test_sqlite_store_is_set_up_for_several_writers(tmp_path: Path) -> None:
    with open_store(f"{tmp_path}/assay.sqlite3") as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
