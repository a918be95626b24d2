"""process.releases: version tags, and a changelog updated for every release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from assay.checks.api import finding
from assay.checks.process.releases import ReleasesCheck, ReleasesParams
from assay.model import Finding, Measure, Severity
from support import expect, run_product_check

CHECK = "process.releases"
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400


@dataclass(frozen=True)
class At:
    path: Path


def m(name: str, value: float, unit: str) -> Measure:
    return Measure(check_id=CHECK, name=name, value=value, unit=unit)


def measures(tags: int, versions: int, releases: int, with_changelog: int) -> list[Measure]:
    return [
        m("process.tags", tags, "tags"),
        m("process.version_tags", versions, "tags"),
        m("process.version_tag_share", round(100 * versions / tags, 2), "%"),
        m("process.releases", releases, "releases"),
        m("process.releases_with_changelog", with_changelog, "releases"),
        m("process.changelog_share", round(100 * with_changelog / releases, 2), "%"),
    ]


def commit_at(repo: Any, files: dict[str, str], when: int) -> str:
    repo.write(files)
    stamp = f"{when} +0000"
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", "-m", f"change at {when}",
             env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})  # fmt: skip
    return str(repo.git("rev-parse", "HEAD").strip())


def no_changelog(tag: str, commit: str, date: str, previous: str | None) -> Finding:
    where = f"release {tag} ({commit[:12]}, {date})"
    if previous is None:
        message = f"{where}: the first release has no changelog file"
        properties = {"tag": tag, "commit": commit}
    else:
        message = f"{where}: no changelog file changed since {previous}"
        properties = {"tag": tag, "commit": commit, "previous": previous}
    return finding(CHECK, "process.changelog-not-updated", message, severity=Severity.LOW,
                   key=tag, properties=properties)  # fmt: skip


def releases(make_repo: Any) -> tuple[Any, dict[str, str]]:
    """Five releases on four commits, 10 days apart from 2023-11-14, and one tag that is none."""
    repo = make_repo("product")
    ids = {}
    ids["0.1"] = commit_at(repo, {"README.md": "x\n", "CHANGELOG.md": "0.1\n"}, T0)
    repo.git("tag", "-a", "v0.1.0", "-m", "0.1.0")
    ids["0.2"] = commit_at(repo, {"app.py": "2\n", "CHANGELOG.md": "0.2\n"}, T0 + 10 * DAY)
    repo.git("tag", "v0.2.0")
    ids["0.3"] = commit_at(repo, {"app.py": "3\n"}, T0 + 20 * DAY)  # no changelog entry
    repo.git("tag", "v0.3.0")
    repo.git("tag", "v0.3")  # the same release, under two names
    repo.git("tag", "latest")
    ids["1.0"] = commit_at(repo, {"app.py": "4\n", "docs/news.rst": "1.0\n"}, T0 + 30 * DAY)
    repo.git("tag", "1.0.0")
    ids["head"] = commit_at(repo, {"app.py": "5\n"}, T0 + 40 * DAY)  # not released yet
    return repo, ids


def test_every_release_of_the_window(make_repo: Any) -> None:
    repo, ids = releases(make_repo)
    assert run_product_check(ReleasesCheck(), repo) == expect(
        findings=[no_changelog("v0.3", ids["0.3"], "2023-12-04", "v0.2.0")],
        measures=measures(tags=6, versions=5, releases=4, with_changelog=3),
    )


def test_a_release_is_judged_against_the_one_before_the_window(make_repo: Any) -> None:
    repo, ids = releases(make_repo)
    # 25 days up to 2023-12-24: the releases of 2023-12-04 and 2023-12-14.
    assert run_product_check(ReleasesCheck(), repo, ReleasesParams(window_days=25)) == expect(
        findings=[no_changelog("v0.3", ids["0.3"], "2023-12-04", "v0.2.0")],
        measures=measures(tags=6, versions=5, releases=2, with_changelog=1),
    )


def test_changelog_names_and_version_scheme_are_parameters(make_repo: Any) -> None:
    repo, ids = releases(make_repo)
    params = ReleasesParams(version_pattern=r"^v\d+\.\d+\.\d+$", changelog_paths=["docs/*"])
    assert run_product_check(ReleasesCheck(), repo, params) == expect(
        findings=[
            no_changelog("v0.1.0", ids["0.1"], "2023-11-14", None),
            no_changelog("v0.2.0", ids["0.2"], "2023-11-24", "v0.1.0"),
            no_changelog("v0.3.0", ids["0.3"], "2023-12-04", "v0.2.0"),
        ],
        measures=measures(tags=6, versions=3, releases=3, with_changelog=0),
    )


def test_first_release_without_a_changelog(make_repo: Any) -> None:
    repo = make_repo("product")
    first = commit_at(repo, {"README.md": "x\n", "sub/CHANGELOG.md": "not at the root\n"}, T0)
    repo.git("tag", "v1.0")
    assert run_product_check(ReleasesCheck(), repo) == expect(
        findings=[no_changelog("v1.0", first, "2023-11-14", None)],
        measures=measures(tags=1, versions=1, releases=1, with_changelog=0),
    )


def test_no_version_tag(make_repo: Any) -> None:
    repo = make_repo("product")
    head = commit_at(repo, {"README.md": "x\n"}, T0)
    repo.git("tag", "latest")
    assert run_product_check(ReleasesCheck(), repo) == expect(
        not_applicable=f"no tag in the history of {head[:12]} follows the version scheme "
        r"^v?\d+\.\d+(\.\d+)?"
    )


def test_version_tag_on_another_branch_is_not_in_the_history(make_repo: Any) -> None:
    repo = make_repo("product")
    commit_at(repo, {"README.md": "x\n"}, T0)
    repo.git("checkout", "-q", "-b", "release")
    commit_at(repo, {"CHANGELOG.md": "1.0\n"}, T0 + DAY)
    repo.git("tag", "v1.0")
    repo.git("checkout", "-q", "main")
    head = commit_at(repo, {"app.py": "1\n"}, T0 + 2 * DAY)
    assert run_product_check(ReleasesCheck(), repo) == expect(
        not_applicable=f"no tag in the history of {head[:12]} follows the version scheme "
        r"^v?\d+\.\d+(\.\d+)?"
    )


def test_no_release_in_the_window(make_repo: Any) -> None:
    repo, ids = releases(make_repo)
    assert run_product_check(ReleasesCheck(), repo, ReleasesParams(window_days=5)) == expect(
        not_applicable=f"no release in the 5 days up to {ids['head'][:12]} (2023-12-24); "
        "the last is 1.0.0 (2023-12-14)"
    )


def test_shallow_clone_may_hide_the_release_before(make_repo: Any, tmp_path: Path) -> None:
    repo, _ = releases(make_repo)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.path}", str(clone))
    assert run_product_check(ReleasesCheck(), At(clone)) == expect(
        not_applicable="the clone is shallow: the release before 1.0.0 may be missing from its "
        "history; fetch the whole history (git fetch --unshallow) to judge it"
    )
    # Deep enough to hold the release before the window's first one: judged as usual.
    deeper = tmp_path / "deeper"
    repo.git("clone", "-q", "--depth", "3", f"file://{repo.path}", str(deeper))
    assert run_product_check(ReleasesCheck(), At(deeper), ReleasesParams(window_days=15)) == (
        expect(measures=measures(tags=4, versions=3, releases=1, with_changelog=1))
    )


def test_plain_directory_has_no_history(tmp_path: Path) -> None:
    assert run_product_check(ReleasesCheck(), At(tmp_path)) == expect(
        not_applicable="a plain directory has no git history"
    )


def test_version_pattern_must_be_re2() -> None:
    with pytest.raises(ValidationError) as error:
        ReleasesParams(version_pattern=r"(?<=v)\d+")
    assert [e["msg"] for e in error.value.errors()] == [
        "Value error, not a regular expression RE2 accepts: invalid perl operator: (?<="
    ]


def test_changelog_patterns_must_not_be_empty() -> None:
    with pytest.raises(ValidationError) as error:
        ReleasesParams(changelog_paths=["CHANGELOG*", " "])
    assert [e["msg"] for e in error.value.errors()] == ["Value error, a changelog pattern is empty"]
