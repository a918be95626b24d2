"""The SQLite index: where it lives, imports and their updates, status, freshness."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from vulndb_helpers import affected, build, component, outcomes, record, span, write_zip

from assay.deps.model import Ecosystem
from assay.vulndb import DatabaseMissingError, DatabaseStaleError, VulnDBError
from assay.vulndb.index import (
    EcosystemStatus,
    ImportReport,
    Status,
    VulnIndex,
    default_path,
    require_fresh,
)
from assay.vulndb.load import LoadError, Skipped, load_paths

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
PYPI = affected("PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "2.0")))
NPM = affected("npm", "lib", span("SEMVER", ("introduced", "0"), ("fixed", "1.0.0")))


def test_default_path_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ASSAY_VULNDB", raising=False)
    assert default_path() == tmp_path / "home" / "vulndb.sqlite3"
    monkeypatch.setenv("ASSAY_VULNDB", str(tmp_path / "elsewhere.db"))
    assert default_path() == tmp_path / "elsewhere.db"


def test_import_counts_and_status(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    report = build(db, [
        record("PYSEC-1", PYPI, modified="2024-05-02T00:00:00Z"),
        record("PYSEC-2", PYPI, modified="2024-05-03T10:00:00+02:00"),
        record("GHSA-1", PYPI, NPM, modified="2024-04-01T00:00:00Z"),
        record("GHSA-2", NPM, withdrawn="2024-05-01T00:00:00Z"),
        record("DSA-1", affected("Debian:12", "openssl")),
    ], now=NOW)  # fmt: skip
    assert report == ImportReport(
        added=5, withdrawn=1, unsupported={"Debian:12": 1}, ecosystems={"PyPI": 3, "npm": 2}
    )
    with VulnIndex.open_for_reading(db) as index:
        status = index.status()
    assert status == Status(
        path=db,
        ecosystems=(
            EcosystemStatus(ecosystem="npm", records=1, newest_modified="2024-04-01T00:00:00Z",
                            imported_at="2024-06-01T12:00:00Z"),
            EcosystemStatus(ecosystem="PyPI", records=3, newest_modified="2024-05-03T08:00:00Z",
                            imported_at="2024-06-01T12:00:00Z"),
        ),
        withdrawn=1,
    )  # fmt: skip
    assert status.ecosystems[0].age_days(NOW + timedelta(days=2, hours=12)) == 2.5


def test_reimport_keeps_the_newest_version_of_each_record(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    build(db, [record("PYSEC-1", PYPI), record("PYSEC-2", PYPI)])
    fixed_later = affected("PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "3.0")))
    report = build(db, [
        record("PYSEC-1", fixed_later, modified="2024-06-01T00:00:00Z"),  # newer: replaces
        record("PYSEC-2", fixed_later, modified="2024-01-01T00:00:00Z"),  # older: ignored
        record("PYSEC-3", fixed_later),
    ])  # fmt: skip
    assert (report.added, report.updated, report.unchanged, report.kept_newer) == (1, 1, 0, 1)
    assert outcomes(db, [component(Ecosystem.PYPI, "pkg", "2.5")]) == [
        ("pkg", "2.5", "PYSEC-1", "affected", "3.0", "3.0"),
        ("pkg", "2.5", "PYSEC-3", "affected", "3.0", "3.0"),
    ]
    again = build(db, [record("PYSEC-3", fixed_later)])
    assert (again.added, again.unchanged) == (0, 1)


def test_a_record_can_be_withdrawn_by_a_newer_version(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    build(db, [record("PYSEC-1", PYPI)])
    build(db, [record("PYSEC-1", PYPI, modified="2024-07-01T00:00:00Z",
                      withdrawn="2024-07-01T00:00:00Z")])  # fmt: skip
    assert outcomes(db, [component(Ecosystem.PYPI, "pkg", "1.0")]) == []


def test_a_failed_import_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    build(db, [record("PYSEC-1", PYPI)], now=NOW)
    good = write_zip(tmp_path / "good.zip", {"PYSEC-9.json": record("PYSEC-9", NPM)})
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[:30])
    with VulnIndex.open_for_import(db) as index, pytest.raises(LoadError):
        index.import_records(load_paths([good, truncated]), source="test")
    with VulnIndex.open_for_reading(db) as index:
        assert [e.ecosystem for e in index.status().ecosystems] == ["PyPI"]
    assert outcomes(db, [component(Ecosystem.NPM, "lib", "0.1.0")]) == []


def test_skipped_items_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "all.zip", {"a.json": "{", "b.json": record("PYSEC-1", PYPI)})
    with VulnIndex.open_for_import(tmp_path / "db") as index:
        report = index.import_records(load_paths([path]), source=str(path))
    assert report.skipped == (
        Skipped(source=f"{path}, member a.json",
                reason="not valid JSON: Expecting property name enclosed in double quotes: "
                "line 1 column 2 (char 1)"),
    )  # fmt: skip
    assert report.added == 1


def test_explicit_ecosystems_are_stamped_even_without_records(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    with VulnIndex.open_for_import(db) as index:
        index.import_records([], source="mirror", ecosystems=[Ecosystem.PUB], now=NOW)
        assert index.status().ecosystems == (
            EcosystemStatus(ecosystem="Pub", records=0, newest_modified=None,
                            imported_at="2024-06-01T12:00:00Z"),
        )  # fmt: skip


def test_opening_a_missing_database_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError) as caught:
        VulnIndex.open_for_reading(tmp_path / "none.sqlite3")
    assert str(caught.value) == (
        f"no vulnerability database at {tmp_path / 'none.sqlite3'}; run `assay vulndb update` "
        "(needs a network) or `assay vulndb import FILE...` with OSV exports "
        "(https://osv-vulnerabilities.storage.googleapis.com/<ECOSYSTEM>/all.zip)"
    )
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_file_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(VulnDBError) as caught:
        VulnIndex.open_for_reading(path)
    assert str(caught.value).startswith(
        f"{path} is not an Assay vulnerability database (file is not a database); delete it "
        "and import again: run `assay vulndb update`"
    )


def test_an_index_of_another_format_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    build(db, [record("PYSEC-1", PYPI)])
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    raw.close()
    with pytest.raises(VulnDBError) as caught:
        VulnIndex.open_for_reading(db)
    assert str(caught.value).startswith(
        f"{db} was written by another version of Assay (format 99, this one reads 1); delete it "
        "and import again:"
    )


def test_the_stored_package_document_is_plain_json(tmp_path: Path) -> None:
    db = tmp_path / "vulndb.sqlite3"
    build(db, [record("PYSEC-1", PYPI, aliases=["CVE-2024-1"], summary="Bad")])
    with sqlite3.connect(db) as raw:
        ((text, first),) = raw.execute("SELECT prepared, details_from FROM packages").fetchall()
        details = raw.execute("SELECT id, ecosystem, package, details FROM entry_details")
        assert details.fetchall() == [
            (first, "PyPI", "pkg", '["CVE-2024-1",["CVE-2024-1"],["PYSEC-1"],"Bad",[],"medium",'
             'null,"default (no severity in the record)",[[1,"2.0"]]]'),
        ]  # fmt: skip
    raw.close()
    assert json.loads(text) == {
        "native": "pypi",
        "orderings": {"pypi": {"heads": ["2.0"], "ties": {}, "invalid": []}},
        "records": ["PYSEC-1"],
        # Below 2.0 (position 0) entry 0 affects the version; from 2.0 on (1, 2) none does.
        "tables": {"pypi": {"starts": [0, 1], "offsets": [0, 1, 1], "members": [0],
                            "ranged": [0]}},
        "explicit_text": [],
        "unusable": [],
    }  # fmt: skip


def status_of(*entries: EcosystemStatus) -> Status:
    return Status(path=Path("/db.sqlite3"), ecosystems=entries, withdrawn=0)


def test_require_fresh() -> None:
    fresh = EcosystemStatus(ecosystem="PyPI", records=3, newest_modified=None,
                            imported_at="2024-06-01T00:00:00Z")  # fmt: skip
    old = EcosystemStatus(ecosystem="npm", records=3, newest_modified=None,
                          imported_at="2024-05-01T00:00:00Z")  # fmt: skip
    state = status_of(fresh, old)
    require_fresh(state, [Ecosystem.PYPI], max_age_days=7, now=NOW)
    require_fresh(state, [Ecosystem.NPM], max_age_days=40, now=NOW)
    with pytest.raises(DatabaseStaleError) as stale:
        require_fresh(state, [Ecosystem.PYPI, Ecosystem.NPM], max_age_days=7, now=NOW)
    assert str(stale.value) == (
        "the vulnerability database /db.sqlite3 is older than 7 days: npm imported "
        "2024-05-01T00:00:00Z (32 days ago); run `assay vulndb update` or import newer OSV "
        "exports"
    )
    with pytest.raises(DatabaseMissingError) as missing:
        require_fresh(state, [Ecosystem.NPM, Ecosystem.GO, Ecosystem.CARGO], max_age_days=7,
                      now=NOW)  # fmt: skip
    assert str(missing.value).startswith(
        "the vulnerability database /db.sqlite3 has never imported crates.io, Go, which the "
        "product uses; run `assay vulndb update`"
    )


def test_an_import_under_other_version_libraries_prepares_every_package_again(
    tmp_path: Path,
) -> None:
    db = tmp_path / "vulndb.sqlite3"
    build(db, [record("PYSEC-1", PYPI, summary="first"), record("GHSA-1", NPM, summary="npm")])
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = 'older libraries' WHERE key = 'semantics'")
        raw.execute("UPDATE packages SET prepared = '{}'")  # unusable if it were read
    raw.close()
    build(db, [record("PYSEC-2", PYPI, summary="second")])
    with sqlite3.connect(db) as raw:
        ((semantics,),) = raw.execute("SELECT value FROM meta WHERE key = 'semantics'")
        ids = raw.execute("SELECT id FROM entry_details ORDER BY id").fetchall()
    raw.close()
    assert semantics != "older libraries"
    assert len(ids) == 3
    assert outcomes(db, [component(Ecosystem.PYPI, "pkg", "1.0"),
                         component(Ecosystem.NPM, "lib", "0.5.0")]) == [
        ("pkg", "1.0", "PYSEC-1", "affected", "2.0", "2.0"),
        ("pkg", "1.0", "PYSEC-2", "affected", "2.0", "2.0"),
        ("lib", "0.5.0", "GHSA-1", "affected", "1.0.0", "1.0.0"),
    ]  # fmt: skip
