"""A repository's own configuration must never make Assay run a program."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from assay.errors import SnapshotError
from assay.snapshot import open_snapshot


def _signed_looking_commit(repo: Any) -> None:
    """Make HEAD a commit with a gpgsig header, so showing its signature would call gpg."""
    raw = repo.git("cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    fake = " -----BEGIN PGP SIGNATURE-----\n \n =abcd\n -----END PGP SIGNATURE-----"
    commit = f"{head}\ngpgsig{fake}\n\n{message}"
    sha = (
        subprocess.run(
            ["git", "-C", str(repo.path), "hash-object", "-t", "commit", "-w", "--stdin"],
            input=commit.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    repo.git("update-ref", "HEAD", sha)


def test_gpg_program_in_the_repository_config_is_never_run(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"README.md": "# p\n"})
    _signed_looking_commit(repo)
    marker = tmp_path / "pwned"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    repo.git("config", "gpg.program", str(script))
    repo.git("config", "log.showSignature", "true")
    # The attack works on plain git: the configuration is live.
    repo.git("log", "-1")
    assert marker.exists()
    marker.unlink()

    snapshot = open_snapshot(repo.path)
    history = snapshot.history()
    assert history is not None
    assert len(history.commits_since(0)) == 1
    assert history.last_commit_time() > 0
    assert history.first_commit_time() > 0
    list(snapshot.read_blobs(snapshot.entries))
    snapshot.close()
    assert not marker.exists()


def test_a_dot_git_symlink_is_not_followed(make_repo: Any, tmp_path: Path) -> None:
    elsewhere = make_repo("elsewhere", {"secret.txt": "outside\n"})
    product = tmp_path / "product"
    product.mkdir()
    (product / ".git").symlink_to(elsewhere.path / ".git")
    with pytest.raises(SnapshotError) as raised:
        open_snapshot(product)
    assert raised.value.message == f"{product}: .git is a symlink; it is not followed"
