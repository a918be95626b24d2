"""shallow_commits and changed_paths."""

from __future__ import annotations

import os
from typing import Any

import pytest

from assay.errors import SnapshotError
from assay.history import changed_paths, shallow_commits

CHANGELOGS = [":(glob,icase)CHANGELOG*", ":(glob,icase)docs/NEWS*"]


def test_changed_paths_between_commits(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "a\n", "changelog.md": "1\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    second = repo.commit_files({"src/app.py": "x\n", "docs/news.txt": "n\n"})
    third = repo.commit_files({"changelog.md": "2\n", "sub/CHANGELOG.md": "not at the root\n"})
    assert changed_paths(repo.path, first, second) == ("docs/news.txt", "src/app.py")
    assert changed_paths(repo.path, first, second, CHANGELOGS) == ("docs/news.txt",)
    assert changed_paths(repo.path, second, third, CHANGELOGS) == ("changelog.md",)
    assert changed_paths(repo.path, first, third, [":(glob,icase)src/*"]) == ("src/app.py",)
    # None: against nothing, so every file of the commit.
    assert changed_paths(repo.path, None, first) == ("README.md", "changelog.md")
    # A change undone is no change.
    fourth = repo.commit_files({"changelog.md": "1\n"})
    assert changed_paths(repo.path, second, fourth, CHANGELOGS) == ()


def test_changed_paths_of_an_unknown_commit(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "a\n"})
    with pytest.raises(SnapshotError) as error:
        changed_paths(repo.path, "HEAD", "0" * 40)
    assert error.value.message.startswith(f"{repo.path}: git diff-tree failed: fatal: ")


def test_shallow_commits(make_repo: Any, tmp_path: Any) -> None:
    repo = make_repo("full", {"a": "1\n"})
    repo.commit_files({"a": "2\n"})
    cut = repo.commit_files({"a": "3\n"})
    repo.commit_files({"a": "4\n"})
    assert shallow_commits(repo.path) == frozenset()
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.path}", str(clone))
    assert shallow_commits(clone) == frozenset({cut})


def test_shallow_list_behind_a_symlink_is_not_followed(make_repo: Any, tmp_path: Any) -> None:
    repo = make_repo("full", {"a": "1\n"})
    repo.commit_files({"a": "2\n"})
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    shallow = clone / ".git" / "shallow"
    elsewhere = tmp_path / "elsewhere"
    shallow.rename(elsewhere)
    os.symlink(elsewhere, shallow)
    with pytest.raises(SnapshotError) as error:
        shallow_commits(clone)
    assert error.value.message.startswith(
        f"{clone / '.git/shallow'}: cannot read the list of shallow commits: [Errno 40]"
    )
