"""DirectorySnapshot: a plain folder as it is on disk, .gitignore honoured, links not followed."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest

from assay.cache import ResultCache
from assay.checks.api import NoParams
from assay.checks.inventory import LanguagesCheck
from assay.engine import BoundCheck, Limits, run_checks
from assay.model import EntryKind, FileEntry, SkippedFile, SkipReason, SourceInfo
from assay.snapshot import open_snapshot
from assay.snapshot.directory import DirectorySnapshot, walk


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def file(path: str, size: int, language: str | None = None) -> FileEntry:
    return FileEntry(path=path, kind=EntryKind.FILE, blob_id=None, size=size, language=language)


def test_nested_gitignore_files_apply_relative_to_their_folder(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".gitignore": "*.log\nbuild/\n/top-only.txt\n",
        "a.log": "x",
        "main.py": "print(1)\n",
        "top-only.txt": "ignored at the top\n",
        "build/out.o": "o",
        "sub/.gitignore": "!keep.log\n/local.txt\n",
        "sub/keep.log": "kept\n",
        "sub/drop.log": "dropped\n",
        "sub/local.txt": "ignored: anchored in sub/\n",
        "sub/top-only.txt": "kept: the top rule is anchored at the top\n",
        "sub/deeper/local.txt": "kept: anchored rules do not reach deeper\n",
        "sub/build/y.o": "ignored by the parent's directory rule",
        "file-named/build": "a file, which a directory rule does not match\n",
        "local.txt": "kept: sub's rule is relative to sub\n",
    }
    write(tmp_path, files)

    def kept(path: str, language: str | None = None) -> FileEntry:
        return file(path, len(str(files[path]).encode()), language)

    assert walk(tmp_path) == [
        kept(".gitignore", "gitignore"),
        kept("file-named/build"),
        kept("local.txt"),
        kept("main.py", "python"),
        kept("sub/.gitignore", "gitignore"),
        kept("sub/deeper/local.txt"),
        kept("sub/keep.log"),
        kept("sub/top-only.txt"),
    ]
    # Each kept path is what git itself would keep.
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "-C", str(tmp_path), "ls-files", "--others", "--exclude-standard", "-z"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    assert sorted(p for p in listed if p) == [e.path for e in walk(tmp_path)]


def test_a_child_gitignore_can_exclude_what_the_parent_allows(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "*.tmp\n!important.tmp\n",
            "important.tmp": "1",
            "sub/.gitignore": "important.tmp\n",
            "sub/important.tmp": "2",
            "sub/other.tmp": "3",
        },
    )
    assert [e.path for e in walk(tmp_path)] == [".gitignore", "important.tmp", "sub/.gitignore"]


def test_the_git_folder_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "ref: refs/heads/main\n", ".git/config": "", "a.txt": "a\n"})
    assert walk(tmp_path) == [file("a.txt", 2)]


def test_symlinks_are_recorded_and_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"secret.txt": "s3cret\n", "nested/deep.py": "x = 1\n"})
    root = tmp_path / "product"
    write(root, {"a.py": "a = 1\n", "run.sh": "#!/bin/sh\n"})
    (root / "run.sh").chmod(0o755)
    (root / "to-file").symlink_to(outside / "secret.txt")
    (root / "to-dir").symlink_to(outside)
    (root / "to-sibling.py").symlink_to("a.py")
    (root / "dangling").symlink_to("nowhere")

    snapshot = open_snapshot(root)
    assert isinstance(snapshot, DirectorySnapshot)
    assert snapshot.source == SourceInfo(kind="directory")
    assert snapshot.history() is None

    def link(path: str, target: str) -> FileEntry:
        size = len(os.fsencode(target))
        return FileEntry(path=path, kind=EntryKind.SYMLINK, blob_id=None, size=size)

    assert list(snapshot.entries) == [
        file("a.py", 6, "python"),
        link("dangling", "nowhere"),
        FileEntry(
            path="run.sh", kind=EntryKind.EXECUTABLE, blob_id=None, size=10, language="shell"
        ),
        link("to-dir", str(outside)),
        link("to-file", str(outside / "secret.txt")),
        link("to-sibling.py", "a.py"),
    ]
    assert [(e.path, d) for e, d in snapshot.read_blobs(snapshot.entries)] == [
        ("a.py", b"a = 1\n"),
        ("run.sh", b"#!/bin/sh\n"),
    ]


def test_a_symlinked_gitignore_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"rules": "*.py\n"})
    root = tmp_path / "product"
    write(root, {"a.py": "a = 1\n"})
    (root / ".gitignore").symlink_to(outside / "rules")
    assert [e.path for e in walk(root)] == [".gitignore", "a.py"]


def test_read_blobs_skips_a_file_swapped_for_a_symlink_after_the_walk(tmp_path: Path) -> None:
    write(tmp_path, {"outside.txt": "outside\n", "p/a.txt": "a\n", "p/b.txt": "b\n"})
    snapshot = open_snapshot(tmp_path / "p")
    (tmp_path / "p" / "b.txt").unlink()
    (tmp_path / "p" / "b.txt").symlink_to(tmp_path / "outside.txt")
    # The engine records a requested file that is not yielded as unreadable.
    assert [(e.path, d) for e, d in snapshot.read_blobs(snapshot.entries)] == [("a.txt", b"a\n")]


def test_read_blobs_skips_a_file_that_vanished_or_became_a_folder(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n"})
    snapshot = open_snapshot(tmp_path)
    (tmp_path / "a.txt").unlink()
    (tmp_path / "b.txt").unlink()
    (tmp_path / "b.txt").mkdir()
    assert [(e.path, d) for e, d in snapshot.read_blobs(snapshot.entries)] == [("c.txt", b"c\n")]


def test_read_blobs_does_not_hang_on_a_file_swapped_for_a_named_pipe(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "a\n", "b.txt": "b\n"})
    snapshot = open_snapshot(tmp_path)
    (tmp_path / "a.txt").unlink()
    os.mkfifo(tmp_path / "a.txt")
    result: list[tuple[str, bytes]] = []
    reader = threading.Thread(
        target=lambda: result.extend((e.path, d) for e, d in snapshot.read_blobs(snapshot.entries)),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader so the test process can end
        with open(tmp_path / "a.txt", "wb"):
            pass
        pytest.fail("read_blobs blocked on a named pipe")
    assert result == [("b.txt", b"b\n")]


def test_a_named_pipe_found_by_the_walk_is_listed_and_never_read(tmp_path: Path) -> None:
    write(tmp_path, {"a.txt": "a\n"})
    os.mkfifo(tmp_path / "pipe")
    snapshot = open_snapshot(tmp_path)
    # Anything that is neither a regular file nor a symlink is "special" and never opened.
    assert list(snapshot.entries) == [
        file("a.txt", 2),
        FileEntry(path="pipe", kind=EntryKind.SPECIAL, blob_id=None, size=0),
    ]
    assert [e.path for e, _ in snapshot.read_blobs(snapshot.entries)] == ["a.txt"]
    result = run_checks(
        snapshot, [BoundCheck(check=LanguagesCheck(), params=NoParams())],
        cache=ResultCache(None), limits=Limits(),
    )  # fmt: skip
    assert result.skipped == [SkippedFile(path="pipe", reason=SkipReason.SPECIAL, size=0)]


def test_the_executable_bit_and_sorted_output(tmp_path: Path) -> None:
    write(tmp_path, {"z/tool": "#!/bin/sh\n", "b.txt": "b", "A.md": "a", "a/b/c.py": "c"})
    (tmp_path / "z" / "tool").chmod(0o744)
    (tmp_path / "b.txt").chmod(0o644)
    assert walk(tmp_path) == [
        file("A.md", 1, "markdown"),
        file("a/b/c.py", 1, "python"),
        file("b.txt", 1),
        FileEntry(path="z/tool", kind=EntryKind.EXECUTABLE, blob_id=None, size=10),
    ]
