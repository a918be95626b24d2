"""Third-party checks, killed audits, and internal errors."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from assay.model import Audit
from assay.policy import load_policy

pytestmark = pytest.mark.slow

README = "# Product\n\n" + "".join(f"Line {i} of a useful README.\n" for i in range(12))

TODO_POLICY = """\
assay-policy: 1
id: todo
title: No TODO left
checks:
  tiny.todo:
    marker: FIXME
controls:
  - id: T-1
    title: No FIXME left in Python code
    checks: [tiny.todo]
"""


def test_third_party_check_is_discovered_and_run(
    make_repo: Any, assay: Any, tiny_plugin: Path
) -> None:
    repo = make_repo("shop", {
        "README.md": README,
        "app/main.py": "x = 1\n# FIXME: handle errors\n",
        "notes.md": "FIXME in prose is not Python\n",
    })  # fmt: skip
    env = {"PYTHONPATH": str(tiny_plugin)}
    listing = assay("checks", env=env)
    assert "tiny.todo" in listing.stdout
    assert "Lines of Python that still say TODO." in listing.stdout
    policy = repo.path.parent / "todo.yaml"
    policy.write_text(TODO_POLICY)
    result = assay("audit", repo.path, "--policy", policy, "--format", "json", env=env)
    assert result.returncode == 1, result.stderr
    audit = Audit.model_validate_json(result.stdout)
    assert [(v.control_id, v.status.value, v.reason) for v in audit.verdicts] == [
        ("T-1", "fail", "app/main.py:2: FIXME left")
    ]
    assert [(r.check_id, r.version, r.status.value) for r in audit.checks] == [
        ("tiny.todo", "1", "ok")
    ]


def test_without_the_plugin_its_check_is_an_unknown_check(make_repo: Any, assay: Any) -> None:
    repo = make_repo("shop", {"README.md": README})
    policy = repo.path.parent / "todo.yaml"
    policy.write_text(TODO_POLICY)
    result = assay("audit", repo.path, "--policy", policy)
    assert result.returncode == 2
    assert f"{policy}:10:14: controls[0].checks[0]: unknown check 'tiny.todo'" in result.stderr


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return list(connection.iterdump())


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "assay", *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


SLOW_POLICY = """\
assay-policy: 1
id: slow
title: Slow
controls:
  - id: S-1
    title: README present
    checks: [hygiene.readme]
  - id: S-2
    title: Slow
    checks: [tiny.slow]
"""


def test_killing_an_audit_midway_leaves_the_store_as_it_was(
    make_repo: Any, assay: Any, tiny_plugin: Path, assay_home: Path, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": README})
    policy = tmp_path / "slow.yaml"
    policy.write_text(SLOW_POLICY)
    env = {
        "PYTHONPATH": str(tiny_plugin),
        "ASSAY_HOME": str(assay_home),
        "ASSAY_CACHE_DIR": str(assay_home / "cache"),
    }
    first = assay("audit", repo.path, "--policy", policy, env=env)
    assert first.returncode == 0, first.stderr
    db = assay_home / "assay.sqlite3"
    before = _dump(db)
    marker = tmp_path / "started"
    process = _spawn(
        ["audit", str(repo.path), "--policy", str(policy)],
        {**env, "TINY_SLOW_MARKER": str(marker), "TINY_SLOW_SECONDS": "60"},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, "the audit ended before its slow check started"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _dump(db) == before
    history = assay("history", "--format", "json", env=env)
    assert history.stdout.count('"id"') == 1


def test_kills_at_any_moment_leave_either_nothing_or_a_whole_audit(
    make_repo: Any, assay: Any, assay_home: Path
) -> None:
    """Kill audits at delays spread over their whole run, the store write included."""
    repo = make_repo("shop", {"README.md": README, "a.py": "x = 1\n"})
    env = {"ASSAY_HOME": str(assay_home), "ASSAY_CACHE_DIR": str(assay_home / "cache")}
    started = time.monotonic()
    assert assay("audit", repo.path, env=env).returncode == 1
    duration = time.monotonic() - started
    db = assay_home / "assay.sqlite3"
    for step in range(8):
        delay = duration * (0.55 + 0.07 * step)
        process = _spawn(["audit", str(repo.path)], env)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            per_audit = connection.execute(
                "SELECT a.id, (SELECT COUNT(*) FROM verdicts v WHERE v.audit_id = a.id) "
                "FROM audits a"
            ).fetchall()
        controls = len(load_policy().policy.controls)
        assert all(count == controls for _, count in per_audit), per_audit


def test_internal_error_exits_3_and_logs_details(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], assay_home: Path
) -> None:
    from assay.cli import main

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("assay.policy.load_policy", explode)
    monkeypatch.setattr(sys, "argv", ["assay", "policy", "validate", "assay-baseline"])
    assert main._main() == 3
    err = capsys.readouterr().err
    logs = list((assay_home / "cache" / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    assert err == (
        "internal error: RuntimeError: disk on fire\n"
        f"details were logged to {logs[0]}; please attach that file to a bug report\n"
    )
    assert "Traceback" in logs[0].read_text()
    assert "disk on fire" in logs[0].read_text()


def test_a_plugin_claiming_a_built_in_check_id_breaks_both_visibly(
    make_repo: Any, assay: Any, tiny_plugin: Path
) -> None:
    info = tiny_plugin / "tiny_assay_check-0.1.dist-info" / "entry_points.txt"
    info.write_text(info.read_text() + "hygiene.readme = tiny_assay_check:TodoCheck\n")
    repo = make_repo("shop", {"README.md": README})
    env = {"PYTHONPATH": str(tiny_plugin)}
    result = assay("audit", repo.path, "--format", "json", env=env)
    audit = Audit.model_validate_json(result.stdout)
    readme = next(v for v in audit.verdicts if v.control_id == "AB-DOC-1")
    assert (readme.status.value, readme.reason) == (
        "error",
        "check id 'hygiene.readme' is registered twice: "
        "assay.checks.hygiene:ReadmeCheck and tiny_assay_check:TodoCheck",
    )
