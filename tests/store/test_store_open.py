"""Where the store is, and the errors of a store that cannot be opened."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import platformdirs
import pytest

from assay.errors import StoreError
from assay.store import default_db_url, open_store

HINT = "check --db / ASSAY_DB"


@pytest.fixture(autouse=True)
def no_store_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSAY_DB", raising=False)
    monkeypatch.delenv("ASSAY_HOME", raising=False)


def test_default_is_a_sqlite_file_in_the_user_data_dir() -> None:
    expected = Path(platformdirs.user_data_dir("assay")) / "assay.sqlite3"
    assert default_db_url() == f"sqlite:///{expected}"


def test_assay_home_moves_the_default_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSAY_HOME", str(tmp_path / "home"))
    assert default_db_url() == f"sqlite:///{tmp_path}/home/assay.sqlite3"


def test_assay_db_wins_over_assay_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSAY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ASSAY_DB", "postgresql+psycopg://assay@db.example.com/assay")
    assert default_db_url() == "postgresql+psycopg://assay@db.example.com/assay"


def test_a_plain_path_means_a_sqlite_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASSAY_DB", "stores/audits.db")
    assert default_db_url() == f"sqlite:///{tmp_path}/stores/audits.db"


def test_open_without_url_creates_the_default_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ASSAY_HOME", str(tmp_path / "new" / "home"))
    with open_store(None) as store:
        assert store.location == f"{tmp_path}/new/home/assay.sqlite3"
    assert (tmp_path / "new" / "home" / "assay.sqlite3").is_file()


def test_open_a_plain_path(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "x" / "audits.db")) as store:
        assert store.products() == []
    assert (tmp_path / "x" / "audits.db").is_file()


def test_unreachable_server_is_named_without_password() -> None:
    with pytest.raises(StoreError) as error:
        open_store("postgresql+psycopg://assay:example-pw@127.0.0.1:1/audits")

    message = error.value.message
    assert message.startswith(
        "cannot open the audit store postgresql+psycopg://assay@127.0.0.1:1/audits: "
        "connection failed: "
    )
    assert message.endswith("Connection refused")
    assert "example-pw" not in message
    assert error.value.hint == HINT


@pytest.mark.parametrize(
    ("url", "message", "hint"),
    [
        (
            "mysql://assay:example-pw@db/audits",
            "cannot open the audit store mysql://assay@db/audits: unsupported database "
            "'mysql' (Assay stores audits in SQLite or PostgreSQL)",
            HINT,
        ),
        (
            "postgresql://assay:example-pw@db:port/audits",
            "cannot open the audit store: 'postgresql://assay@db:port/audits' "
            "is not a database URL",
            HINT,
        ),
        pytest.param(
            "postgresql+psycopg2://assay:example-pw@db/audits",
            "cannot open the audit store postgresql+psycopg2://assay@db/audits: "
            "the database driver 'psycopg2' is not installed",
            "for PostgreSQL use a postgresql+psycopg:// URL and install assay[postgres]",
            marks=pytest.mark.skipif(
                importlib.util.find_spec("psycopg2") is not None, reason="psycopg2 is installed"
            ),
        ),
    ],
)
def test_unusable_url(url: str, message: str, hint: str) -> None:
    with pytest.raises(StoreError) as error:
        open_store(url)

    assert (error.value.message, error.value.hint) == (message, hint)


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, " * 100)

    with pytest.raises(StoreError) as error:
        open_store(str(path))

    assert error.value.message == f"cannot open the audit store {path}: file is not a database"
    assert error.value.hint == HINT


def test_directory_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    path = tmp_path / "file" / "assay.sqlite3"

    with pytest.raises(StoreError) as error:
        open_store(str(path))

    assert error.value.message == (
        f"cannot open the audit store {path}: [Errno 17] File exists: '{tmp_path / 'file'}'"
    )
