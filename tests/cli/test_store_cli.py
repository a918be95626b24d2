"""The CLI against both stores: --db and ASSAY_DB, SQLite and a real PostgreSQL server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assay.model import Audit

pytestmark = pytest.mark.slow

README = "# Product\n\n" + "".join(f"Line {i} of a useful README.\n" for i in range(12))


def test_audit_history_show_and_upgrade_through_db_and_assay_db(
    make_repo: Any, assay: Any, store_url: str
) -> None:
    repo = make_repo("shop", {"README.md": README})
    first = assay("audit", repo.path, "--format", "json", "--db", store_url)
    assert first.returncode == 1, first.stderr
    audit = Audit.model_validate_json(first.stdout)
    second = assay("audit", repo.path, "--format", "json", env={"ASSAY_DB": store_url})
    assert second.returncode == 1, second.stderr
    later = Audit.model_validate_json(second.stdout)

    history = assay("history", "--format", "json", "--db", store_url)
    assert history.returncode == 0, history.stderr
    rows = json.loads(history.stdout)
    assert [row["id"] for row in rows] == [later.id, audit.id]
    assert rows[1] == {
        "id": audit.id,
        "product": "shop",
        "started_at": audit.started_at.isoformat(),
        "commit": audit.source.commit,
        "policy_hash": audit.policy.hash,
        "score": audit.summary.score,
        "counts": {status.value: n for status, n in audit.summary.counts.items()},
        "failed_enforced": audit.summary.failed_enforced,
        "duration_s": audit.duration_s,
    }
    shown = assay("show", audit.id[:8], "--format", "json", env={"ASSAY_DB": store_url})
    assert shown.returncode == 0, shown.stderr
    assert Audit.model_validate_json(shown.stdout) == audit

    upgrade = assay("db", "upgrade", "--db", store_url)
    assert upgrade.returncode == 0, upgrade.stderr
    assert upgrade.stdout.endswith(": schema is up to date (revision 0001)\n")


def test_unknown_audit_id(assay: Any, assay_home: Any) -> None:
    result = assay("show", "0123456789")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: no audit with id '0123456789' in {assay_home / 'assay.sqlite3'}\n"
        "hint: `assay history` lists stored audits\n"
    )


def test_unreachable_database(assay: Any) -> None:
    result = assay("history", "--db", "postgresql+psycopg://assay:secret@127.0.0.1:1/none")
    assert result.returncode == 2
    assert result.stderr == (
        "error: cannot open the audit store postgresql+psycopg://assay@127.0.0.1:1/none: "
        'connection failed: connection to server at "127.0.0.1", port 1 failed: '
        "Connection refused\n"
        "hint: check --db / ASSAY_DB\n"
    )
