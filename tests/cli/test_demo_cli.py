"""``assay demo``: the sample portfolio is built, audited and stored, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def test_the_demo_audits_its_portfolio_with_its_own_vulnerability_database(
    assay: Any, tmp_path: Path
) -> None:
    done = assay("demo", "--dir", tmp_path / "demo")
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.strip()}
    assert rows["billing"][-1] == "conforming"
    assert rows["storefront"][-2:] == ["7", "failing"]
    assert rows["inventory"][-2:] == ["not", "audited"]
    history = json.loads(assay("history", "billing", "--format", "json").stdout)
    shown = json.loads(assay("show", history[0]["id"], "--format", "json").stdout)
    vulnerable = [f for f in shown["findings"] if f["check_id"] == "vulns.osv"]
    assert [(f["rule"], f["path"], f["properties"]["upgrade_to"]) for f in vulnerable] == [
        ("CVE-2023-32681", "requirements.txt", "2.31.0")
    ]
    assert (tmp_path / "demo" / "vulndb.sqlite3").is_file()
