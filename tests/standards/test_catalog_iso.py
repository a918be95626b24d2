"""The built-in ISO catalogs: ISO/IEC 27001:2022 Annex A and the ISO/IEC 25010:2023 model."""

from __future__ import annotations

from assay.checks.registry import load_registry
from assay.policy.model import MeasureCondition
from assay.ratings.rules import CHARACTERISTICS, DEFAULT_RULES, MeasureEvidence
from assay.standards import Catalog, Evidence, load_catalog
from assay.standards.views import Coverage, coverage_counts

ANNEX_A_THEMES = [
    ("A.5", "Organizational controls", 37),
    ("A.6", "People controls", 8),
    ("A.7", "Physical controls", 14),
    ("A.8", "Technological controls", 34),
]

CRYPTO_RULES = (
    "sast.ruff.S303", "sast.ruff.S304", "sast.ruff.S305", "sast.ruff.S312", "sast.ruff.S321",
    "sast.ruff.S323", "sast.ruff.S324", "sast.ruff.S501", "sast.ruff.S502", "sast.ruff.S503",
    "sast.ruff.S504", "sast.ruff.S505", "sast.ruff.S507", "sast.ruff.S508", "sast.ruff.S509",
    "secrets.private-key-*",
)  # fmt: skip

ANY = ("*",)
DOCKER = (
    "docker.base-image-pinned", "docker.add-url", "docker.non-root", "docker.secrets-in-env",
    "docker.unpinned-packages",
)  # fmt: skip

# control id -> (checks, condition as ("no_findings", rules, min severity) or
# ("measure", name, min, max))
ISO27001_EVIDENCE = {
    "A.5.8": (("process.review",), ("measure", "process.reviewed_share", 80.0, None)),
    "A.5.9": (
        ("deps.inventory", "inventory.languages"),
        ("no_findings", ("deps.unreadable", "deps.parser-unavailable"), "info"),
    ),
    "A.5.17": (("secrets.scan",), ("no_findings", ANY, "info")),
    "A.5.21": (
        ("deps.inventory", "license.dependencies", "vulns.osv"),
        ("no_findings", ANY, "medium"),
    ),
    "A.5.32": (("hygiene.license", "license.dependencies"), ("no_findings", ANY, "medium")),
    "A.5.37": (("hygiene.readme",), ("no_findings", ANY, "info")),
    "A.8.2": (("pipeline.permissions",), ("no_findings", ANY, "info")),
    "A.8.4": (("hygiene.codeowners",), ("no_findings", ANY, "info")),
    "A.8.8": (("vulns.osv",), ("no_findings", ANY, "high")),
    "A.8.9": (("hygiene.lockfiles",), ("no_findings", ANY, "info")),
    "A.8.19": (DOCKER, ("no_findings", ANY, "medium")),
    "A.8.24": (("sast.ruff", "secrets.scan"), ("no_findings", CRYPTO_RULES, "info")),
    "A.8.25": (("hygiene.ci-config", "hygiene.tests-present"), ("no_findings", ANY, "info")),
    "A.8.26": (("hygiene.security-policy",), ("no_findings", ANY, "info")),
    "A.8.28": (("sast.ruff",), ("no_findings", ANY, "medium")),
    "A.8.29": (("tests.junit",), ("no_findings", ANY, "medium")),
    "A.8.31": (("pipeline.dangerous-triggers",), ("no_findings", ANY, "info")),
    "A.8.32": (("process.review",), ("measure", "process.reviewed_share", 80.0, None)),
    "A.8.33": (("secrets.scan",), ("no_findings", ANY, "info")),
}

# The controls the task names as bound to checks (A.8.19 is bound besides them).
REQUIRED_BOUND = {
    "A.5.8", "A.5.9", "A.5.17", "A.5.21", "A.5.32", "A.5.37", "A.8.2", "A.8.4", "A.8.8",
    "A.8.9", "A.8.24", "A.8.25", "A.8.26", "A.8.28", "A.8.29", "A.8.31", "A.8.32", "A.8.33",
}  # fmt: skip

ISO25010_EVIDENCE = {
    "functional-suitability.functional-correctness": (
        ("tests.junit",), ("measure", "tests.failing_share", None, 1.0),
    ),
    "interaction-capability.learnability": (
        ("maint.readme-sections",), ("no_findings", ANY, "info"),
    ),
    "reliability.faultlessness": (("tests.junit",), ("measure", "tests.failing_share", None, 1.0)),
    "security.confidentiality": (("secrets.scan",), ("no_findings", ANY, "medium")),
    "security.integrity": (("sast.ruff",), ("no_findings", ANY, "medium")),
    "security.accountability": (
        ("process.review",), ("measure", "process.reviewed_share", 80.0, None),
    ),
    "security.resistance": (("vulns.osv",), ("no_findings", ANY, "medium")),
    "maintainability.reusability": (
        ("maint.duplication",), ("measure", "maint.duplication.density", None, 5.0),
    ),
    "maintainability.analysability": (
        ("maint.complexity",), ("measure", "maint.functions.over_limits", None, 5.0),
    ),
    "maintainability.modifiability": (
        ("maint.duplication",), ("measure", "maint.duplication.density", None, 5.0),
    ),
    "maintainability.testability": (
        ("coverage.report",), ("measure", "coverage.lines", 70.0, None),
    ),
    "flexibility.installability": (("hygiene.lockfiles",), ("no_findings", ANY, "medium")),
}  # fmt: skip


