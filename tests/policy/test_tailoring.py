"""Tailoring a policy per product: extends, scope, exclusions, parameters, and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.errors import ConfigError
from assay.policy import load_policy
from assay.policy.resolve import ProductFacts, Resolved, ResolvedControl, resolve

CATALOG = """\
assay-catalog: 1
id: acme-dev
version: "1"
title: ACME development standard
source: ACME handbook
controls:
  - id: DEV
    title: Development
    controls:
      - id: DEV-1
        title: No credentials in code
        severity: critical
        tags: [secrets]
        evidence:
          checks: [secrets.scan]
          params:
            secrets.scan: {allow_paths: ["fixtures/*"]}
      - id: DEV-2
        title: Tests cover the code
        tags: [testing]
        evidence:
          checks: [coverage.report]
          condition: {measure: {name: coverage.lines, min: 50}}
      - id: DEV-3
        title: Threat model kept current
        manual: true
      - id: DEV-4
        title: Reviewed changes
        evidence:
          checks: [process.review]
          condition: {measure: {name: process.reviewed_share, min: 90}}
        manual: true
"""

POLICY = """\
assay-policy: 1
id: acme
title: ACME policy
extends:
  - standard: acme-dev.yaml
checks:
  secrets.scan: {allow_paths: ["testdata/*"]}
scope:
  - controls: ["acme-dev:DEV-2"]
    when: {tier: [1, 2]}
exclude:
  - controls: ["tag:secrets"]
    when: {tags: [sandbox]}
    justification: sandboxes hold no real credentials
    approver: Jane Roe (CISO)
parameters:
  - when: {tier: [1]}
    thresholds:
      "acme-dev:DEV-2": {min: 80}
    severity:
      "acme-dev:DEV-2": high
  - when: {tier: [1], team: [payments]}
    thresholds:
      "acme-dev:DEV-2": {min: 90}
  - thresholds:
      "acme-dev:DEV-2": {min: 60}
controls:
  - id: OWN-1
    title: Own control
    checks: [hygiene.readme]
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder / next(iter(files))


def resolved_for(tmp_path: Path, facts: ProductFacts, policy: str = POLICY) -> Resolved:
    path = write(tmp_path, {"policy.yaml": policy, "acme-dev.yaml": CATALOG})
    return resolve(load_policy(path), facts)


def by_id(resolved: Resolved) -> dict[str, ResolvedControl]:
    return {c.control.id: c for c in resolved.controls}


def test_a_standards_assessable_controls_join_the_policy_before_its_own(tmp_path: Path) -> None:
    resolved = resolved_for(tmp_path, ProductFacts(name="shop", tier=1))
    assert [c.control.id for c in resolved.controls] == [
        "acme-dev:DEV-1", "acme-dev:DEV-2", "acme-dev:DEV-3", "acme-dev:DEV-4", "OWN-1",
    ]  # fmt: skip
    controls = by_id(resolved)
    assert controls["acme-dev:DEV-1"].origin == (
        f"{tmp_path}/acme-dev.yaml, extended at {tmp_path}/policy.yaml:5"
    )
    assert controls["OWN-1"].origin == f"{tmp_path}/policy.yaml:28"
    assert controls["acme-dev:DEV-3"].control.manual is True
    assert controls["acme-dev:DEV-4"].needs_attestation is True
    assert controls["acme-dev:DEV-1"].needs_attestation is False


OUT_OF_SCOPE = "out of scope: applies only to tier 1 or 2 ({p}:9)"


@pytest.mark.parametrize(
    ("facts", "applies", "why"),
    [
        (ProductFacts(name="a", tier=1), True, "in scope: tier 1 or 2 ({p}:9)"),
        (ProductFacts(name="b", tier=3), False, OUT_OF_SCOPE),
        (ProductFacts(name="c"), False, OUT_OF_SCOPE),
    ],
)  # fmt: skip
def test_a_scoped_control_applies_only_where_its_rule_matches(
    tmp_path: Path, facts: ProductFacts, applies: bool, why: str
) -> None:
    control = by_id(resolved_for(tmp_path, facts))["acme-dev:DEV-2"]
    assert (control.applies, control.why) == (applies, why.format(p=tmp_path / "policy.yaml"))


