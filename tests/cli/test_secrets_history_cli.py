"""``assay secrets history``: a credential deleted later is still found, with its commits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

# Built at run time so this file holds no credential-looking literal of its own.
AWS_ID = "AKIA" + "Q3EGRWPK2XN7HFZC"
GH = "ghp_" + "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"


def test_a_deleted_secret_and_one_on_another_branch_are_found(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": "# shop\n"})
    added = repo.commit_files({".env": f"AWS_ACCESS_KEY_ID={AWS_ID}\n"}, "add env")
    (repo.path / ".env").unlink()
    removed = repo.commit("remove env")
    repo.git("checkout", "-q", "-b", "feature")
    branch = repo.commit_files({"ci/deploy.sh": f"export GITHUB_TOKEN={GH}\n"}, "deploy")
    repo.git("checkout", "-q", "main")
    # The current tree is clean: an audit of HEAD finds nothing.
    head = json.loads(assay("audit", repo.path, "--format", "json").stdout)
    assert [f for f in head["findings"] if f["check_id"] == "secrets.scan"] == []

    result = assay("secrets", "history", repo.path, "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert (document["blobs_seen"], document["blobs_scanned"]) == (3, 3)
    found = [(f["rule"], f["places"]) for f in document["findings"]]
    assert found == [
        ("secrets.aws-access-key-id", [{"commit": added, "path": ".env"}]),
        ("secrets.github-pat", [{"commit": branch, "path": "ci/deploy.sh"}]),
    ]
    assert AWS_ID not in result.stdout and GH not in result.stdout
    assert removed not in result.stdout

    table = assay("secrets", "history", repo.path)
    assert table.returncode == 1
    assert table.stdout.splitlines()[-1] == (
        "2 findings in 3 blobs scanned (3 in the history, 0 skipped: binary, not UTF-8 or over "
        "the size limit)"
    )


def test_a_clean_history_exits_0(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": "x = 1\n"})
    result = assay("secrets", "history", repo.path, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["findings"] == []


def test_a_plain_directory_is_refused(assay: Any, tmp_path: Path) -> None:
    result = assay("secrets", "history", tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {tmp_path}: not a git repository\nhint: give the path of a local clone\n"
    )
