"""Shared fixtures: real git repositories built on the fly, an isolated Assay home."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

PG_URL_ENV = "ASSAY_TEST_PG_URL"
PG_MISSING = "ASSAY_TEST_PG_URL not set (run .ci/postgres.sh)"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class GitRepo:
    """A git repository in a temporary folder, written and committed by the test."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.path), *args],
            check=True,
            capture_output=True,
            env={**os.environ, **GIT_ENV, **(env or {})},
        )
        return done.stdout.decode()

    def write(self, files: Mapping[str, str | bytes]) -> None:
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def symlink(self, name: str, target: str) -> None:
        link = self.path / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)

    def commit(self, message: str = "change", *, date: str | None = None) -> str:
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def commit_files(self, files: Mapping[str, str | bytes], message: str = "change") -> str:
        self.write(files)
        return self.commit(message)


@pytest.fixture
def make_repo(tmp_path: Path) -> Iterator[object]:
    """Factory: ``make_repo("name", {"README.md": "..."})`` returns a committed GitRepo."""
    created: list[GitRepo] = []

    def factory(name: str = "product", files: Mapping[str, str | bytes] | None = None) -> GitRepo:
        repo = GitRepo(tmp_path / name)
        if files:
            repo.commit_files(files, "initial")
        created.append(repo)
        return repo

    yield factory


@pytest.fixture(autouse=True)
def assay_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own store and cache, never the user's."""
    home = tmp_path_factory.mktemp("assay-home")
    monkeypatch.setenv("ASSAY_HOME", str(home))
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("ASSAY_DB", raising=False)
    monkeypatch.delenv("ASSAY_VULNDB", raising=False)
    return home


TINY_PLUGIN = '''\
"""A third-party check package, installed only for the tests."""

import os
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assay.checks.api import CheckOutput, FileResult, FileSelector, finding
from assay.model import Severity


class TodoParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    marker: str = "TODO"


class TodoCheck:
    kind = "file"
    id = "tiny.todo"
    version = "1"
    description = "Lines of Python that still say TODO."
    Params = TodoParams

    def selector(self, params):
        return FileSelector(languages=frozenset({"python"}))

    def scan(self, file, params):
        hits = [
            finding(self.id, "tiny.todo.left", f"{file.entry.path}:{n}: {params.marker} left",
                    severity=Severity.LOW, path=file.entry.path, start_line=n, key=line.strip())
            for n, line in enumerate(file.text.splitlines(), 1) if params.marker in line
        ]
        return FileResult(findings=tuple(hits))

    def summarize(self, results, params):
        return CheckOutput(findings=[f for r in results.values() for f in r.findings])


class CrashCheck:
    """Kills its own process on the product named by TINY_CRASH_ON: a worker that dies."""

    kind = "product"
    id = "tiny.crash"
    version = "1"
    description = "Dies, for tests."
    Params = TodoParams
    cache_scope = "none"

    def run(self, snapshot, params):
        if snapshot.root.name == os.environ.get("TINY_CRASH_ON"):
            os._exit(9)
        return CheckOutput()


class SlowCheck:
    """Signals that it started, then takes its time: for tests that kill an audit midway."""

    kind = "product"
    id = "tiny.slow"
    version = "1"
    description = "Waits, for tests."
    Params = TodoParams
    cache_scope = "none"

    def run(self, snapshot, params):
        marker = os.environ.get("TINY_SLOW_MARKER")
        if marker:
            Path(marker).write_text("started")
            time.sleep(float(os.environ.get("TINY_SLOW_SECONDS", "30")))
        return CheckOutput()
'''


@pytest.fixture
def tiny_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder to put on PYTHONPATH holding an installed third-party check distribution.

    It is laid out as pip lays out an installed wheel (module plus ``.dist-info`` with
    ``entry_points.txt``), so importlib.metadata discovers it like any installed package.
    """
    site = tmp_path_factory.mktemp("site")
    (site / "tiny_assay_check.py").write_text(TINY_PLUGIN)
    info = site / "tiny_assay_check-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-assay-check\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[assay.checks]\n"
        "tiny.todo = tiny_assay_check:TodoCheck\n"
        "tiny.slow = tiny_assay_check:SlowCheck\n"
        "tiny.crash = tiny_assay_check:CrashCheck\n"
    )
    (info / "RECORD").write_text("")
    return site


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL server of the tests; skip without one, fail without one in CI."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_MISSING}; CI=true does not allow skipping the PostgreSQL tests")
        pytest.skip(PG_MISSING)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: a new SQLite file, or a new schema in the PostgreSQL test database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'assay.sqlite3'}"
    else:
        yield from _pg_schema(request.getfixturevalue("pg_url"))


def _pg_schema(base_url: str) -> Iterator[str]:
    """A fresh schema, made the connection's search path through the URL, dropped afterwards."""
    schema = f"assay_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
