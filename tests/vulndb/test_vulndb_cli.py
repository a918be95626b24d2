"""``assay vulndb import | update | status``, through the Typer app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner
from vulndb_helpers import affected, build, record, span, write_zip

from assay.cli.vulndb import register
from assay.vulndb import DatabaseMissingError, VulnDBError

PYPI = affected("PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "2.0")))
NPM = affected("npm", "lib", span("SEMVER", ("introduced", "0"), ("fixed", "1.0.0")))


# Two days ago, to the second, so that the age shows as 2.0 days.
IMPORTED = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)
STAMP = IMPORTED.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "vulndb.sqlite3"


def invoke(db: Path, *args: str) -> object:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Root, so that ``vulndb`` stays a sub-command."""

    runner = CliRunner(env={"ASSAY_VULNDB": str(db), "COLUMNS": "200", "NO_COLOR": "1"})
    return runner.invoke(app, ["vulndb", *args])


def test_import_files_and_zips(db: Path, tmp_path: Path) -> None:
    export = write_zip(tmp_path / "all.zip", {
        "PYSEC-1.json": record("PYSEC-1", PYPI),
        "GHSA-1.json": record("GHSA-1", NPM, affected("Debian:12", "lib")),
    })  # fmt: skip
    single = tmp_path / "one.json"
    single.write_text(json.dumps(record("PYSEC-2", PYPI, withdrawn="2024-05-02T00:00:00Z")))
    result = invoke(db, "import", str(export), str(single))
    assert (result.exit_code, result.stdout, result.stderr) == (  # type: ignore[attr-defined]
        0,
        f"{db}: 3 records read: 3 added, 0 updated, 0 unchanged, 0 older than the stored "
        "version (not imported); 1 withdrawn (never matched)\n"
        "records per ecosystem: PyPI 2, npm 1\n"
        "affected packages in ecosystems Assay does not audit (not matched): Debian:12 1\n",
        "",
    )


def test_import_with_bad_records_exits_1_and_names_them(db: Path, tmp_path: Path) -> None:
    export = write_zip(tmp_path / "all.zip", {
        "PYSEC-1.json": record("PYSEC-1", PYPI), "bad.json": "[1, 2", "esc.json": '{"id": 5}',
    })  # fmt: skip
    result = invoke(db, "import", str(export))
    assert (result.exit_code, result.stderr) == (  # type: ignore[attr-defined]
        1,
        "skipped 2 records:\n"
        f"  {export}, member bad.json: not valid JSON: Expecting ',' delimiter: line 1 column 6 "
        "(char 5)\n"
        f"  {export}, member esc.json: record is not valid OSV: id: Input should be a valid "
        "string; modified: Field required\n",
    )


def test_import_of_an_unreadable_file_raises_and_imports_nothing(db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "all.zip"
    broken.write_bytes(b"PK\x03\x04 truncated")
    result = invoke(db, "import", str(broken))
    assert isinstance(result.exception, VulnDBError)  # type: ignore[attr-defined]
    assert str(result.exception) == (  # type: ignore[attr-defined]
        f"{broken}: not a readable zip file (File is not a zip file)"
    )


def test_status_table_and_json(db: Path) -> None:
    build(db, [record("PYSEC-1", PYPI, modified="2024-05-02T00:00:00Z"),
               record("GHSA-1", NPM, withdrawn="2024-05-02T00:00:00Z")],
          now=IMPORTED)  # fmt: skip
    as_json = invoke(db, "status", "--format", "json")
    assert as_json.exit_code == 0  # type: ignore[attr-defined]
    document = json.loads(as_json.stdout)  # type: ignore[attr-defined]
    assert [entry.pop("age_days") for entry in document["ecosystems"]] == [2.0, 2.0]
    # The withdrawn npm record counts for the import's date, not among the records.
    assert document == {
        "path": str(db),
        "ecosystems": [
            {"ecosystem": "npm", "records": 0, "newest_modified": None,
             "imported_at": STAMP},
            {"ecosystem": "PyPI", "records": 1, "newest_modified": "2024-05-02T00:00:00Z",
             "imported_at": STAMP},
        ],
        "withdrawn": 1,
    }  # fmt: skip
    table = invoke(db, "status")
    assert table.exit_code == 0  # type: ignore[attr-defined]
    text = table.stdout.replace(STAMP, "IMPORTED-AT         ")  # type: ignore[attr-defined]
    title = f"Vulnerability database {db}"
    assert [line.strip() for line in text.splitlines()] == [
        title,
        "┏━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┓",
        "┃ Ecosystem ┃ Records ┃ Newest record        ┃ Imported at          ┃ Age      ┃",
        "┡━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━┩",
        "│ npm       │       0 │ -                    │ IMPORTED-AT          │ 2.0 days │",
        "│ PyPI      │       1 │ 2024-05-02T00:00:00Z │ IMPORTED-AT          │ 2.0 days │",
        "└───────────┴─────────┴──────────────────────┴──────────────────────┴──────────┘",
        "1 withdrawn records (never matched)",
    ]


def test_status_without_a_database_is_an_error_with_the_fix(db: Path) -> None:
    result = invoke(db, "status")
    assert isinstance(result.exception, DatabaseMissingError)  # type: ignore[attr-defined]
    assert str(result.exception).startswith(f"no vulnerability database at {db}; run")  # type: ignore[attr-defined]


def test_update_from_a_mirror_stamps_every_requested_ecosystem(db: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "PyPI").mkdir(parents=True)
    (mirror / "crates.io").mkdir()
    write_zip(mirror / "PyPI" / "all.zip", {"PYSEC-1.json": record("PYSEC-1", PYPI)})
    write_zip(mirror / "crates.io" / "all.zip", {})
    result = invoke(db, "update", "--mirror", mirror.as_uri(), "-e", "PyPI", "-e", "crates.io")
    assert (result.exit_code, result.stdout) == (  # type: ignore[attr-defined]
        0,
        f"{db}: 1 records read: 1 added, 0 updated, 0 unchanged, 0 older than the stored "
        "version (not imported); 0 withdrawn (never matched)\n"
        "records per ecosystem: PyPI 1\n",
    )
    status = json.loads(invoke(db, "status", "-f", "json").stdout)  # type: ignore[attr-defined]
    assert [(e["ecosystem"], e["records"]) for e in status["ecosystems"]] == [
        ("crates.io", 0), ("PyPI", 1),
    ]  # fmt: skip


def test_update_without_a_network_says_how_to_import_offline(db: Path) -> None:
    result = invoke(db, "update", "--mirror", "http://127.0.0.1:9", "-e", "npm", "--timeout", "5")
    error = result.exception  # type: ignore[attr-defined]
    assert isinstance(error, VulnDBError)
    assert str(error).startswith("cannot download http://127.0.0.1:9/npm/all.zip: ")
    assert error.hint == (
        "without a network, download <base>/<ECOSYSTEM>/all.zip on a machine that has one and "
        "run `assay vulndb import FILE...`"
    )
    assert not db.exists()


def test_update_refuses_other_url_schemes(db: Path) -> None:
    result = invoke(db, "update", "--mirror", "ftp://example.com", "-e", "npm")
    assert str(result.exception) == "ftp://example.com: not an http(s) or file URL"  # type: ignore[attr-defined]
