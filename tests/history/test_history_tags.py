"""read_tags: the tags in the history of the audited commit, with kind and signature."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from assay.history import Tag, read_tags

T0 = 1_700_000_000


def commit_at(repo: Any, message: str, when: int) -> str:
    stamp = f"{when} +0000"
    repo.git("commit", "-q", "--allow-empty", "-m", message,
             env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})  # fmt: skip
    return str(repo.git("rev-parse", "HEAD").strip())


def test_tags_of_the_history(make_repo: Any, tmp_path: Path) -> None:
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo = make_repo("tags")
    first = commit_at(repo, "first", T0)
    second = commit_at(repo, "second", T0 + 100)
    tagger = {"GIT_COMMITTER_DATE": f"{T0 + 500} +0000"}
    repo.git("tag", "v1.0-light", first)
    repo.git("tag", "-a", "v1.0", "-m", "release 1.0", first, env=tagger)
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={key}",
             "tag", "-s", "v1.1", "-m", "release 1.1", second, env=tagger)  # fmt: skip
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    repo.git("tag", "a-tree", tree)  # names no commit: left out
    repo.git("tag", "-a", "nested", "-m", "a tag of a tag", "v1.0")  # left out as well
    repo.git("checkout", "-q", "-b", "side", first)
    side = commit_at(repo, "side", T0 + 200)
    repo.git("tag", "on-side", side)
    assert read_tags(repo.path, second) == [
        Tag(name="v1.0", commit=first, commit_time=T0, time=T0 + 500, annotated=True,
            signed=False),
        Tag(name="v1.0-light", commit=first, commit_time=T0, time=T0, annotated=False,
            signed=False),
        Tag(name="v1.1", commit=second, commit_time=T0 + 100, time=T0 + 500, annotated=True,
            signed=True),
    ]  # fmt: skip
    # Auditing an older commit: the later tag is not in its history.
    assert [tag.name for tag in read_tags(repo.path, first)] == ["v1.0", "v1.0-light"]
    assert [tag.name for tag in read_tags(repo.path, side)] == ["on-side", "v1.0", "v1.0-light"]


def test_no_tags(make_repo: Any) -> None:
    repo = make_repo("untagged")
    assert read_tags(repo.path, commit_at(repo, "first", T0)) == []
