"""process.review: changes on the first-parent line that arrived through review."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.checks.api import finding
from assay.checks.process.review import ReviewCheck, ReviewParams
from assay.model import Finding, Measure, Severity
from support import expect, run_product_check

CHECK = "process.review"
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400


@dataclass(frozen=True)
class At:
    """A folder for ``run_product_check``, which only needs ``path``."""

    path: Path


def commit_at(repo: Any, message: str, when: int, *, email: str = "author@example.com",
              name: str = "Test Author") -> str:  # fmt: skip
    stamp = f"{when} +0000"
    repo.git("add", "-A")
    repo.git(
        "commit", "-q", "--allow-empty", "-m", message,
        env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
             "GIT_COMMITTER_DATE": stamp},
    )  # fmt: skip
    return str(repo.git("rev-parse", "HEAD").strip())


def merge_at(repo: Any, branch: str, message: str, when: int) -> str:
    stamp = {"GIT_AUTHOR_DATE": f"{when} +0000", "GIT_COMMITTER_DATE": f"{when} +0000"}
    repo.git("merge", "-q", "--no-ff", branch, "-m", message, env=stamp)
    return str(repo.git("rev-parse", "HEAD").strip())


def measures(*, changes: int, merge: int, squash: int, trailer: int, direct: int,
             left_out: int) -> list[Measure]:  # fmt: skip
    reviewed = merge + squash + trailer

    def m(name: str, value: float, unit: str, **labels: str) -> Measure:
        return Measure(check_id=CHECK, name=name, value=value, unit=unit, labels=labels)

    return [
        m("process.changes", changes, "changes"),
        m("process.reviewed_changes", reviewed, "changes"),
        m("process.reviewed_changes", merge, "changes", via="merge"),
        m("process.reviewed_changes", squash, "changes", via="squash"),
        m("process.reviewed_changes", trailer, "changes", via="trailer"),
        m("process.direct_commits", direct, "commits"),
        m("process.reviewed_share", round(100 * reviewed / changes, 2), "%"),
        m("process.findings_left_out", left_out, "findings"),
    ]


def direct(commit: str, who: str, email: str, date: str, subject: str) -> Finding:
    return finding(
        CHECK, "process.direct-commit",
        f"direct commit {commit[:12]} by {who} <{email}> on {date}: {subject}",
        severity=Severity.LOW, key=commit,
        properties={"commit": commit, "author": email, "date": date},
    )  # fmt: skip


def history(make_repo: Any) -> tuple[Any, dict[str, str]]:
    """Every way a change reaches main, one commit a day from 2023-11-14."""
    repo = make_repo("product")
    ids = {}
    repo.write({"README.md": "x\n"})
    ids["root"] = commit_at(repo, "Initial import", T0)
    repo.write({"a.txt": "1\n"})
    ids["typo"] = commit_at(repo, "Fix typo", T0 + DAY, email="bob@example.com", name="Bob")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"feature.txt": "f\n"})
    commit_at(repo, "Add feature (unreviewed on its branch, reviewed by the merge)", T0 + DAY)
    repo.git("checkout", "-q", "main")
    ids["merge"] = merge_at(repo, "feature", "Merge pull request #3 from ann/feature", T0 + 2 * DAY)
    ids["squash"] = commit_at(repo, "Add parser (#12)", T0 + 3 * DAY)
    ids["trailer"] = commit_at(repo, "Tune cache\n\nReviewed-by: Carol <carol@example.com>",
                               T0 + 4 * DAY)  # fmt: skip
    ids["gitlab"] = commit_at(repo, "Update docs\n\nSee merge request group/project!7",
                              T0 + 5 * DAY)  # fmt: skip
    ids["hotfix"] = commit_at(repo, "Hotfix", T0 + 6 * DAY, email="alice@example.com",
                              name="Alice")  # fmt: skip
    # "Reviewed-by:" in a middle paragraph is no trailer: a direct commit.
    ids["refactor"] = commit_at(repo, "Refactor\n\nReviewed-by: nobody\n\nMore text.",
                                T0 + 7 * DAY)  # fmt: skip
    return repo, ids


def test_every_way_to_reach_main(make_repo: Any) -> None:
    repo, ids = history(make_repo)
    assert run_product_check(ReviewCheck(), repo, ReviewParams(window_days=30)) == expect(
        findings=[
            direct(ids["refactor"], "Test Author", "author@example.com", "2023-11-21",
                   "Refactor"),
            direct(ids["hotfix"], "Alice", "alice@example.com", "2023-11-20", "Hotfix"),
            direct(ids["typo"], "Bob", "bob@example.com", "2023-11-15", "Fix typo"),
        ],
        measures=measures(changes=7, merge=1, squash=2, trailer=1, direct=3, left_out=0),
    )  # fmt: skip


def test_findings_are_capped_newest_first(make_repo: Any) -> None:
    repo, ids = history(make_repo)
    params = ReviewParams(window_days=30, max_findings=1)
    assert run_product_check(ReviewCheck(), repo, params) == expect(
        findings=[direct(ids["refactor"], "Test Author", "author@example.com", "2023-11-21",
                         "Refactor")],
        measures=measures(changes=7, merge=1, squash=2, trailer=1, direct=3, left_out=2),
    )  # fmt: skip


def test_window_ends_at_the_audited_commit_not_the_clock(make_repo: Any) -> None:
    repo, ids = history(make_repo)
    # 2 days before 2023-11-21T22:13:20: from 2023-11-19T22:13:20 on, that instant included.
    assert run_product_check(ReviewCheck(), repo, ReviewParams(window_days=2)) == expect(
        findings=[
            direct(ids["refactor"], "Test Author", "author@example.com", "2023-11-21",
                   "Refactor"),
            direct(ids["hotfix"], "Alice", "alice@example.com", "2023-11-20", "Hotfix"),
        ],
        measures=measures(changes=3, merge=0, squash=1, trailer=0, direct=2, left_out=0),
    )  # fmt: skip
    # Auditing an older commit judges the window that ends there.
    repo.git("checkout", "-q", ids["trailer"])
    assert run_product_check(ReviewCheck(), repo, ReviewParams(window_days=1)) == expect(
        measures=measures(changes=2, merge=0, squash=1, trailer=1, direct=0, left_out=0),
    )


def test_long_subject_is_shortened(make_repo: Any) -> None:
    repo = make_repo("product")
    commit_at(repo, "first", T0)
    long = commit_at(repo, "x" * 150, T0 + 1)
    output = run_product_check(ReviewCheck(), repo, ReviewParams(max_findings=1))
    assert [f["message"] for f in output["findings"]] == [
        f"direct commit {long[:12]} by Test Author <author@example.com> on 2023-11-14: "
        + "x" * 99 + "…"
    ]  # fmt: skip


def test_one_commit_repository(make_repo: Any) -> None:
    repo = make_repo("product")
    root = commit_at(repo, "Initial import", T0)
    assert run_product_check(ReviewCheck(), repo) == expect(
        not_applicable=f"no change to judge in the 90 days up to {root[:12]} (2023-11-14): "
        "only the repository's first commit"
    )


def test_shallow_clone_cut_inside_the_window(make_repo: Any, tmp_path: Path) -> None:
    repo, ids = history(make_repo)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "3", f"file://{repo.path}", str(clone))
    shallow = At(clone)
    assert run_product_check(ReviewCheck(), shallow, ReviewParams(window_days=30)) == expect(
        not_applicable=f"the clone is shallow: its history stops at {ids['gitlab'][:12]} "
        f"(2023-11-19), inside the 30 days up to {ids['refactor'][:12]} (2023-11-21); "
        "fetch the whole history (git fetch --unshallow) to judge it"
    )
    # A cut older than the window does not matter.
    assert run_product_check(ReviewCheck(), shallow, ReviewParams(window_days=1)) == expect(
        findings=[
            direct(ids["refactor"], "Test Author", "author@example.com", "2023-11-21",
                   "Refactor"),
            direct(ids["hotfix"], "Alice", "alice@example.com", "2023-11-20", "Hotfix"),
        ],
        measures=measures(changes=2, merge=0, squash=0, trailer=0, direct=2, left_out=0),
    )  # fmt: skip


def test_plain_directory_has_no_history(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    assert run_product_check(ReviewCheck(), At(root)) == expect(
        not_applicable="a plain directory has no git history"
    )


def test_never_cached_by_tree() -> None:
    assert ReviewCheck.cache_scope == "none"