def test_an_unscoped_control_applies_to_every_product(tmp_path: Path) -> None:
    control = by_id(resolved_for(tmp_path, ProductFacts(name="x", tier=3)))["OWN-1"]
    assert (control.applies, control.why) == (
        True, "applies to every product (no scope rule selects it)"
    )  # fmt: skip


def test_an_exclusion_says_why_and_who_approved_it(tmp_path: Path) -> None:
    sandbox = ProductFacts(name="lab", tier=1, tags=frozenset({"sandbox", "web"}))
    resolved = resolved_for(tmp_path, sandbox)
    control = by_id(resolved)["acme-dev:DEV-1"]
    assert (control.applies, control.why) == (
        False,
        "excluded: sandboxes hold no real credentials (approved by Jane Roe (CISO); "
        f"{tmp_path}/policy.yaml:12)",
    )
    # Not applicable, its check does not run, nor does the standard's default apply.
    assert "secrets.scan" not in [c for a in resolved.applicable() for c in a.control.checks]
    assert resolved.loaded.policy.checks["secrets.scan"] == {"allow_paths": ["testdata/*"]}


@pytest.mark.parametrize(
    ("facts", "minimum", "line", "severity"),
    [
        # The most specific matching rule wins: two keys beat one, one beats none.
        (ProductFacts(name="p", tier=1, team="payments"), 90, 24, "high"),
        (ProductFacts(name="q", tier=1, team="search"), 80, 19, "high"),
        (ProductFacts(name="r", tier=2), 60, 26, "medium"),
    ],
)  # fmt: skip
def test_the_most_specific_parameter_rule_wins_and_says_where(
    tmp_path: Path, facts: ProductFacts, minimum: int, line: int, severity: str
) -> None:
    control = by_id(resolved_for(tmp_path, facts))["acme-dev:DEV-2"]
    settings = {s.name: (s.value, s.source) for s in control.settings}
    assert settings["min"] == (minimum, f"{tmp_path}/policy.yaml:{line}")
    assert control.control.condition.measure.min == minimum  # type: ignore[union-attr]
    assert settings["severity"][0] == severity
    assert control.control.severity.value == severity


def test_check_parameters_come_from_the_policy_over_the_standard(tmp_path: Path) -> None:
    resolved = resolved_for(tmp_path, ProductFacts(name="p", tier=1))
    assert [(s.name, s.value, s.source) for s in resolved.check_settings["secrets.scan"]] == [
        ("allow_paths", ["testdata/*"], f"{tmp_path}/policy.yaml:7"),
    ]
    # Without the policy's value, the standard's default holds, and says so.
    own = POLICY.replace('checks:\n  secrets.scan: {allow_paths: ["testdata/*"]}\n', "")
    other = tmp_path / "other"
    other.mkdir()
    resolved = resolved_for(other, ProductFacts(name="p", tier=1), own)
    assert [(s.name, s.value, s.source) for s in resolved.check_settings["secrets.scan"]] == [
        ("allow_paths", ["fixtures/*"],
         f"{other}/acme-dev.yaml, extended at {other}/policy.yaml:5"),
    ]  # fmt: skip


def test_a_policy_extending_another_takes_its_controls_and_rules(tmp_path: Path) -> None:
    child = """\
assay-policy: 1
id: team
title: Team policy
extends:
  - policy: policy.yaml
parameters:
  - when: {tier: [1]}
    thresholds:
      "acme-dev:DEV-2": {min: 85}
"""
    write(tmp_path, {"policy.yaml": POLICY, "acme-dev.yaml": CATALOG, "team.yaml": child})
    loaded = load_policy(tmp_path / "team.yaml")
    resolved = resolve(loaded, ProductFacts(name="p", tier=1, team="search"))
    control = by_id(resolved)["acme-dev:DEV-2"]
    # Same specificity as the parent's tier-1 rule: the extending policy's is read last.
    assert {s.name: (s.value, s.source) for s in control.settings}["min"] == (
        85, f"{tmp_path}/team.yaml:9"
    )  # fmt: skip
    assert [c.control.id for c in resolved.controls][-1] == "OWN-1"
    assert loaded.hash != load_policy(tmp_path / "policy.yaml").hash


