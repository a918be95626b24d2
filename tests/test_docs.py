"""docs/checks.md documents every registered check, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assay.checks.registry import Registry, load_registry

CHECKS_DOC = Path(__file__).resolve().parents[1] / "docs" / "checks.md"
_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


def sections() -> dict[str, str]:
    """Section text of docs/checks.md by its ``## <heading>``."""
    text = CHECKS_DOC.read_text(encoding="utf-8")
    headings = list(_HEADING.finditer(text))
    found: dict[str, str] = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        assert heading.group(1) not in found, f"two sections named {heading.group(1)!r}"
        found[heading.group(1)] = text[heading.end() : end]
    return found


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def registered_ids(registry: Registry) -> set[str]:
    # A check whose plugin fails to load is still registered, and still needs its section.
    return set(registry.checks) | set(registry.broken)


def test_every_registered_check_has_a_section(registry: Registry) -> None:
    assert registered_ids(registry), "no check registered: is the package installed?"
    assert sorted(registered_ids(registry) - set(sections())) == []


def test_no_section_names_an_unknown_check(registry: Registry) -> None:
    assert sorted(set(sections()) - registered_ids(registry)) == []


def test_every_parameter_is_documented_in_its_section(registry: Registry) -> None:
    docs = sections()
    undocumented = [
        f"{check_id}: {name}"
        for check_id, check in sorted(registry.checks.items())
        for name in check.Params.model_fields
        if f"`{name}`" not in docs.get(check_id, "")
    ]
    assert undocumented == []


def test_every_section_says_how_it_reads_and_caches(registry: Registry) -> None:
    missing = [
        check_id
        for check_id, text in sorted(sections().items())
        if "**Reads file content**" not in text or "**Cache scope**" not in text
    ]
    assert missing == []


def test_every_section_names_the_baseline_controls_that_use_it(registry: Registry) -> None:
    from assay.policy import load_policy

    policy = load_policy().policy
    expected: dict[str, str] = {}
    for check_id in registered_ids(registry):
        controls = [c for c in policy.controls if check_id in c.checks]
        if controls:
            names = ", ".join(f"{c.id} ({c.title})" for c in controls)
            expected[check_id] = f"**In assay-baseline**: {names}."
        elif check_id in policy.checks:
            expected[check_id] = (
                "**In assay-baseline**: runs for its measures; no control judges it."
            )
        else:
            expected[check_id] = (
                "**In assay-baseline**: not used; a company policy names it in a control."
            )
    docs = sections()
    wrong = sorted(check_id for check_id, line in expected.items() if line not in docs[check_id])
    assert wrong == []
