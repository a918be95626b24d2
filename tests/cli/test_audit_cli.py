"""``assay audit`` end to end: real repositories, real processes, exact messages and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assay.model import Audit

pytestmark = pytest.mark.slow

HINT_POLICY = "hint: fix the file, then check it with `assay policy validate FILE`"

README = "# Product\n\n" + "".join(f"Line {i} of a useful README.\n" for i in range(12))

# One control that passes on any repository with a README: for exit code 0.
PASSING_POLICY = """\
assay-policy: 1
id: readme-only
title: README only
controls:
  - id: R-1
    title: README present
    checks: [hygiene.readme]
    pass_reason: README present and long enough
"""


def audit_json(result: Any) -> Audit:
    return Audit.model_validate_json(result.stdout)


EXPECTED = Path(__file__).parent / "expected"


def test_audit_prints_table_with_summary_and_stores_it(
    make_repo: Any, assay: Any, assay_home: Path
) -> None:
    repo = make_repo("shop", {"README.md": README, "tests/test_a.py": "def test(): pass\n"})
    result = assay("audit", repo.path)
    assert result.returncode == 1, result.stderr
    commit = repo.git("rev-parse", "HEAD").strip()
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Time: ")
    audit_id = lines[-1].rsplit(" ", 1)[-1]
    normalised = "\n".join([*lines[:-1], "Time: {time}"]) + "\n"
    # The history checks name the commit's day; the golden file says {date}.
    normalised = re.sub(r"\(\d{4}-\d\d-\d\d\)", "({date})", normalised)
    expected = (EXPECTED / "audit_table.txt").read_text(encoding="utf-8")
    assert normalised == expected.replace("{commit}", commit[:12])
    assert result.stderr == f"stored as audit {audit_id} in {assay_home / 'assay.sqlite3'}\n"
    history = assay("history", "shop", "--format", "json")
    assert history.returncode == 0
    rows = json.loads(history.stdout)
    assert [(r["id"], r["product"], r["commit"], r["score"]) for r in rows] == [
        (audit_id, "shop", commit, 69.7)
    ]


def test_json_output_is_the_versioned_document(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README})
    result = assay(
        "audit", repo.path, "--format", "json", "--policy", _write(repo.path.parent, PASSING_POLICY)
    )
    assert result.returncode == 0, result.stderr
    audit = audit_json(result)
    assert audit.schema_version == "1"
    assert audit.source.commit == repo.git("rev-parse", "HEAD").strip()
    assert [(v.control_id, v.status.value, v.reason) for v in audit.verdicts] == [
        ("R-1", "pass", "README present and long enough")
    ]
    assert audit.summary.score == 100.0
    shown = assay("show", audit.id, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert audit_json(shown) == audit


def test_commit_option_audits_an_old_commit_without_checkout(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": "# short\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit_files({"README.md": README})
    policy = _write(repo.path.parent, PASSING_POLICY)
    old = assay("audit", repo.path, "--commit", first[:10], "--policy", policy, "--format", "json")
    assert old.returncode == 1
    audit = audit_json(old)
    assert audit.source.commit == first
    assert audit.verdicts[0].reason == "README.md has 1 non-blank line; at least 10 required"
    new = assay("audit", repo.path, "--policy", policy, "--format", "json")
    assert new.returncode == 0
    assert (repo.path / "README.md").read_text() == README  # the work tree was not touched


def test_score_and_counts_match_the_verdicts(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README})
    audit = audit_json(assay("audit", repo.path, "--format", "json"))
    counts = {status: 0 for status in audit.summary.counts}
    for verdict in audit.verdicts:
        counts[verdict.status] += 1
    assert audit.summary.counts == counts
    assert 0 <= audit.summary.score <= 100


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "error: {path}: no such file or directory\n"),
        ("file", "error: {path}: not a directory\n"),
    ],
)
def test_unreadable_paths(tmp_path: Path, assay: Any, setup: str, message: str) -> None:
    path = tmp_path / "target"
    if setup == "file":
        path.write_text("x")
    result = assay("audit", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message.format(path=path)


def test_corrupt_repository(make_repo: Any, assay: Any) -> None:
    repo = make_repo("broken", {"README.md": README})
    (repo.path / ".git" / "HEAD").unlink()
    result = assay("audit", repo.path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {repo.path}: corrupt git repository (fatal: not a git repository "
        "(or any of the parent directories): .git)\n"
        "hint: repair the clone (or clone it again) before auditing it\n"
    )


def test_unknown_commit(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README})
    result = assay("audit", repo.path, "--commit", "no-such-branch")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {repo.path.resolve()}: unknown commit 'no-such-branch'\n"
        "hint: give a branch, tag or commit id that exists in this repository\n"
    )


def test_repository_without_commits(tmp_path: Path, assay: Any, make_repo: Any) -> None:
    repo = make_repo("empty")
    result = assay("audit", repo.path)
    assert result.returncode == 2
    assert result.stderr == f"error: {repo.path.resolve()}: the repository has no commits yet\n"


@pytest.mark.parametrize(
    ("policy", "problem"),
    [
        (
            "assay-policy: 1\nid: x\n  title: t\n",
            "{p}:3:8: invalid YAML: mapping values are not allowed here",
        ),
        (
            "assay-policy: 1\nid: x\ntitle: t\ncontrols:\n  - id: C1\n    title: T\n"
            "    severty: high\n    checks: [hygiene.readme]\n",
            "{p}:7:5: controls[0].severty: unknown key 'severty'; did you mean 'severity'?",
        ),
        (
            "assay-policy: 1\nid: x\ntitle: t\nlimits:\n  check_timeout: soon\n",
            "{p}:5:18: limits.check_timeout: Input should be a valid number, unable to parse "
            "string as a number (got 'soon')",
        ),
        (
            "assay-policy: 1\nid: x\ntitle: t\ncontrols:\n  - id: C1\n    title: T\n"
            "    checks: [hygiene.readem]\n",
            "{p}:7:14: controls[0].checks[0]: unknown check 'hygiene.readem'; "
            "did you mean 'hygiene.readme'?",
        ),
        (
            "assay-policy: 1\nid: x\ntitle: t\nchecks:\n  hygiene.readme:\n    min_lines: many\n",
            "{p}:6:16: checks['hygiene.readme'].min_lines: Input should be a valid integer, "
            "unable to parse string as an integer (got 'many')",
        ),
    ],
    ids=["malformed-yaml", "unknown-key", "wrong-type", "unknown-check", "bad-parameter"],
)
def test_bad_policy(make_repo: Any, assay: Any, policy: str, problem: str) -> None:
    repo = make_repo("shop", {"README.md": README})
    path = _write(repo.path.parent, policy)
    result = assay("audit", repo.path, "--policy", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {problem.format(p=path)}\n{HINT_POLICY}\n"
    assert assay("policy", "validate", path).stderr == result.stderr


def test_policy_validate_accepts_the_builtin_baseline(assay: Any) -> None:
    result = assay("policy", "validate", "assay-baseline")
    assert result.returncode == 0
    assert (
        result.stdout
        == "assay-baseline (built-in): valid policy 'assay-baseline' with 30 controls\n"
    )


def test_symlink_to_etc_passwd_is_recorded_and_never_read(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README})
    repo.symlink("LICENSE", "/etc/passwd")
    repo.symlink("docs/passwd", "/etc/passwd")
    repo.commit()
    result = assay("audit", repo.path, "--format", "json")
    audit = audit_json(result)
    assert [(s.path, s.reason.value) for s in audit.skipped] == [
        ("LICENSE", "symlink"),
        ("docs/passwd", "symlink"),
    ]
    assert "root:x:0:0" not in result.stdout
    licence = next(v for v in audit.verdicts if v.control_id == "AB-LIC-1")
    assert licence.status.value == "fail"
    assert licence.reason == "LICENSE is a symlink; it is not read (commit the licence text itself)"


def test_huge_file_is_skipped_with_its_reason(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README, "data.csv": "a,b\n" * (50 * 1024 * 1024 // 4)})
    audit = audit_json(assay("audit", repo.path, "--format", "json"))
    assert [(s.path, s.reason.value, s.size) for s in audit.skipped] == [
        ("data.csv", "too_large", 50 * 1024 * 1024)
    ]
    assert audit.files.bytes_read < 10_000


def test_invalid_utf8_is_skipped_as_undecodable(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README, "notes.txt": b"caf\xe9 \xff\xfe\n"})
    audit = audit_json(assay("audit", repo.path, "--format", "json"))
    assert [(s.path, s.reason.value) for s in audit.skipped] == [("notes.txt", "undecodable")]


HOSTILE_NAME = "evil\n<script>alert(1)</script>.py"


def test_hostile_file_name_is_inert_in_terminal_and_json(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README, HOSTILE_NAME: "x = 1\n", "app.jar": "PK"})
    (repo.path / "app.jar").unlink()
    repo.write({f"{HOSTILE_NAME}.jar": "PK"})
    repo.commit()
    table = assay("audit", repo.path)
    assert "evil\\n<script>alert(1)</script>.py.jar is a committed binary artifact" in table.stdout
    assert "evil\n" not in table.stdout
    as_json = assay("audit", repo.path, "--format", "json")
    assert "<script>" not in as_json.stdout
    assert "\\u003cscript\\u003e" in as_json.stdout
    audit = audit_json(as_json)
    assert any(f.path == f"{HOSTILE_NAME}.jar" for f in audit.findings)


def test_plain_directory_is_audited_without_history(tmp_path: Path, assay: Any) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "README.md").write_text(README)
    audit = audit_json(assay("audit", root, "--format", "json"))
    assert audit.source.kind == "directory"
    activity = next(v for v in audit.verdicts if v.control_id == "AB-ACT-1")
    assert (activity.status.value, activity.reason) == (
        "not_applicable",
        "a plain directory has no git history",
    )


def test_commit_on_a_plain_directory_is_refused(tmp_path: Path, assay: Any) -> None:
    result = assay("audit", tmp_path, "--commit", "HEAD")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {tmp_path}: --commit needs a git repository, and this is a plain directory\n"
    )


def test_second_audit_reads_no_file_content(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README, "a.py": "x = 1\n", "b.js": "let b;\n"})
    cold = audit_json(assay("audit", repo.path, "--format", "json"))
    warm = audit_json(assay("audit", repo.path, "--format", "json"))
    assert cold.files.read == 3
    assert (warm.files.read, warm.files.bytes_read, warm.files.from_cache) == (0, 0, 3)
    assert [v.model_dump(exclude={"reason"}) for v in warm.verdicts] == [
        v.model_dump(exclude={"reason"}) for v in cold.verdicts
    ]
    cleared = assay("cache", "clear")
    assert cleared.returncode == 0
    assert cleared.stdout.startswith("cleared ")
    again = audit_json(assay("audit", repo.path, "--format", "json"))
    assert again.files.read == 3


def _write(folder: Path, text: str, name: str = "policy.yaml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_a_store_that_cannot_be_opened_is_exit_2_after_the_audit_ran(
    make_repo: Any, assay: Any
) -> None:
    # The store is opened while the workers read files; its failure still ends the run.
    repo = make_repo("shop", {"README.md": README})
    result = assay("audit", repo.path, "--db", "postgresql+psycopg://assay:secret@127.0.0.1:1/none")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "error: cannot open the audit store postgresql+psycopg://assay@127.0.0.1:1/none: "
    )
    assert result.stderr.endswith("hint: check --db / ASSAY_DB\n")
    assert "secret" not in result.stderr
