"""The catalog format: what a valid catalog is, and the errors that name what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.standards import CatalogError, load_catalog
from assay.standards.catalog import dangling_relations
from assay.standards.views import Coverage, coverage_counts, coverage_of
from catalog_samples import COMPANY


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    return path


def test_a_company_catalog_loads_with_its_tree_and_coverage(tmp_path: Path) -> None:
    loaded = load_catalog(write(tmp_path, COMPANY))
    catalog = loaded.catalog
    assert loaded.source == str(tmp_path / "catalog.yaml")
    assert [c.id for c in catalog.walk()] == ["ACME-1", "ACME-1.1", "ACME-1.2", "ACME-1.3"]
    assert [coverage_of(c) for c in catalog.walk() if c.assessable] == [
        Coverage.AUTOMATED, Coverage.MANUAL, Coverage.PARTIAL,
    ]  # fmt: skip
    assert coverage_counts(catalog.walk()) == {
        Coverage.AUTOMATED: 1, Coverage.PARTIAL: 1, Coverage.MANUAL: 1,
    }  # fmt: skip
    assert dangling_relations({catalog.id: catalog}) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("        manual: true\n      - id: ACME-1.3", "      - id: ACME-1.3"),
         "ACME-1.2: give its evidence (checks) or mark it manual"),
        (("  - id: ACME-1\n    title: Source code\n",
          "  - id: ACME-1\n    title: Source code\n    manual: true\n"),
         "ACME-1: a group of controls has no evidence of its own"),
        (("      - id: ACME-1.2\n", "      - id: ACME-1.1\n"),
         "control id 'ACME-1.1' appears twice"),
        (("type: intersects", "type: overlaps"), "relations[0].type"),
    ],
)  # fmt: skip
def test_what_is_wrong_is_named(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in COMPANY
    with pytest.raises(CatalogError) as caught:
        load_catalog(write(tmp_path, COMPANY.replace(old, new, 1)))
    assert message in caught.value.message
    assert str(tmp_path / "catalog.yaml") in caught.value.message


def test_relations_to_unknown_standards_or_controls_are_reported(tmp_path: Path) -> None:
    text = COMPANY.replace("control: ACME-1.2", "control: X-9").replace(
        "        manual: true\n      - id: ACME-1.3",
        "        manual: true\n        relations: [{standard: nope, control: N-1, type: equal}]\n"
        "      - id: ACME-1.3",
    )
    catalog = load_catalog(write(tmp_path, text)).catalog
    assert dangling_relations({catalog.id: catalog}) == [
        "acme-secure-dev ACME-1.1: acme-secure-dev has no control 'X-9'",
        "acme-secure-dev ACME-1.2: no catalog 'nope'",
    ]


def test_a_catalog_read_before_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assay.config

    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "acme.yaml"
    path.write_text(COMPANY)
    first = load_catalog(path)
    assert len(list((tmp_path / "cache" / "catalogs").glob("*.json"))) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(assay.config, "parse_yaml_document", no_parsing)
    assert load_catalog(path).catalog == first.catalog
    # Another text is another catalog: parsed (and checked) again.
    path.write_text(COMPANY.replace("ACME secure development", "ACME development"))
    with pytest.raises(AssertionError, match="parsed again"):
        load_catalog(path)
