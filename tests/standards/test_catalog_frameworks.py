"""The built-in NIST SSDF 1.1, OpenSSF OSPS Baseline and OWASP ASVS catalogs.

Identifiers are compared with lists written here from the published standards, so a
control dropped, renamed or moved fails; every check, rule, measure and parameter a
control names must exist in Assay, so a binding cannot silently evidence nothing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from assay.checks.registry import Registry, load_registry
from assay.checks.sast._ruff_rules import RUFF_RULES
from assay.policy.model import MeasureCondition, NoFindingsCondition
from assay.standards import Catalog, CatalogControl, load_catalog
from assay.standards.views import Coverage, coverage_counts

SSDF, OSPS, ASVS = "nist-ssdf-1.1", "openssf-osps-baseline", "owasp-asvs"
FRAMEWORKS = (SSDF, OSPS, ASVS)
CHECKS_DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"

# Every task of SP 800-218 v1.1, in the order NIST lists them (PW.3, PW.4.3 and PW.5.2
# of the 2020 draft were merged into other tasks and are not part of 1.1).
SSDF_TASKS = [
    "PO.1.1", "PO.1.2", "PO.1.3", "PO.2.1", "PO.2.2", "PO.2.3", "PO.3.1", "PO.3.2", "PO.3.3",
    "PO.4.1", "PO.4.2", "PO.5.1", "PO.5.2",
    "PS.1.1", "PS.2.1", "PS.3.1", "PS.3.2",
    "PW.1.1", "PW.1.2", "PW.1.3", "PW.2.1", "PW.4.1", "PW.4.2", "PW.4.4", "PW.5.1", "PW.6.1",
    "PW.6.2", "PW.7.1", "PW.7.2", "PW.8.1", "PW.8.2", "PW.9.1", "PW.9.2",
    "RV.1.1", "RV.1.2", "RV.1.3", "RV.2.1", "RV.2.2", "RV.3.1", "RV.3.2", "RV.3.3", "RV.3.4",
]  # fmt: skip

# OSPS Baseline 2025-10-10: each requirement under the lowest level it applies at.
OSPS_BY_LEVEL = {
    1: """AC-01.01 AC-02.01 AC-03.01 AC-03.02 BR-01.01 BR-01.02 BR-03.01 BR-03.02 BR-07.01
          DO-01.01 DO-02.01 GV-02.01 GV-03.01 LE-02.01 LE-02.02 LE-03.01 LE-03.02 QA-01.01
          QA-01.02 QA-02.01 QA-04.01 QA-05.01 QA-05.02 VM-02.01""",
    2: """AC-04.01 BR-02.01 BR-04.01 BR-05.01 BR-06.01 DO-06.01 GV-01.01 GV-01.02 GV-03.02
          LE-01.01 QA-03.01 QA-06.01 SA-01.01 SA-02.01 SA-03.01 VM-01.01 VM-03.01 VM-04.01""",
    3: """AC-04.02 BR-02.02 BR-07.02 DO-03.01 DO-03.02 DO-04.01 DO-05.01 GV-04.01 QA-02.02
          QA-04.02 QA-06.02 QA-06.03 QA-07.01 SA-03.02 VM-04.02 VM-05.01 VM-05.02 VM-05.03
          VM-06.01 VM-06.02""",
}
OSPS_FAMILIES = ["AC", "BR", "DO", "GV", "LE", "QA", "SA", "VM"]

# The ASVS 5.0.0 requirements Assay evidences, with their published levels.
ASVS_REQUIREMENTS = [
    ("V1.2.1", 1), ("V1.2.4", 1), ("V1.2.5", 1), ("V1.3.2", 1), ("V1.5.1", 1), ("V1.5.2", 2),
    ("V5.3.3", 3),
    ("V11.2.3", 2), ("V11.3.1", 1), ("V11.3.2", 1), ("V11.4.1", 1), ("V11.5.1", 2),
    ("V12.1.1", 1), ("V12.3.1", 2), ("V12.3.2", 2),
    ("V13.3.1", 2), ("V13.4.2", 2),
    ("V15.1.2", 2), ("V15.2.1", 1),
]  # fmt: skip

# What evidences each bound control: (checks, a person attests the rest as well).
SSDF_BINDINGS = {
    "PO.3.2": (("pipeline.actions-pinned", "pipeline.permissions",
                "pipeline.dangerous-triggers", "pipeline.script-injection"), False),
    "PO.5.1": (("secrets.scan",), False),
    "PS.1.1": (("pipeline.permissions",), False),
    "PS.2.1": (("process.signatures",), False),
    "PS.3.1": (("process.releases",), False),
    "PS.3.2": (("deps.inventory",), False),
    "PW.4.1": (("vulns.osv",), False),
    "PW.4.4": (("deps.inventory", "license.dependencies"), False),
    "PW.5.1": (("sast.ruff",), False),
    "PW.6.1": (("pipeline.actions-pinned",), False),
    "PW.6.2": (("pipeline.actions-pinned",), False),
    "PW.7.1": (("hygiene.codeowners",), False),
    "PW.7.2": (("process.review",), False),
    "PW.8.1": (("tests.junit",), False),
    "PW.8.2": (("coverage.report",), False),
    "PW.9.1": (("docker.non-root",), False),
    "RV.1.1": (("vulns.osv",), False),
    "RV.1.2": (("sast.ruff",), False),
    "RV.1.3": (("hygiene.security-policy",), False),
    "RV.2.2": (("vulns.osv",), False),
}  # fmt: skip
OSPS_BINDINGS = {
    "OSPS-AC-03.01": (("process.review",), True),
    "OSPS-AC-04.01": (("pipeline.permissions",), False),
    "OSPS-AC-04.02": (("pipeline.permissions",), True),
    "OSPS-BR-01.01": (("pipeline.script-injection",), False),
    "OSPS-BR-01.02": (("pipeline.script-injection",), False),
    "OSPS-BR-04.01": (("process.releases",), False),
    "OSPS-BR-06.01": (("process.signatures",), True),
    "OSPS-BR-07.01": (("secrets.scan",), False),
    "OSPS-DO-01.01": (("maint.readme-sections",), False),
    "OSPS-GV-03.01": (("hygiene.contributing",), False),
    "OSPS-GV-03.02": (("hygiene.contributing",), True),
    "OSPS-LE-02.01": (("hygiene.license",), False),
    "OSPS-LE-03.01": (("hygiene.license",), False),
    "OSPS-QA-02.01": (("deps.inventory",), False),
    "OSPS-QA-05.01": (("inventory.binary-artifacts",), False),
    "OSPS-QA-05.02": (("inventory.binary-artifacts",), False),
    "OSPS-QA-06.01": (("hygiene.ci-config", "hygiene.tests-present"), False),
    "OSPS-QA-07.01": (("process.review",), True),
    "OSPS-VM-01.01": (("hygiene.security-policy",), True),
    "OSPS-VM-02.01": (("hygiene.security-policy",), False),
    "OSPS-VM-03.01": (("hygiene.security-policy",), True),
    "OSPS-VM-05.03": (("vulns.osv",), False),
    "OSPS-VM-06.02": (("sast.ruff",), False),
}  # fmt: skip
ASVS_BINDINGS = {
    **{
        requirement: (("sast.ruff",), False)
        for requirement, _ in ASVS_REQUIREMENTS
        if requirement not in {"V13.3.1", "V15.1.2", "V15.2.1"}
    },
    "V13.3.1": (("secrets.scan",), True),
    "V15.1.2": (("deps.inventory",), True),
    "V15.2.1": (("vulns.osv",), False),
}
BINDINGS = {SSDF: SSDF_BINDINGS, OSPS: OSPS_BINDINGS, ASVS: ASVS_BINDINGS}

_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


@cache
def catalog(catalog_id: str) -> Catalog:
    return load_catalog(catalog_id).catalog


@cache
def doc_sections() -> dict[str, str]:
    """docs/checks.md by check id: where a check names its rules and measures."""
    text = CHECKS_DOC.read_text(encoding="utf-8")
    headings = list(_HEADING.finditer(text))
    ends = [h.start() for h in headings[1:]] + [len(text)]
    return {h.group(1): text[h.end() : end] for h, end in zip(headings, ends, strict=True)}


def assessable(catalog_id: str) -> list[CatalogControl]:
    return [control for control in catalog(catalog_id).walk() if control.assessable]


def bound(catalog_id: str) -> list[CatalogControl]:
    return [control for control in assessable(catalog_id) if control.evidence is not None]


Tree = tuple[str, list["Tree"]]


def tree(control: CatalogControl) -> Tree:
    """A control's id and its children's trees: the shape of a catalog, ids only."""
    return control.id, [tree(child) for child in control.controls]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.mark.parametrize(
    ("catalog_id", "version", "title"),
    [
        (SSDF, "1.1", "NIST Secure Software Development Framework (SSDF) 1.1"),
        (OSPS, "2025-10-10", "OpenSSF Open Source Project Security Baseline"),
        (ASVS, "5.0.0", "OWASP Application Security Verification Standard"),
    ],
)
def test_each_catalog_loads_by_its_id(catalog_id: str, version: str, title: str) -> None:
    loaded = load_catalog(catalog_id)
    assert loaded.source == f"{catalog_id} (built-in)"
    assert (loaded.catalog.id, loaded.catalog.version, loaded.catalog.title) == (
        catalog_id, version, title,
    )  # fmt: skip


def test_ssdf_holds_every_task_of_1_1_under_its_practice_and_group() -> None:
    groups: dict[str, dict[str, list[str]]] = {}
    for task in SSDF_TASKS:
        practice = task.rsplit(".", 1)[0]
        groups.setdefault(practice[:2], {}).setdefault(practice, []).append(task)
    expected: list[Tree] = [
        (
            group,
            [(practice, [(task, []) for task in tasks]) for practice, tasks in by_practice.items()],
        )
        for group, by_practice in groups.items()
    ]
    assert len(SSDF_TASKS) == 42
    assert [tree(control) for control in catalog(SSDF).controls] == expected


def test_osps_holds_every_requirement_with_its_level_under_its_family() -> None:
    levels = {
        f"OSPS-{requirement}": level
        for level, requirements in OSPS_BY_LEVEL.items()
        for requirement in requirements.split()
    }
    assert len(levels) == 62
    families = catalog(OSPS).controls
    assert [family.id for family in families] == [f"OSPS-{f}" for f in OSPS_FAMILIES]
    for family in families:
        assert all(control.id.startswith(f"{family.id}-") for control in family.controls)
        assert [control.assessable for control in family.controls] == [True] * len(family.controls)
    found = {control.id: control.level for control in assessable(OSPS)}
    assert found == dict(sorted(levels.items()))
    assert list(found) == sorted(found)


def test_asvs_holds_the_evidenced_requirements_under_their_chapter_and_section() -> None:
    assert [(control.id, control.level) for control in assessable(ASVS)] == ASVS_REQUIREMENTS
    for chapter in catalog(ASVS).controls:
        assert re.fullmatch(r"V\d+", chapter.id)
        for section in chapter.controls:
            assert section.id.rsplit(".", 1)[0] == chapter.id
            for requirement in section.controls:
                assert requirement.id.rsplit(".", 1)[0] == section.id
                assert requirement.assessable


@pytest.mark.parametrize("catalog_id", FRAMEWORKS)
def test_the_bound_controls_and_their_checks(catalog_id: str) -> None:
    found = {
        control.id: (tuple(control.evidence.checks), control.manual)
        for control in bound(catalog_id)
        if control.evidence is not None
    }
    assert found == BINDINGS[catalog_id]


@pytest.mark.parametrize(
    ("catalog_id", "counts"),
    [
        (SSDF, {Coverage.AUTOMATED: 20, Coverage.PARTIAL: 0, Coverage.MANUAL: 22}),
        (OSPS, {Coverage.AUTOMATED: 16, Coverage.PARTIAL: 7, Coverage.MANUAL: 39}),
        (ASVS, {Coverage.AUTOMATED: 17, Coverage.PARTIAL: 2, Coverage.MANUAL: 0}),
    ],
)
def test_coverage_of_each_catalog(catalog_id: str, counts: dict[Coverage, int]) -> None:
    assert coverage_counts(catalog(catalog_id).walk()) == counts


@pytest.mark.parametrize("catalog_id", FRAMEWORKS)
def test_every_bound_check_is_registered_and_its_parameters_valid(
    catalog_id: str, registry: Registry
) -> None:
    for control in bound(catalog_id):
        assert control.evidence is not None
        for check_id in control.evidence.checks:
            assert registry.get(check_id) is not None, f"{control.id}: no check {check_id}"
        assert set(control.evidence.params) <= set(control.evidence.checks), control.id
        for check_id, params in control.evidence.params.items():
            check = registry.get(check_id)
            assert check is not None
            check.Params.model_validate(params)


@pytest.mark.parametrize("catalog_id", FRAMEWORKS)
def test_conditions_name_rules_and_measures_their_checks_yield(catalog_id: str) -> None:
    for control in bound(catalog_id):
        assert control.evidence is not None
        docs = "".join(doc_sections()[check] for check in control.evidence.checks)
        condition = control.evidence.condition
        if isinstance(condition, MeasureCondition):
            assert f"`{condition.measure.name}`" in docs, control.id
            continue
        assert isinstance(condition, NoFindingsCondition)
        for pattern in condition.no_findings.rules:
            if pattern.startswith("sast.ruff."):
                code = pattern.removeprefix("sast.ruff.")
                # S4xx (import) rules are preview rules that sast.ruff does not run.
                assert code in RUFF_RULES and not code.startswith("S4"), (control.id, code)
            elif pattern != "*":
                assert f"`{pattern}`" in docs, (control.id, pattern)


@pytest.mark.parametrize("catalog_id", FRAMEWORKS)
def test_every_relation_gives_its_rationale(catalog_id: str) -> None:
    missing = [
        (control.id, relation.control)
        for control in catalog(catalog_id).walk()
        for relation in control.relations
        if not relation.rationale
    ]
    assert missing == []
