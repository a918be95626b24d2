"""process.maintenance: authors, bus factor and the files changed most often."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from assay.checks.process.maintenance import MaintenanceCheck, MaintenanceParams, bus_factor
from assay.model import Measure
from support import expect, run_product_check

CHECK = "process.maintenance"
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400


@dataclass(frozen=True)
class At:
    path: Path


def m(name: str, value: float, unit: str, **labels: str) -> Measure:
    return Measure(check_id=CHECK, name=name, value=value, unit=unit, labels=labels)


def commit_at(repo: Any, files: dict[str, str | None], when: int, email: str) -> str:
    for name, content in files.items():
        if content is None:
            (repo.path / name).unlink()
        else:
            repo.write({name: content})
    stamp = f"{when} +0000"
    repo.git("add", "-A")
    repo.git(
        "commit", "-q", "--allow-empty", "-m", f"work of {email}",
        env={"GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
    )  # fmt: skip
    return str(repo.git("rev-parse", "HEAD").strip())


def team_history(make_repo: Any) -> Any:
    """Ten commits by four people (Alice 5 under two spellings, Bob 3, Carol 1, Dan 1), one
    merge by Eve; app.py changed 4 times, util.py 3, old.py 3 (then deleted), README.md 2."""
    repo = make_repo("product")
    plan: list[tuple[str, dict[str, str | None]]] = [
        ("alice@example.com", {"README.md": "1", "src/app.py": "1", "src/old.py": "1"}),
        ("Alice@Example.com", {"src/app.py": "2", "src/util.py": "1"}),
        ("bob@example.com", {"src/app.py": "3", "src/old.py": "2"}),
        ("alice@example.com", {"src/util.py": "2"}),
        ("carol@example.com", {"README.md": "2"}),
        ("bob@example.com", {"src/util.py": "3"}),
        ("alice@example.com", {"src/app.py": "4"}),
        ("dan@example.com", {"docs/guide.md": "1"}),
        ("bob@example.com", {"src/old.py": None}),
    ]
    for day, (email, files) in enumerate(plan):
        commit_at(repo, files, T0 + day * DAY, email)
    repo.git("checkout", "-q", "-b", "topic")
    commit_at(repo, {"notes.txt": "n"}, T0 + 8 * DAY + 3600, "alice@example.com")
    repo.git("checkout", "-q", "main")
    stamp = f"{T0 + 10 * DAY} +0000"
    repo.git("merge", "-q", "--no-ff", "topic", "-m", "Merge topic",
             env={"GIT_AUTHOR_EMAIL": "eve@example.com", "GIT_AUTHOR_DATE": stamp,
                  "GIT_COMMITTER_DATE": stamp})  # fmt: skip
    return repo


def test_authors_bus_factor_and_hotspots(make_repo: Any) -> None:
    repo = team_history(make_repo)
    assert run_product_check(MaintenanceCheck(), repo, MaintenanceParams(hotspots=4)) == expect(
        measures=[
            m("process.authored_commits", 10, "commits"),
            m("process.authors", 4, "authors"),
            # Alice 5 + Bob 3 = 8 of 10 commits: 80%.
            m("process.bus_factor", 2, "authors"),
            m("process.top_author_share", 50.0, "%"),
            # old.py was changed 3 times, but it is gone: no longer a hotspot.
            m("process.hotspot_changes", 4, "commits", path="src/app.py"),
            m("process.hotspot_changes", 3, "commits", path="src/util.py"),
            m("process.hotspot_changes", 2, "commits", path="README.md"),
            m("process.hotspot_changes", 1, "commits", path="docs/guide.md"),
        ],
    )


def test_share_of_the_bus_factor_is_a_parameter(make_repo: Any) -> None:
    repo = team_history(make_repo)
    params = MaintenanceParams(bus_factor_share=90, hotspots=0)
    assert run_product_check(MaintenanceCheck(), repo, params) == expect(
        measures=[
            m("process.authored_commits", 10, "commits"),
            m("process.authors", 4, "authors"),
            m("process.bus_factor", 3, "authors"),
            m("process.top_author_share", 50.0, "%"),
        ],
    )


def test_only_merges_in_the_window(make_repo: Any) -> None:
    repo = team_history(make_repo)
    head = repo.git("rev-parse", "HEAD").strip()
    # One day up to the merge: the merge and nothing else (topic's commit is older).
    assert run_product_check(MaintenanceCheck(), repo, MaintenanceParams(window_days=1)) == (
        expect(not_applicable=f"no commit other than merges in the 1 day up to {head[:12]} "
               "(2023-11-24)")
    )  # fmt: skip


def test_one_commit_repository(make_repo: Any) -> None:
    repo = make_repo("product")
    commit_at(repo, {"b.txt": "b", "a.txt": "a"}, T0, "alice@example.com")
    assert run_product_check(MaintenanceCheck(), repo) == expect(
        measures=[
            m("process.authored_commits", 1, "commits"),
            m("process.authors", 1, "authors"),
            m("process.bus_factor", 1, "authors"),
            m("process.top_author_share", 100.0, "%"),
            m("process.hotspot_changes", 1, "commits", path="a.txt"),
            m("process.hotspot_changes", 1, "commits", path="b.txt"),
        ],
    )


def test_shallow_clone_cut_inside_the_window(make_repo: Any, tmp_path: Path) -> None:
    repo = team_history(make_repo)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    head = repo.git("rev-parse", "HEAD").strip()
    assert run_product_check(MaintenanceCheck(), At(clone)) == expect(
        not_applicable=f"the clone is shallow: its history stops at {head[:12]} (2023-11-24), "
        f"inside the 90 days up to {head[:12]} (2023-11-24); "
        "fetch the whole history (git fetch --unshallow) to judge it"
    )


def test_plain_directory_has_no_history(tmp_path: Path) -> None:
    assert run_product_check(MaintenanceCheck(), At(tmp_path)) == expect(
        not_applicable="a plain directory has no git history"
    )


@pytest.mark.parametrize(
    ("counts", "share", "expected"),
    [
        ({"a": 1}, 80, 1),
        ({"a": 5, "b": 3, "c": 1, "d": 1}, 80, 2),
        ({"a": 5, "b": 3, "c": 1, "d": 1}, 50, 1),
        ({"a": 5, "b": 3, "c": 1, "d": 1}, 100, 4),
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, 80, 4),
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, 81, 5),
    ],
)
def test_bus_factor(counts: dict[str, int], share: int, expected: int) -> None:
    assert bus_factor(Counter(counts), share) == expected


def test_share_is_a_percentage() -> None:
    with pytest.raises(ValidationError) as error:
        MaintenanceParams(bus_factor_share=0)
    assert [e["msg"] for e in error.value.errors()] == [
        "Input should be greater than or equal to 1"
    ]


TANGLED = "def handle(a, b, c):\n" + "".join(
    f"    if a == {n} and b or c:\n        return {n}\n" for n in range(8)
)  # complexity 1 + 8 ifs + 8 ands + 8 ors = 25


def test_a_hotspot_that_is_also_complex_is_a_risky_file(make_repo: Any) -> None:
    repo = make_repo("p")
    for day in range(4):
        commit_at(repo, {"app/core.py": TANGLED + f"# edit {day}\n",
                         "app/small.py": f"def f():\n    return {day}\n",
                         "notes.txt": f"{day}\n" if day < 2 else "x\n"},
                  T0 + day * DAY, "a@example.com")  # fmt: skip
    commit_at(repo, {"app/core.py": TANGLED + "# last\n"}, T0 + 5 * DAY, "b@example.com")
    output = run_product_check(MaintenanceCheck(), repo, MaintenanceParams(window_days=30))
    hot = [(x["name"], x["labels"].get("path"), x["value"]) for x in output["measures"]
           if x["name"].startswith("process.hotspot")]  # fmt: skip
    assert hot == [
        ("process.hotspot_changes", "app/core.py", 5),
        ("process.hotspot_changes", "app/small.py", 4),
        ("process.hotspot_changes", "notes.txt", 3),
        ("process.hotspot_max_ccn", "app/core.py", 25),
        ("process.hotspot_max_ccn", "app/small.py", 1),
    ]
    [risky] = output["findings"]
    commit = repo.git("rev-parse", "HEAD").strip()
    assert risky["rule"] == "process.risky-file"
    assert risky["path"] == "app/core.py"
    assert risky["message"] == (
        f"app/core.py changed in 5 commits of the 30 days up to {commit[:12]} (2023-11-19) "
        "and has a function of cyclomatic complexity 25 (handle): a risky file"
    )
