"""The Alembic migrations build exactly the tables of ``assay.store.schema``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import assay.store
from assay.errors import StoreError
from assay.model import Audit
from assay.store import open_store
from assay.store.migrate import alembic_config, head_revision, upgrade_by_scripts
from assay.store.schema import metadata

MakeAudit = Callable[..., Audit]
TABLES = ["alembic_version", "audits", "findings", "measures", "products", "verdicts"]


@pytest.mark.parametrize("way", ["scripts", "fresh"])
def test_migrations_create_the_schema_of_the_code(store_url: str, way: str) -> None:
    """The scripts, and the shortcut for an empty database, build the same schema."""
    with open_store(store_url, migrate=False) as store:
        if way == "scripts":
            assert upgrade_by_scripts(store.engine) == (None, "0001")
        else:
            assert store.upgrade() == (None, "0001")
        with store.engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert version == [("0001",)]
    with open_store(store_url) as store, store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
        indexes = {
            table: sorted(index["name"] or "" for index in inspect(connection).get_indexes(table))
            for table in ("audits", "verdicts", "findings", "measures")
        }
        tables = sorted(inspect(connection).get_table_names())

    assert differences == []
    assert tables == TABLES
    assert indexes == {
        "audits": ["ix_audits_product_started_at"],
        "verdicts": ["ix_verdicts_audit_id"],
        "findings": ["ix_findings_audit_id", "ix_findings_fingerprint"],
        "measures": ["ix_measures_audit_id"],
    }


def test_upgrade_reports_the_revisions(store_url: str) -> None:
    head = head_revision()
    with open_store(store_url, migrate=False) as store:
        assert store.revision() is None
        assert store.upgrade() == (None, head)
        assert store.upgrade() == (head, head)
    with open_store(store_url) as store:
        assert store.revision() == head
        assert head == "0001"


def test_opening_again_keeps_the_data(store_url: str, make_audit: MakeAudit) -> None:
    audit = make_audit()
    with open_store(store_url) as store:
        store.save(audit)
    with open_store(store_url) as store:
        assert store.load(audit.id) == audit


def test_downgrade_to_base_removes_the_tables(store_url: str) -> None:
    with open_store(store_url) as store, store.engine.connect() as connection:
        command.downgrade(alembic_config(connection), "base")
        connection.commit()
        assert inspect(connection).get_table_names() == ["alembic_version"]


def test_unknown_revision_is_refused(store_url: str) -> None:
    with open_store(store_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        location = store.location

    with pytest.raises(StoreError) as error:
        open_store(store_url)

    assert error.value.message == (
        f"cannot migrate the audit store {location}: the schema is at revision '9999', "
        "which this version of Assay does not know"
    )
    assert error.value.hint == "a newer version of Assay wrote this store; upgrade Assay"


def test_developer_alembic_ini_works(tmp_path: Path) -> None:
    """``alembic -c src/assay/store/alembic.ini`` migrates ASSAY_DB and finds no drift."""
    ini = Path(assay.store.__file__).parent / "alembic.ini"
    env = {**os.environ, "ASSAY_DB": str(tmp_path / "dev.sqlite3")}
    for args in (["upgrade", "head"], ["check"], ["current"]):
        result = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(ini), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert "0001 (head)" in result.stdout


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from assay.store.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