def describe(evidence: Evidence) -> tuple[tuple[str, ...], tuple[object, ...]]:
    """A binding as plain tuples, so a whole catalog's bindings compare at once."""
    condition = evidence.condition
    if isinstance(condition, MeasureCondition):
        bound = condition.measure
        assert bound.labels == {}
        shape: tuple[object, ...] = ("measure", bound.name, bound.min, bound.max)
    else:
        spec = condition.no_findings
        shape = ("no_findings", tuple(spec.rules), spec.min_severity.value)
    assert evidence.params == {}
    return tuple(evidence.checks), shape


def bindings(catalog: Catalog) -> dict[str, tuple[tuple[str, ...], tuple[object, ...]]]:
    return {c.id: describe(c.evidence) for c in catalog.walk() if c.evidence is not None}


def test_iso27001_has_the_93_annex_a_controls_in_four_themes() -> None:
    loaded = load_catalog("iso27001-2022")
    catalog = loaded.catalog
    assert loaded.source == "iso27001-2022 (built-in)"
    assert (catalog.id, catalog.version) == ("iso27001-2022", "2022")
    assert [(g.id, g.title, len(g.controls)) for g in catalog.controls] == ANNEX_A_THEMES
    expected = [f"{theme}.{n}" for theme, _, count in ANNEX_A_THEMES for n in range(1, count + 1)]
    assessable = [c.id for c in catalog.walk() if c.assessable]
    assert len(expected) == 93
    assert assessable == expected  # in the standard's order, so also sorted the same
    assert sorted(assessable) == sorted(expected)
    assert [c.id for c in catalog.walk() if not c.objective] == []


def test_iso27001_binds_the_controls_a_repository_can_evidence() -> None:
    catalog = load_catalog("iso27001-2022").catalog
    found = bindings(catalog)
    assert found == ISO27001_EVIDENCE
    assert found.keys() >= REQUIRED_BOUND
    # Every Annex A control still needs an attestation: bound ones are partial.
    assert [c.id for c in catalog.walk() if c.assessable and not c.manual] == []
    assert coverage_counts(catalog.walk()) == {
        Coverage.AUTOMATED: 0, Coverage.PARTIAL: 19, Coverage.MANUAL: 74,
    }  # fmt: skip


def test_iso25010_has_the_nine_characteristics_and_their_sub_characteristics() -> None:
    catalog = load_catalog("iso25010-2023").catalog
    assert (catalog.id, catalog.version) == ("iso25010-2023", "2023")
    tree = [(g.id, [c.id for c in g.controls]) for g in catalog.controls]
    assert tree == [
        (name, [f"{name}.{sub}" for sub in subs]) for name, subs in CHARACTERISTICS.items()
    ]
    assert all(c.assessable for g in catalog.controls for c in g.controls)
    assert [c.id for c in catalog.walk() if not c.objective] == []


def test_iso25010_binds_the_sub_characteristics_with_evidence() -> None:
    catalog = load_catalog("iso25010-2023").catalog
    found = bindings(catalog)
    assert found == ISO25010_EVIDENCE
    unbound = [c for c in catalog.walk() if c.assessable and c.evidence is None]
    assert [c.id for c in unbound if not c.manual] == []
    # A measure bound here is one the built-in rating rules grade the same
    # sub-characteristic by, so the catalog and the ratings tell the same story.
    for control_id, (_, condition) in found.items():
        if condition[0] == "measure" and control_id in DEFAULT_RULES:
            rated = {e.measure for e in DEFAULT_RULES[control_id] if isinstance(e, MeasureEvidence)}
            assert condition[1] in rated, control_id


def test_every_check_the_iso_catalogs_bind_is_installed() -> None:
    registry = load_registry()
    bound = sorted(
        {
            check
            for catalog_id in ("iso27001-2022", "iso25010-2023")
            for control in load_catalog(catalog_id).catalog.walk()
            if control.evidence is not None
            for check in control.evidence.checks
        }
    )
    listed = {check for checks, _ in [*ISO27001_EVIDENCE.values(), *ISO25010_EVIDENCE.values()]
              for check in checks}  # fmt: skip
    assert bound == sorted(listed)
    assert registry.get("hygiene.no-such-check") is None  # what a wrong id would look like
    assert [check for check in bound if registry.get(check) is None] == []
