"""The built-in catalogs together: each loads, relations point at real controls, checks exist."""

from __future__ import annotations

from assay.checks.registry import load_registry
from assay.standards import builtin_catalog_ids, load_catalog
from assay.standards.catalog import dangling_relations

EXPECTED = [
    "iso25010-2023", "iso27001-2022", "nist-ssdf-1.1", "openssf-osps-baseline", "owasp-asvs",
]  # fmt: skip


def test_the_built_in_catalogs_are_the_five_standards() -> None:
    assert builtin_catalog_ids() == EXPECTED


def test_every_relation_points_at_a_control_that_exists() -> None:
    loaded = {i: load_catalog(i).catalog for i in builtin_catalog_ids()}
    assert dangling_relations(loaded) == []


def test_every_check_a_catalog_binds_is_installed() -> None:
    registry = load_registry()
    missing = sorted(
        f"{catalog_id} {control.id}: {check}"
        for catalog_id in builtin_catalog_ids()
        for control in load_catalog(catalog_id).catalog.walk()
        if control.evidence is not None
        for check in control.evidence.checks
        if check not in registry.checks
    )
    assert missing == []


def test_iso27001_ssdf_and_osps_are_mapped_to_each_other_where_assay_has_evidence() -> None:
    loaded = {i: load_catalog(i).catalog for i in builtin_catalog_ids()}
    pairs = {
        (catalog_id, relation.standard)
        for catalog_id, catalog in loaded.items()
        for control in catalog.walk()
        if control.evidence is not None
        for relation in control.relations
    }
    for pair in [("iso27001-2022", "nist-ssdf-1.1"), ("iso27001-2022", "openssf-osps-baseline"),
                 ("nist-ssdf-1.1", "iso27001-2022"), ("openssf-osps-baseline", "iso27001-2022"),
                 ("openssf-osps-baseline", "nist-ssdf-1.1")]:  # fmt: skip
        assert pair in pairs
