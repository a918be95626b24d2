"""process.signatures: signed commits and tags of the window (present, never verified)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assay.checks.api import finding
from assay.checks.process.signatures import SignaturesCheck, SignaturesParams
from assay.model import Measure, Severity
from support import expect, run_product_check

CHECK = "process.signatures"
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400


@dataclass(frozen=True)
class At:
    path: Path


def m(name: str, value: float, unit: str, **labels: str) -> Measure:
    return Measure(check_id=CHECK, name=name, value=value, unit=unit, labels=labels)


def commit_at(repo: Any, message: str, when: int, *, sign_with: Path | None = None) -> str:
    stamp = f"{when} +0000"
    signing = ("-c", "gpg.format=ssh", "-c", f"user.signingkey={sign_with}", "-c",
               "commit.gpgsign=true") if sign_with else ()  # fmt: skip
    repo.git(*signing, "commit", "-q", "--allow-empty", "-m", message,
             env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})  # fmt: skip
    return str(repo.git("rev-parse", "HEAD").strip())


def forged_commit(repo: Any, when: int) -> str:
    """A commit whose signature header holds a block no verifier can read."""
    parent = repo.git("rev-parse", "HEAD").strip()
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    body = (
        f"tree {tree}\nparent {parent}\n"
        f"author Mallory <mallory@example.com> {when} +0000\n"
        f"committer Mallory <mallory@example.com> {when} +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n not a signature\n\nForged\n"
    )
    command = ["git", "-C", str(repo.path), "hash-object", "-t", "commit", "-w", "--stdin"]
    done = subprocess.run(command, input=body.encode(), capture_output=True, check=True)
    forged = done.stdout.decode().strip()
    repo.git("update-ref", "refs/heads/main", forged)
    return forged


@pytest.fixture
def key(tmp_path: Path) -> Path:
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    return key


def test_signed_commits_and_tags(make_repo: Any, key: Path) -> None:
    repo = make_repo("product")
    root = commit_at(repo, "Initial import", T0)
    repo.git("tag", "v0.1", root)  # older than the window: not counted
    commit_at(repo, "Signed work", T0 + 10 * DAY, sign_with=key)
    unsigned = commit_at(repo, "Unsigned work", T0 + 11 * DAY)
    tagger = {"GIT_COMMITTER_DATE": f"{T0 + 13 * DAY} +0000"}
    repo.git("tag", "-a", "v0.9", "-m", "release 0.9", unsigned, env=tagger)
    forged = forged_commit(repo, T0 + 12 * DAY)
    last = commit_at(repo, "More signed work", T0 + 13 * DAY, sign_with=key)
    repo.git("-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "tag", "-s", "v1.0", "-m",
             "release 1.0", last, env=tagger)  # fmt: skip
    repo.git("tag", "nightly", last)
    assert run_product_check(SignaturesCheck(), repo, SignaturesParams(window_days=7)) == expect(
        findings=[
            finding(CHECK, "process.unreadable-signature",
                    f"commit {forged[:12]} by Mallory <mallory@example.com> on 2023-11-26 "
                    "(Forged) carries a signature no verifier can read: not an OpenPGP, SSH or "
                    "X.509 signature block, or one cut short",
                    severity=Severity.MEDIUM, key=forged,
                    properties={"commit": forged, "author": "mallory@example.com"}),
        ],
        measures=[
            m("process.commits", 4, "commits"),
            m("process.signed_commits", 3, "commits"),
            m("process.signed_commits", 2, "commits", format="ssh"),
            m("process.signed_commits", 1, "commits", format="unknown"),
            m("process.signed_share", 75.0, "%"),
            m("process.tags", 3, "tags"),
            m("process.signed_tags", 1, "tags"),
            m("process.signed_tag_share", 33.33, "%"),
        ],
    )  # fmt: skip


def test_no_signature_and_no_tag(make_repo: Any) -> None:
    repo = make_repo("product")
    commit_at(repo, "Initial import", T0)
    commit_at(repo, "More", T0 + DAY)
    # Without a tag, there is no share of signed tags to give.
    assert run_product_check(SignaturesCheck(), repo) == expect(
        measures=[
            m("process.commits", 2, "commits"),
            m("process.signed_commits", 0, "commits"),
            m("process.signed_share", 0.0, "%"),
            m("process.tags", 0, "tags"),
            m("process.signed_tags", 0, "tags"),
        ],
    )


def test_one_signed_commit(make_repo: Any, key: Path) -> None:
    repo = make_repo("product")
    commit_at(repo, "Initial import", T0, sign_with=key)
    assert run_product_check(SignaturesCheck(), repo) == expect(
        measures=[
            m("process.commits", 1, "commits"),
            m("process.signed_commits", 1, "commits"),
            m("process.signed_commits", 1, "commits", format="ssh"),
            m("process.signed_share", 100.0, "%"),
            m("process.tags", 0, "tags"),
            m("process.signed_tags", 0, "tags"),
        ],
    )


def test_shallow_clone_cut_inside_the_window(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("product")
    commit_at(repo, "one", T0)
    cut = commit_at(repo, "two", T0 + DAY)
    last = commit_at(repo, "three", T0 + 2 * DAY)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.path}", str(clone))
    assert run_product_check(SignaturesCheck(), At(clone)) == expect(
        not_applicable=f"the clone is shallow: its history stops at {cut[:12]} (2023-11-15), "
        f"inside the 90 days up to {last[:12]} (2023-11-16); "
        "fetch the whole history (git fetch --unshallow) to judge it"
    )


def test_plain_directory_has_no_history(tmp_path: Path) -> None:
    assert run_product_check(SignaturesCheck(), At(tmp_path)) == expect(
        not_applicable="a plain directory has no git history"
    )
