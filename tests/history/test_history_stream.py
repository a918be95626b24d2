"""stream_git: git's output in chunks, failures and timeouts as clear errors."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from assay.errors import SnapshotError
from assay.history import stream


def test_output_in_chunks(make_repo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo("p", {"a.txt": "x" * 10_000})
    monkeypatch.setattr(stream, "CHUNK", 4096)
    chunks = list(stream.stream_git(repo.path, "cat-file", "-p", "HEAD:a.txt"))
    assert b"".join(chunks) == b"x" * 10_000
    assert max(len(chunk) for chunk in chunks) <= 4096


def test_failure_names_the_command_and_git_message(make_repo: Any) -> None:
    repo = make_repo("p", {"a.txt": "x"})
    with pytest.raises(SnapshotError) as error:
        list(stream.stream_git(repo.path, "cat-file", "-p", "HEAD:missing.txt"))
    assert error.value.message == (
        f"{repo.path}: git cat-file failed: fatal: path 'missing.txt' does not exist in 'HEAD'"
    )


def test_timeout_kills_git(make_repo: Any, tmp_path: Any) -> None:
    repo = make_repo("p", {"a.txt": "x"})
    # A git that never ends: cat-file --batch waits for ids on a FIFO no one writes.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(SnapshotError) as error:
        list(stream.stream_git(repo.path, "hash-object", str(fifo), timeout=0.5))
    assert time.monotonic() - started < 10
    assert error.value.message == f"{repo.path}: git hash-object timed out after 0.5 s"
