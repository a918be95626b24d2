"""GitSnapshot and open_snapshot: the index from ls-tree, reads through cat-file, history."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assay.errors import SnapshotError
from assay.model import EntryKind, FileEntry, SourceInfo
from assay.snapshot import Commit, open_snapshot
from assay.snapshot.directory import DirectorySnapshot
from assay.snapshot.git import GitHistory, GitSnapshot, parse_ls_tree

# A commit id that is not an object of any test repository: a submodule's commit
# lives in another repository, so reading it here would fail.
FOREIGN_COMMIT = "0123456789abcdef0123456789abcdef01234567"
A = "a" * 40
B = "b" * 40
C = "c" * 40
D = "d" * 40
E = "e" * 40
F = "f" * 40


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def git_date(text: str) -> str:
    return f"{ts(text)} +0000"


# --------------------------------------------------------------------------- parse_ls_tree


def test_parse_ls_tree_reads_modes_sizes_and_raw_paths() -> None:
    output = (
        f"100644 blob {A}      12\tsrc/app.py\0".encode()
        + f"100755 blob {B}       7\trun.sh\0".encode()
        + f"120000 blob {C}       6\tdocs\0".encode()
        + f"160000 commit {D}       -\tvendor/lib\0".encode()
        + f"100644 blob {E}       3\tweird\nname\twith tab.py\0".encode()
        + f"100644 blob {F}       4\tbad-".encode()
        + b"\xff\xfe.py\0"
    )
    assert parse_ls_tree(output) == [
        FileEntry(path="src/app.py", kind=EntryKind.FILE, blob_id=A, size=12, language="python"),
        FileEntry(path="run.sh", kind=EntryKind.EXECUTABLE, blob_id=B, size=7, language="shell"),
        FileEntry(path="docs", kind=EntryKind.SYMLINK, blob_id=C, size=6, language=None),
        FileEntry(path="vendor/lib", kind=EntryKind.SUBMODULE, blob_id=D, size=0, language=None),
        FileEntry(
            path="weird\nname\twith tab.py",
            kind=EntryKind.FILE,
            blob_id=E,
            size=3,
            language="python",
        ),
        FileEntry(
            path=os.fsdecode(b"bad-\xff\xfe.py"),
            kind=EntryKind.FILE,
            blob_id=F,
            size=4,
            language="python",
        ),
    ]


def test_parse_ls_tree_of_nothing_is_empty() -> None:
    assert parse_ls_tree(b"") == []
    assert parse_ls_tree(b"\0") == []


# --------------------------------------------------------------------------- a real repository


def add_submodule(repo: Any) -> str:
    """Record ``vendor/lib`` as a submodule at a commit of another repository."""
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{FOREIGN_COMMIT},vendor/lib")
    repo.git("commit", "-q", "-m", "add a submodule")  # not `add -A`: no work tree for it
    return str(repo.git("rev-parse", "HEAD").strip())


def object_id(repo: Any, path: str, rev: str = "HEAD") -> str:
    return str(repo.git("rev-parse", f"{rev}:{path}").strip())


def test_entries_of_a_real_repository(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.write(
        {
            "README.md": "# demo\n",
            "src/app.py": "print('hi')\n",
            "run": "#!/bin/sh\necho hi\n",
            "Makefile": "all:\n\ttrue\n",
            "data.bin": b"\x00\x01\x02",
            "new\nline.py": "x = 1\n",
            "tab\there.txt": "t\n",
        }
    )
    os.chmod(repo.path / "run", 0o755)  # noqa: S103  # nosec B103 - an executable is the point
    (repo.path / os.fsdecode(b"caf\xe9.py")).write_bytes(b"y = 2\n")
    repo.symlink("docs", "src")
    repo.commit("initial")
    commit = add_submodule(repo)

    snapshot = open_snapshot(repo.path)
    assert isinstance(snapshot, GitSnapshot)
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    assert snapshot.source == SourceInfo(kind="git", commit=commit, tree=tree, ref=None)

    def blob(path: str, kind: EntryKind, size: int, language: str | None) -> FileEntry:
        return FileEntry(
            path=path, kind=kind, blob_id=object_id(repo, path), size=size, language=language
        )

    assert list(snapshot.entries) == [
        blob("Makefile", EntryKind.FILE, 11, "makefile"),
        blob("README.md", EntryKind.FILE, 7, "markdown"),
        FileEntry(
            path=os.fsdecode(b"caf\xe9.py"),
            kind=EntryKind.FILE,
            blob_id=repo.git("hash-object", os.fsdecode(b"caf\xe9.py")).strip(),
            size=6,
            language="python",
        ),
        blob("data.bin", EntryKind.FILE, 3, None),
        blob("docs", EntryKind.SYMLINK, 3, None),
        blob("new\nline.py", EntryKind.FILE, 6, "python"),
        blob("run", EntryKind.EXECUTABLE, 18, None),
        blob("src/app.py", EntryKind.FILE, 12, "python"),
        blob("tab\there.txt", EntryKind.FILE, 2, None),
        FileEntry(path="vendor/lib", kind=EntryKind.SUBMODULE, blob_id=FOREIGN_COMMIT, size=0),
    ]
    # The blob ids are git's own: what `git hash-object` gives the bytes on disk.
    assert object_id(repo, "src/app.py") == repo.git("hash-object", "src/app.py").strip()
    assert object_id(repo, "data.bin") == repo.git("hash-object", "data.bin").strip()

    read = {entry.path: data for entry, data in snapshot.read_blobs(snapshot.entries)}
    # Symlinks and the submodule (whose commit is not even in this repository) are not read.
    assert read == {
        "Makefile": b"all:\n\ttrue\n",
        "README.md": b"# demo\n",
        os.fsdecode(b"caf\xe9.py"): b"y = 2\n",
        "data.bin": b"\x00\x01\x02",
        "new\nline.py": b"x = 1\n",
        "run": b"#!/bin/sh\necho hi\n",
        "src/app.py": b"print('hi')\n",
        "tab\there.txt": b"t\n",
    }
    snapshot.close()


def test_a_submodule_alone_is_never_read(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "r\n"})
    add_submodule(repo)
    snapshot = open_snapshot(repo.path)
    submodule = next(e for e in snapshot.entries if e.path == "vendor/lib")
    assert submodule.kind == EntryKind.SUBMODULE
    assert list(snapshot.read_blobs([submodule])) == []
    snapshot.close()


def many_files(count: int) -> dict[str, str | bytes]:
    return {f"dir{i % 7}/file{i:03}.txt": f"content {i}\n" * (i % 5 + 1) for i in range(count)}


def test_read_blobs_returns_exact_bytes_in_the_order_asked(make_repo: Any) -> None:
    files = many_files(300)
    repo = make_repo("p", files)
    snapshot = open_snapshot(repo.path)
    wanted = list(reversed(snapshot.entries))
    got = [(entry.path, data) for entry, data in snapshot.read_blobs(wanted)]
    assert got == [(e.path, str(files[e.path]).encode()) for e in wanted]
    assert len(got) == 300
    snapshot.close()


def test_a_consumer_that_stops_early_leaves_the_next_read_correct(make_repo: Any) -> None:
    files = many_files(300)
    files["big.txt"] = "0123456789abcdef" * 65536  # 1 MiB: more than a pipe holds
    repo = make_repo("p", files)
    snapshot = open_snapshot(repo.path)
    entries = sorted(snapshot.entries, key=lambda e: e.path)
    expected = [(e.path, str(files[e.path]).encode()) for e in entries]

    seen = []
    for entry, data in snapshot.read_blobs(entries):
        seen.append((entry.path, data))
        if len(seen) == 2:
            break
    assert seen == expected[:2]
    assert [(e.path, d) for e, d in snapshot.read_blobs(entries)] == expected

    # Closed explicitly, half-way through, then asked again for a different order.
    reader = snapshot.read_blobs(entries)
    assert next(reader)[0].path == entries[0].path
    reader.close()
    backwards = list(reversed(entries))
    assert [(e.path, d) for e, d in snapshot.read_blobs(backwards)] == expected[::-1]
    snapshot.close()


def test_a_missing_object_is_an_error_and_the_next_read_is_still_right(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "aaa\n", "b.txt": "bbb\n", "c.txt": "ccc\n"})
    snapshot = open_snapshot(repo.path)
    a, b, c = snapshot.entries
    assert a.blob_id is not None
    (repo.path / ".git" / "objects" / a.blob_id[:2] / a.blob_id[2:]).unlink()
    for name in ("a.txt", "b.txt", "c.txt"):  # not checked out: every read goes through git
        (repo.path / name).unlink()
    with pytest.raises(SnapshotError) as caught:
        list(snapshot.read_blobs([a, b, c]))
    assert caught.value.message == f"{repo.path}: git cannot read 'a.txt' ({a.blob_id} missing)"
    # The answers for b and c that were still in the pipe must not be taken for c's.
    assert list(snapshot.read_blobs([c])) == [(c, b"ccc\n")]
    assert list(snapshot.read_blobs([b, c])) == [(b, b"bbb\n"), (c, b"ccc\n")]
    snapshot.close()


def test_an_older_commit_gives_that_commits_files(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "one\n", "gone.txt": "bye\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    (repo.path / "gone.txt").unlink()
    repo.commit_files({"a.txt": "two\n", "b.txt": "new\n"})

    old = open_snapshot(repo.path, rev=first)
    tree = repo.git("rev-parse", f"{first}^{{tree}}").strip()
    assert old.source == SourceInfo(kind="git", commit=first, tree=tree, ref=first)
    assert [(e.path, d) for e, d in old.read_blobs(old.entries)] == [
        ("a.txt", b"one\n"),
        ("gone.txt", b"bye\n"),
    ]
    old.close()

    short = open_snapshot(repo.path, rev="HEAD~1")
    assert short.source.commit == first
    assert short.source.ref == "HEAD~1"
    short.close()

    new = open_snapshot(repo.path)
    assert [(e.path, d) for e, d in new.read_blobs(new.entries)] == [
        ("a.txt", b"two\n"),
        ("b.txt", b"new\n"),
    ]
    new.close()


# --------------------------------------------------------------------------- errors


def test_an_unknown_commit_is_named(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "a\n"})
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(repo.path, rev="no-such-branch")
    assert caught.value.message == f"{repo.path}: unknown commit 'no-such-branch'"
    assert caught.value.hint == "give a branch, tag or commit id that exists in this repository"


def test_a_revision_that_looks_like_an_option_is_only_a_name(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "a\n"})
    target = repo.path.parent / "written"
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(repo.path, rev=f"--output={target}")
    assert caught.value.message == f"{repo.path}: unknown commit '--output={target}'"
    assert not target.exists()


def test_a_tree_is_not_a_commit(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "a\n"})
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(repo.path, rev=tree)
    assert caught.value.message == f"{repo.path}: unknown commit '{tree}'"


def test_an_empty_repository_has_no_commits(make_repo: Any) -> None:
    repo = make_repo("empty")
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(repo.path)
    assert caught.value.message == f"{repo.path}: the repository has no commits yet"


def test_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(tmp_path / "nowhere")
    assert caught.value.message == f"{tmp_path / 'nowhere'}: no such file or directory"


def test_a_file_is_not_a_product(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(tmp_path / "file.txt")
    assert caught.value.message == f"{tmp_path / 'file.txt'}: not a directory"


def test_a_corrupt_repository(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "a\n"})
    (repo.path / ".git" / "HEAD").unlink()
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(repo.path)
    assert caught.value.message == (
        f"{repo.path}: corrupt git repository "
        "(fatal: not a git repository (or any of the parent directories): .git)"
    )
    assert caught.value.hint == "repair the clone (or clone it again) before auditing it"


def test_a_subfolder_of_a_repository_is_a_plain_directory(make_repo: Any) -> None:
    # Only ``<path>/.git`` makes a git snapshot: a folder inside a clone is audited as it
    # is on disk, without history, like any plain directory.
    repo = make_repo("p", {"sub/a.py": "x = 1\n", "README.md": "r\n"})
    snapshot = open_snapshot(repo.path / "sub")
    assert isinstance(snapshot, DirectorySnapshot)
    assert snapshot.source == SourceInfo(kind="directory")
    assert [e.path for e in snapshot.entries] == ["a.py"]
    assert snapshot.history() is None

    with pytest.raises(SnapshotError) as caught:
        open_snapshot(repo.path / "sub", require_git=True)
    assert caught.value.message == f"{repo.path / 'sub'}: not a git repository"


def test_a_plain_directory_when_git_is_required(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(tmp_path, require_git=True)
    assert caught.value.message == f"{tmp_path}: not a git repository"
    assert caught.value.hint == "give the path of a local clone"


def test_a_commit_of_a_plain_directory(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError) as caught:
        open_snapshot(tmp_path, rev="HEAD")
    assert caught.value.message == (
        f"{tmp_path}: --commit needs a git repository, and this is a plain directory"
    )


# --------------------------------------------------------------------------- history


def test_history_of_a_linear_repository(make_repo: Any) -> None:
    repo = make_repo("p")
    first = repo.commit("one", date=git_date("2020-01-01T00:00:00"))
    second = repo.commit("two", date=git_date("2021-06-01T12:00:00"))
    third = repo.commit("three", date=git_date("2022-03-04T05:06:07"))

    snapshot = open_snapshot(repo.path)
    history = snapshot.history()
    assert isinstance(history, GitHistory)
    assert history.last_commit_time() == ts("2022-03-04T05:06:07")
    assert history.first_commit_time() == ts("2020-01-01T00:00:00")
    author = "author@example.com"
    # Inclusive: a commit at exactly the timestamp counts.
    assert history.commits_since(ts("2021-06-01T12:00:00")) == [
        Commit(sha=third, author=author, timestamp=ts("2022-03-04T05:06:07")),
        Commit(sha=second, author=author, timestamp=ts("2021-06-01T12:00:00")),
    ]
    assert history.commits_since(ts("2019-01-01T00:00:00")) == [
        Commit(sha=third, author=author, timestamp=ts("2022-03-04T05:06:07")),
        Commit(sha=second, author=author, timestamp=ts("2021-06-01T12:00:00")),
        Commit(sha=first, author=author, timestamp=ts("2020-01-01T00:00:00")),
    ]
    assert history.commits_since(ts("2023-01-01T00:00:00")) == []
    snapshot.close()

    # The history is that of the audited commit, not of the branch.
    older = open_snapshot(repo.path, rev=second).history()
    assert older is not None
    assert older.last_commit_time() == ts("2021-06-01T12:00:00")
    assert [c.sha for c in older.commits_since(0)] == [second, first]


def test_first_commit_time_is_the_oldest_root_of_a_merged_history(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.write({"main.txt": "m\n"})
    repo.commit("main history", date=git_date("2021-01-01T00:00:00"))
    repo.git("checkout", "-q", "--orphan", "imported")
    repo.git("rm", "-q", "-rf", ".")
    repo.write({"old.txt": "o\n"})
    repo.commit("imported history", date=git_date("2015-05-05T00:00:00"))
    repo.git("checkout", "-q", "main")
    merge_date = git_date("2022-02-02T00:00:00")
    repo.git(
        "merge", "-q", "--allow-unrelated-histories", "-m", "merge", "imported",
        env={"GIT_AUTHOR_DATE": merge_date, "GIT_COMMITTER_DATE": merge_date},
    )  # fmt: skip
    assert len(repo.git("rev-list", "--max-parents=0", "HEAD").split()) == 2

    snapshot = open_snapshot(repo.path)
    history = snapshot.history()
    assert history.first_commit_time() == ts("2015-05-05T00:00:00")
    assert history.last_commit_time() == ts("2022-02-02T00:00:00")
    assert [e.path for e in snapshot.entries] == ["main.txt", "old.txt"]
    snapshot.close()


def test_a_commit_listed_early_has_the_same_entries(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n", "docs/b.md": "# b\n"})
    early = open_snapshot(repo.path, list_early=True)
    late = open_snapshot(repo.path)
    try:
        assert list(early.entries) == list(late.entries)
        assert [e.path for e in early.entries] == ["a.py", "docs/b.md"]
    finally:
        early.close()
        late.close()


def test_a_commit_listed_early_and_never_needed_closes_cleanly(make_repo: Any) -> None:
    repo = make_repo("p", {"a.py": "x = 1\n"})
    snapshot = open_snapshot(repo.path, list_early=True)
    snapshot.close()
    snapshot.close()
