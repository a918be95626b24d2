"""activity.git: recent commits and authors, days since the last commit, repository age."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from assay.checks.activity import ActivityParams, GitActivityCheck
from assay.checks.api import CheckOutput
from assay.model import Measure
from assay.snapshot import open_snapshot
from support import as_data

CHECK = "activity.git"
DAY = 86_400


def commit_as(repo: Any, email: str, timestamp: int, message: str) -> None:
    """Commit everything as ``email`` at ``timestamp`` (author and committer date)."""
    stamp = f"{timestamp} +0000"
    repo.git("add", "-A")
    repo.git(
        "commit", "-q", "--allow-empty", "-m", message,
        env={"GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
    )  # fmt: skip


def run(path: Path, params: ActivityParams | None = None) -> dict[str, Any]:
    snapshot = open_snapshot(path)
    try:
        output = GitActivityCheck().run(snapshot, params or ActivityParams())
    finally:
        snapshot.close()
    return as_data(output)


def expect(window: int, commits: int, authors: int, since_last: int, age: int) -> dict[str, Any]:
    labels = {"window_days": str(window)}
    return as_data(
        CheckOutput(
            measures=[
                Measure(check_id=CHECK, name="commits.recent", value=commits, unit="commits",
                        labels=labels),
                Measure(check_id=CHECK, name="authors.recent", value=authors, unit="authors",
                        labels=labels),
                Measure(check_id=CHECK, name="days_since_last_commit", value=since_last,
                        unit="days"),
                Measure(check_id=CHECK, name="repository_age", value=age, unit="days"),
            ]
        )
    )  # fmt: skip


def days_ago(now: int, days: float) -> int:
    return now - int(days * DAY)


def test_activity_of_a_history(make_repo: Any) -> None:
    # Half-day offsets keep the whole-day results stable however long the test takes.
    now = int(time.time())
    repo = make_repo("p")
    history = [
        ("alice@example.com", 400.5, "first"),
        ("alice@example.com", 200.5, "old work"),
        ("bob@example.com", 60.5, "recent 1"),
        ("alice@example.com", 30.5, "recent 2"),
        ("bob@example.com", 10.5, "recent 3"),
    ]
    for number, (email, age, message) in enumerate(history):
        repo.write({f"file{number}.txt": message})
        commit_as(repo, email, days_ago(now, age), message)
    assert run(repo.path) == expect(90, commits=3, authors=2, since_last=10, age=400)
    assert run(repo.path, ActivityParams(window_days=45)) == expect(
        45, commits=2, authors=2, since_last=10, age=400
    )
    assert run(repo.path, ActivityParams(window_days=20)) == expect(
        20, commits=1, authors=1, since_last=10, age=400
    )
    assert run(repo.path, ActivityParams(window_days=365)) == expect(
        365, commits=4, authors=2, since_last=10, age=400
    )


def test_activity_of_a_dormant_repository(make_repo: Any) -> None:
    now = int(time.time())
    repo = make_repo("p")
    commit_as(repo, "alice@example.com", days_ago(now, 800.5), "first")
    commit_as(repo, "alice@example.com", days_ago(now, 500.5), "last")
    assert run(repo.path) == expect(90, commits=0, authors=0, since_last=500, age=800)


def test_activity_with_a_fixed_past_date(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.write({"README.md": "x\n"})
    repo.commit("first", date="2020-01-01T00:00:00")
    repo.write({"main.py": "print(1)\n"})
    repo.commit("second", date="2020-06-01T12:00:00")
    first, last = (int(t) for t in repo.git("log", "--reverse", "--format=%ct").split())
    before = int(time.time())
    output = run(repo.path)
    after = int(time.time())
    # The expectation computed the way the check does, at either end of its run.
    assert output in [
        expect(90, commits=0, authors=0, since_last=(now - last) // DAY, age=(now - first) // DAY)
        for now in (before, after)
    ]


def test_commit_dated_in_the_future_counts_as_today(make_repo: Any) -> None:
    now = int(time.time())
    repo = make_repo("p")
    commit_as(repo, "alice@example.com", now + 3 * DAY, "from a skewed clock")
    assert run(repo.path) == expect(90, commits=1, authors=1, since_last=0, age=0)


def test_plain_directory_has_no_history(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "README.md").write_text("x\n")
    assert run(root) == as_data(CheckOutput(not_applicable="a plain directory has no git history"))


def test_activity_is_never_cached() -> None:
    assert GitActivityCheck.cache_scope == "none"