def test_a_built_in_standard_can_be_extended_in_part(tmp_path: Path) -> None:
    policy = """\
assay-policy: 1
id: iso
title: ISO secure development
extends:
  - standard: iso27001-2022
    select: ["A.8.2*"]
"""
    loaded = load_policy(write(tmp_path, {"policy.yaml": policy}))
    resolved = resolve(loaded, ProductFacts(name="p"))
    assert [c.control.id for c in resolved.controls] == [
        "iso27001-2022:A.8.2", "iso27001-2022:A.8.20", "iso27001-2022:A.8.21",
        "iso27001-2022:A.8.22", "iso27001-2022:A.8.23", "iso27001-2022:A.8.24",
        "iso27001-2022:A.8.25", "iso27001-2022:A.8.26", "iso27001-2022:A.8.27",
        "iso27001-2022:A.8.28", "iso27001-2022:A.8.29",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ("exclude:\n  - controls: [OWN-9]\n    justification: j\n    approver: a\n",
         "policy.yaml:8:16: exclude[0].controls[0]: 'OWN-9' selects no control of the policy"),
        ("exclude:\n  - controls: [OWN-1]\n    approver: a\n",
         "policy.yaml:8:5: exclude[0].justification: missing required key 'justification'"),
        ("exclude:\n  - controls: [OWN-1]\n    justification: ''\n    approver: a\n",
         "policy.yaml:9:20: exclude[0].justification: String should have at least 1 character "
         "(got '')"),
        ("scope:\n  - controls: [tag:nothing]\n    when: {tier: [1]}\n",
         "policy.yaml:8:16: scope[0].controls[0]: 'tag:nothing' selects no control of the "
         "policy"),
        ("parameters:\n  - thresholds: {OWN-1: {min: 3}}\n",
         "policy.yaml:8:18: parameters[0].thresholds.OWN-1: OWN-1 has no measure condition to "
         "set bounds of"),
        ("parameters:\n  - thresholds: {OWN-1: {}}\n",
         "policy.yaml:8:25: parameters[0].thresholds.OWN-1: Value error, give min, max or both "
         "(got {})"),
        ("extends:\n  - standard: nowhere.yaml\n",
         "policy.yaml:8:15: extends[0].standard: {d}/nowhere.yaml: cannot read: no such file"),
        ("extends:\n  - policy: policy.yaml\n",
         "policy.yaml:8:13: extends[0].policy: 'policy.yaml' extends this policy itself "
         "(a cycle)"),
        ("extends:\n  - standard: iso27001-2022\n    policy: assay-baseline\n",
         "policy.yaml:8:5: extends[0]: Value error, give either standard or policy, not both "
         "and not neither"),
    ],
)  # fmt: skip
def test_tailoring_mistakes_are_named_with_file_and_line(
    tmp_path: Path, rules: str, problem: str
) -> None:
    policy = "assay-policy: 1\nid: p\ntitle: P\ncontrols:\n  - {id: OWN-1, title: O, checks: [hygiene.readme]}\n"  # noqa: E501
    path = write(tmp_path, {"policy.yaml": policy + "\n" + rules})
    with pytest.raises(ConfigError) as raised:
        load_policy(path)
    assert str(raised.value).startswith(f"{tmp_path}/" + problem.replace("{d}", str(tmp_path)))


def test_a_policy_extended_twice_counts_once(tmp_path: Path) -> None:
    base = ("assay-policy: 1\nid: base\ntitle: Base\n"
            "controls:\n  - {id: B-1, title: B, checks: [hygiene.readme]}\n"
            "parameters:\n  - severity: {B-1: high}\n")  # fmt: skip
    side = "assay-policy: 1\nid: {n}\ntitle: {n}\nextends:\n  - policy: base.yaml\n"
    top = ("assay-policy: 1\nid: top\ntitle: Top\n"
           "extends:\n  - policy: a.yaml\n  - policy: b.yaml\n")  # fmt: skip
    write(tmp_path, {"top.yaml": top, "base.yaml": base, "a.yaml": side.format(n="a"),
                     "b.yaml": side.format(n="b")})  # fmt: skip
    resolved = resolve(load_policy(tmp_path / "top.yaml"), ProductFacts(name="p"))
    assert [c.control.id for c in resolved.controls] == ["B-1"]
    (control,) = resolved.controls
    assert [(s.name, s.value) for s in control.settings] == [("severity", "high")]
