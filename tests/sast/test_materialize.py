"""Writing a product's files from the snapshot into a temporary folder, safely."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from assay.checks.sast._materialize import materialize, safe_parts
from assay.model import EntryKind, FileEntry, SourceInfo
from assay.snapshot import open_snapshot
from assay.snapshot.base import READABLE_KINDS, History


class FakeSnapshot:
    """A snapshot whose index holds what git would refuse: hostile paths, duplicates."""

    def __init__(self, root: Path, files: Sequence[tuple[FileEntry, bytes]]) -> None:
        self.root = root
        self.source = SourceInfo(kind="directory")
        self._files = files

    @property
    def entries(self) -> Sequence[FileEntry]:
        return [entry for entry, _ in self._files]

    def read_blobs(self, entries: Iterable[FileEntry]) -> Iterator[tuple[FileEntry, bytes]]:
        wanted = [e for e in entries if e.kind in READABLE_KINDS]
        for entry, data in self._files:
            if entry in wanted and not entry.path.startswith("vanished"):
                yield entry, data

    def history(self) -> History | None:
        return None

    def detach(self) -> None:
        pass

    def close(self) -> None:
        pass


def entry(path: str, data: bytes, kind: EntryKind = EntryKind.FILE) -> tuple[FileEntry, bytes]:
    return FileEntry(path=path, kind=kind, blob_id=None, size=len(data)), data


def written(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("app/main.py", ("app", "main.py")),
        ("main.py", ("main.py",)),
        ("a b/c\\d.py", ("a b", "c\\d.py")),
        ("../evil.py", None),
        ("app/../../evil.py", None),
        ("/etc/evil.py", None),
        ("app//x.py", None),
        ("app/./x.py", None),
        ("app/", None),
        ("", None),
        ("a\0b.py", None),
        ("caf\udce9.py", None),
    ],
)
def test_safe_parts_refuses_paths_that_could_leave_the_folder(
    path: str, parts: tuple[str, ...] | None
) -> None:
    assert safe_parts(path) == parts


def test_regular_files_are_written_and_everything_else_is_skipped_and_counted(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    snapshot = FakeSnapshot(
        tmp_path,
        [
            entry("app/main.py", b"print('main')\n"),
            entry("app/tool.py", b"#!/usr/bin/env python\n", EntryKind.EXECUTABLE),
            entry("link.py", b"", EntryKind.SYMLINK),
            entry("vendor.py", b"", EntryKind.SUBMODULE),
            entry("../outside/escape.py", b"x = 1\n"),
            entry("/abs/escape.py", b"x = 1\n"),
            entry("big.py", b"x" * 101),
            entry("vanished.py", b"x = 2\n"),
            entry("app/main.py", b"print('second of the same name')\n"),
        ],
    )
    with materialize(snapshot, snapshot.entries, max_file_bytes=100) as tree:
        assert written(tree.root) == {
            "app/main.py": b"print('main')\n",
            "app/tool.py": b"#!/usr/bin/env python\n",
        }
        assert tree.files == frozenset({"app/main.py", "app/tool.py"})
        assert dict(tree.skipped) == {
            "symlink": 1,
            "submodule": 1,
            "unsafe_path": 2,
            "too_large": 1,
            "unreadable": 1,
            "collision": 1,
        }
        modes = {stat.S_IMODE((tree.root / p).stat().st_mode) for p in tree.files}
        assert modes == {0o600}
        assert not any(p.is_symlink() for p in tree.root.rglob("*"))
        assert tree.lines("app/main.py") == ["print('main')"]
        root = tree.root
    assert list(outside.iterdir()) == []
    assert not root.exists()


def test_the_folder_is_removed_when_the_body_raises(tmp_path: Path) -> None:
    snapshot = FakeSnapshot(tmp_path, [entry("a.py", b"x = 1\n")])
    with (
        pytest.raises(RuntimeError),
        materialize(snapshot, snapshot.entries, max_file_bytes=100) as tree,
    ):
        root = tree.root
        raise RuntimeError("boom")
    assert not root.exists()


def test_a_file_that_grew_past_the_cap_after_indexing_is_skipped(tmp_path: Path) -> None:
    grown = FileEntry(path="a.py", kind=EntryKind.FILE, blob_id=None, size=5)
    snapshot = FakeSnapshot(tmp_path, [(grown, b"x = 'now much longer'\n")])
    with materialize(snapshot, snapshot.entries, max_file_bytes=10) as tree:
        assert (tree.files, dict(tree.skipped)) == (frozenset(), {"too_large": 1})


def test_a_commit_is_written_from_git_objects_not_from_the_work_tree(make_repo: Any) -> None:
    repo = make_repo("product", {"app/a.py": "old = 1\n", "app/b.py": "b = 1\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit_files({"app/a.py": "new = 2\n"})
    (repo.path / "app" / "b.py").unlink()  # the work tree no longer has it
    repo.symlink("app/link.py", "/etc/passwd")
    snapshot = open_snapshot(repo.path, rev=first)
    try:
        with materialize(snapshot, snapshot.entries, max_file_bytes=1000) as tree:
            assert written(tree.root) == {"app/a.py": b"old = 1\n", "app/b.py": b"b = 1\n"}
    finally:
        snapshot.close()


def test_symlinks_of_a_commit_are_never_written(make_repo: Any) -> None:
    repo = make_repo("product", {"app/a.py": "a = 1\n"})
    repo.symlink("app/link.py", "/etc/passwd")
    repo.symlink("app/dir", "/etc")
    repo.commit()
    snapshot = open_snapshot(repo.path)
    try:
        with materialize(snapshot, snapshot.entries, max_file_bytes=1000) as tree:
            assert written(tree.root) == {"app/a.py": b"a = 1\n"}
            assert dict(tree.skipped) == {"symlink": 2}
    finally:
        snapshot.close()


def test_reported_paths_map_back_to_repository_paths_only_when_written(tmp_path: Path) -> None:
    snapshot = FakeSnapshot(tmp_path, [entry("app/a.py", b"a = 1\n")])
    with materialize(snapshot, snapshot.entries, max_file_bytes=100) as tree:
        assert tree.repo_path(str(tree.root / "app" / "a.py")) == "app/a.py"
        assert tree.repo_path("./app/a.py") == "app/a.py"
        assert tree.repo_path("app/a.py") == "app/a.py"
        assert tree.repo_path("app/other.py") is None
        assert tree.repo_path("../a.py") is None
        assert tree.repo_path(os.devnull) is None
