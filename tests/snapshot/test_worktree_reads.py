"""Committed blobs read from the work tree: only byte-identical files, never through a link.

Each test removes the blob from git's object database where it must prove which
way a file was read: a read that still succeeds came from the work tree, and one
that fails went to git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assay.errors import SnapshotError
from assay.model import FileEntry
from assay.snapshot import open_snapshot
from assay.snapshot.git import GitSnapshot


def _entry(snapshot: Any, path: str) -> FileEntry:
    return next(e for e in snapshot.entries if e.path == path)


def _drop_object(repo_path: Path, blob_id: str) -> None:
    (repo_path / ".git" / "objects" / blob_id[:2] / blob_id[2:]).unlink()


def _read(snapshot: Any, entry: FileEntry) -> list[tuple[str, bytes]]:
    return [(e.path, data) for e, data in snapshot.read_blobs([entry])]


def test_an_unchanged_checked_out_file_is_read_without_git(make_repo: Any) -> None:
    repo = make_repo("p", {"src/app.py": "print('hi')\n"})
    snapshot = open_snapshot(repo.path)
    entry = _entry(snapshot, "src/app.py")
    assert entry.blob_id is not None
    _drop_object(repo.path, entry.blob_id)
    assert _read(snapshot, entry) == [("src/app.py", b"print('hi')\n")]
    snapshot.close()


@pytest.mark.parametrize(
    "worktree",
    [b"print('HI')\n", b"print('hi')\nmore\n", b"print('hi')\r\n", b""],
    ids=["same-size-edit", "grown", "line-endings", "emptied"],
)
def test_a_changed_checked_out_file_gives_the_committed_bytes(
    make_repo: Any, worktree: bytes
) -> None:
    repo = make_repo("p", {"app.py": "print('hi')\n"})
    (repo.path / "app.py").write_bytes(worktree)
    snapshot = open_snapshot(repo.path)
    assert _read(snapshot, _entry(snapshot, "app.py")) == [("app.py", b"print('hi')\n")]
    snapshot.close()


def test_a_deleted_checked_out_file_comes_from_git(make_repo: Any) -> None:
    repo = make_repo("p", {"app.py": "x = 1\n"})
    (repo.path / "app.py").unlink()
    snapshot = open_snapshot(repo.path)
    assert _read(snapshot, _entry(snapshot, "app.py")) == [("app.py", b"x = 1\n")]
    snapshot.close()


def test_an_older_commit_takes_only_the_files_that_did_not_change(make_repo: Any) -> None:
    repo = make_repo("p", {"same.txt": "same\n", "moved.txt": "one\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit_files({"moved.txt": "two\n"})
    old = open_snapshot(repo.path, rev=first)
    assert [(e.path, d) for e, d in old.read_blobs(old.entries)] == [
        ("same.txt", b"same\n"),  # from the work tree
        ("moved.txt", b"one\n"),  # from git: the checked-out file is the newer one
    ]
    old.close()


def test_a_file_swapped_for_a_symlink_is_not_followed(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"secret.txt": "token\n"})
    outside = tmp_path / "outside.txt"
    outside.write_text("token\n")  # the very bytes of the blob, outside the repository
    (repo.path / "secret.txt").unlink()
    (repo.path / "secret.txt").symlink_to(outside)
    snapshot = open_snapshot(repo.path)
    entry = _entry(snapshot, "secret.txt")
    assert entry.blob_id is not None
    _drop_object(repo.path, entry.blob_id)
    # Followed, the link would have served the blob's bytes; not followed, git is asked.
    with pytest.raises(SnapshotError) as caught:
        _read(snapshot, entry)
    assert caught.value.message == (
        f"{repo.path}: git cannot read 'secret.txt' ({entry.blob_id} missing)"
    )
    snapshot.close()


def test_a_directory_swapped_for_a_symlink_is_not_followed(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"conf/deep/app.ini": "key = value\n"})
    outside = tmp_path / "elsewhere"
    shutil.copytree(repo.path / "conf", outside)
    shutil.rmtree(repo.path / "conf")
    (repo.path / "conf").symlink_to(outside, target_is_directory=True)
    snapshot = open_snapshot(repo.path)
    entry = _entry(snapshot, "conf/deep/app.ini")
    assert entry.blob_id is not None
    _drop_object(repo.path, entry.blob_id)
    with pytest.raises(SnapshotError) as caught:
        _read(snapshot, entry)
    assert caught.value.message == (
        f"{repo.path}: git cannot read 'conf/deep/app.ini' ({entry.blob_id} missing)"
    )
    snapshot.close()


def test_a_named_pipe_in_place_of_a_file_does_not_hang_the_read(make_repo: Any) -> None:
    repo = make_repo("p", {"app.py": "x = 1\n"})
    (repo.path / "app.py").unlink()
    os.mkfifo(repo.path / "app.py")
    snapshot = open_snapshot(repo.path)
    assert _read(snapshot, _entry(snapshot, "app.py")) == [("app.py", b"x = 1\n")]
    snapshot.close()


def test_a_sha256_repository_is_read_from_the_work_tree_too(tmp_path: Path) -> None:
    root = tmp_path / "sha256"
    env = {
        **os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }  # fmt: skip
    try:
        subprocess.run(["git", "init", "-q", "--object-format=sha256", str(root)], check=True,
                       capture_output=True, env=env)  # fmt: skip
    except subprocess.CalledProcessError as exc:  # git older than 2.29 has no SHA-256
        pytest.fail(f"this git cannot make a SHA-256 repository: {exc.stderr.decode()}")
    (root / "app.py").write_text("x = 256\n")
    for args in (["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    snapshot = open_snapshot(root)
    assert isinstance(snapshot, GitSnapshot)
    entry = _entry(snapshot, "app.py")
    assert entry.blob_id is not None and len(entry.blob_id) == 64
    _drop_object(root, entry.blob_id)
    assert _read(snapshot, entry) == [("app.py", b"x = 256\n")]
    snapshot.close()


@pytest.mark.parametrize(
    ("path", "plain"),
    [("src/app.py", True), ("../outside/f", False), ("a/../b", False), ("./a", False),
     ("a//b", False), (".git/config", False), ("sub/.GIT/hooks", False), (".github/x.yml", True)],
)  # fmt: skip
def test_only_ordinary_paths_are_read_from_the_work_tree(path: str, plain: bool) -> None:
    from assay.snapshot.worktree import _plain

    assert _plain(path) is plain
