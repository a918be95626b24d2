"""``assay standards``: a company catalog listed, shown control by control, and its coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog_samples import COMPANY


def test_show_a_control_with_its_evidence_and_the_relations_naming_it(
    assay: Any, tmp_path: Path
) -> None:
    catalog = tmp_path / "acme.yaml"
    catalog.write_text(COMPANY)
    one = assay("standards", "show", catalog, "ACME-1.2", "--format", "json")
    assert one.returncode == 0, one.stderr
    document = json.loads(one.stdout)
    assert (document["id"], document["coverage"], document["evidence"], document["manual"]) == (
        "ACME-1.2", "manual", None, True,
    )  # fmt: skip
    assert document["referenced_by"] == [
        {"standard": "acme-secure-dev", "control": "ACME-1.1", "type": "intersects",
         "rationale": "both keep secrets out"}
    ]  # fmt: skip
    text = assay("standards", "show", catalog, "ACME-1.3")
    assert text.stdout == (
        "acme-secure-dev ACME-1.3: Reviewed changes\n"
        "  severity: medium\n"
        "  assessed: partial\n"
        "  checks: process.review\n"
        '  condition: {"measure": {"name": "process.reviewed_share", "labels": {}, "min": 90.0, '
        '"max": null}}\n'
    )
    missing = assay("standards", "show", catalog, "ACME-9")
    assert missing.returncode == 2
    assert "acme-secure-dev has no control 'ACME-9'" in missing.stderr


def test_coverage_lists_every_assessable_control(assay: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "acme.yaml"
    catalog.write_text(COMPANY)
    done = assay("standards", "coverage", catalog, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"control": "ACME-1.1", "title": "No credentials in the repositories",
         "coverage": "automated", "checks": ["secrets.scan"]},
        {"control": "ACME-1.2", "title": "Secrets managed in the vault", "coverage": "manual",
         "checks": []},
        {"control": "ACME-1.3", "title": "Reviewed changes", "coverage": "partial",
         "checks": ["process.review"]},
    ]  # fmt: skip


def test_a_broken_catalog_is_a_clear_error(assay: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "acme.yaml"
    catalog.write_text(COMPANY.replace("type: intersects", "type: overlaps"))
    done = assay("standards", "coverage", catalog)
    assert done.returncode == 2
    assert str(catalog) in done.stderr
    assert "relations[0].type" in done.stderr
