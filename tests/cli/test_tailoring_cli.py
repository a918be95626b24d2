"""A tailored policy end to end: ``assay policy explain`` and ``assay audit --portfolio``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CATALOG = """\
assay-catalog: 1
id: acme-dev
version: "1"
title: ACME development standard
source: ACME handbook
controls:
  - id: DEV-1
    title: No credentials in code
    severity: critical
    tags: [secrets]
    evidence:
      checks: [secrets.scan]
  - id: DEV-2
    title: A README that says what the product is
    evidence:
      checks: [hygiene.readme]
      params:
        hygiene.readme: {min_lines: 3}
    manual: true
  - id: DEV-3
    title: Threat model kept current
    manual: true
"""

POLICY = """\
assay-policy: 1
id: acme
title: ACME policy
extends:
  - standard: catalogs/acme-dev.yaml
exclude:
  - controls: ["tag:secrets"]
    when: {tags: [sandbox]}
    justification: sandboxes hold no real credentials
    approver: Jane Roe (CISO)
scope:
  - controls: ["acme-dev:DEV-3"]
    when: {tier: [1]}
parameters:
  - when: {team: [web]}
    severity:
      "acme-dev:DEV-2": high
    checks:
      hygiene.readme: {min_lines: 2}
"""


def portfolio(make_repo: Any, tmp_path: Path) -> Path:
    make_repo("lab", {"README.md": "# Lab\nA sandbox.\nFor trying things.\n"})
    quality = tmp_path / "quality"
    (quality / "catalogs").mkdir(parents=True)
    (quality / "catalogs" / "acme-dev.yaml").write_text(CATALOG)
    (quality / "policy.yaml").write_text(POLICY)
    lab = next(p for p in tmp_path.iterdir() if p.name == "lab")
    (quality / "assay.yaml").write_text(
        "assay-portfolio: 1\npolicy: policy.yaml\nproducts:\n"
        f"  - {{name: lab, path: {lab}, team: web, tier: 2, tags: [sandbox]}}\n"
    )
    return quality


def test_explain_shows_every_control_and_why(assay: Any, make_repo: Any, tmp_path: Path) -> None:
    quality = portfolio(make_repo, tmp_path)
    result = assay("policy", "explain", "lab", cwd=quality)
    assert result.returncode == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == ("Policy acme for product lab (tier 2, team web, tags ['sandbox'])")
    rows = [line for line in lines if line.startswith("│")]
    assert [[cell.strip() for cell in row.strip("│").split("│")] for row in rows] == [
        ["acme-dev:DEV-1", "no", "excluded: sandboxes hold no real credentials (approved by "
         "Jane Roe (CISO); policy.yaml:7)", "critical"],
        ["acme-dev:DEV-2", "yes", "applies to every product (no scope rule selects it)", "high"],
        ["acme-dev:DEV-3", "no", "out of scope: applies only to tier 1 (policy.yaml:12)",
         "medium"],
    ]  # fmt: skip


def test_explain_one_control_says_where_each_setting_comes_from(
    assay: Any, make_repo: Any, tmp_path: Path
) -> None:
    quality = portfolio(make_repo, tmp_path)
    result = assay("policy", "explain", "lab", "acme-dev:DEV-2", cwd=quality)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Policy acme for product lab (tier 2, team web, tags ['sandbox'])\n"
        "acme-dev:DEV-2  A README that says what the product is\n"
        "  from: catalogs/acme-dev.yaml, extended at policy.yaml:5\n"
        "  applies: yes: applies to every product (no scope rule selects it)\n"
        "  attestation: required\n"
        "  severity: high  (policy.yaml:17)\n"
        "  check hygiene.readme:\n"
        "    min_lines = 2  (policy.yaml:19)\n"
    )
    data = json.loads(assay("policy", "explain", "lab", "acme-dev:DEV-2", "--format", "json",
                            cwd=quality).stdout)  # fmt: skip
    assert data["controls"][0]["checks"] == {
        "hygiene.readme": [{"name": "min_lines", "value": 2, "source": "policy.yaml:19"}]
    }
    missing = assay("policy", "explain", "lab", "acme-dev:DEV-9", cwd=quality)
    assert missing.returncode == 2
    assert "policy.yaml: no control 'acme-dev:DEV-9' in the policy" in missing.stderr
    unknown = assay("policy", "explain", "shop", cwd=quality)
    assert unknown.returncode == 2
    assert "assay.yaml: no product 'shop' (products: lab)" in unknown.stderr


def test_an_audit_under_a_tailored_policy(assay: Any, make_repo: Any, tmp_path: Path) -> None:
    quality = portfolio(make_repo, tmp_path)
    result = assay("audit", "--portfolio", "assay.yaml", "--format", "json", cwd=quality)
    assert result.returncode == 0, result.stderr
    (audit,) = json.loads(result.stdout)["audits"]
    verdicts = {v["control_id"]: (v["status"], v["severity"], v["reason"])
                for v in audit["verdicts"]}  # fmt: skip
    assert verdicts == {
        "acme-dev:DEV-1": ("not_applicable", "critical",
                           "excluded: sandboxes hold no real credentials (approved by Jane Roe "
                           "(CISO); policy.yaml:7)"),
        # Its check passes with the web team's 2 lines; an attestation is still owed.
        "acme-dev:DEV-2": ("manual", "high",
                           "no finding; an attestation is also required, and none is given"),
        "acme-dev:DEV-3": ("not_applicable", "medium",
                           "out of scope: applies only to tier 1 (policy.yaml:12)"),
    }  # fmt: skip
    assert [c["check_id"] for c in audit["checks"]] == ["hygiene.readme"]


def test_attest_then_audit(assay: Any, make_repo: Any, tmp_path: Path) -> None:
    import datetime as dt

    quality = portfolio(make_repo, tmp_path)
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("The team reviewed the README on the 3rd.\n")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    until = yesterday + dt.timedelta(days=365)
    done = assay(
        "attest", "lab", "acme-dev:DEV-2", "--statement", "The README is reviewed each release.",
        "--by", "Jane Roe (QM)", "--date", yesterday.isoformat(), "--file", minutes,
        "--link", "https://tickets.example/QM-12", cwd=quality,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = quality / "attestations" / "lab" / "acme-dev_DEV-2.yaml"
    assert done.stdout == f"wrote {written} (valid until {until})\n"
    assert (written.parent / "acme-dev_DEV-2" / "minutes.txt").read_bytes() == (
        minutes.read_bytes()
    )

    def dev2() -> tuple[str, str]:
        result = assay("audit", "--portfolio", "assay.yaml", "--format", "json", cwd=quality)
        (audit,) = json.loads(result.stdout)["audits"]
        found = next(v for v in audit["verdicts"] if v["control_id"] == "acme-dev:DEV-2")
        return found["status"], found["reason"]

    assert dev2() == (
        "pass",
        f"no finding; attested by Jane Roe (QM) on {yesterday}, valid until {until}",
    )
    (written.parent / "acme-dev_DEV-2" / "minutes.txt").write_text("edited afterwards\n")
    status, reason = dev2()
    assert status == "fail"
    assert reason.startswith(
        "no finding; evidence file acme-dev_DEV-2/minutes.txt changed since it was attested"
    )
    again = assay("attest", "lab", "acme-dev:DEV-2", "-s", "x", "--by", "y", cwd=quality)
    assert again.returncode == 2
    assert "an attestation is already there" in again.stderr
    automated = assay("attest", "lab", "acme-dev:DEV-1", "-s", "x", "--by", "y", cwd=quality)
    assert automated.returncode == 2
    assert "acme-dev:DEV-1 does not apply to lab: excluded: sandboxes" in automated.stderr


def test_an_attestation_file_follows_its_published_schema(
    assay: Any, make_repo: Any, tmp_path: Path
) -> None:
    import jsonschema
    from ruamel.yaml import YAML

    quality = portfolio(make_repo, tmp_path)
    written = assay("attest", "lab", "acme-dev:DEV-2", "-s", "Reviewed.", "--by", "QM",
                    "--date", "2026-01-05", "--expires", "2026-12-31", cwd=quality)  # fmt: skip
    assert written.returncode == 0, written.stderr
    schema = json.loads(assay("schema", "attestation").stdout)
    text = (quality / "attestations" / "lab" / "acme-dev_DEV-2.yaml").read_text()
    assert text == (
        "assay-attestation: 1\nproduct: lab\ncontrol: acme-dev:DEV-2\nstatement: Reviewed.\n"
        "attested_by: QM\ndate: 2026-01-05\nexpires: 2026-12-31\nevidence: []\n"
    )
    document = json.loads(json.dumps(YAML(typ="safe").load(text), default=str))
    checker = jsonschema.FormatChecker()
    jsonschema.validate(document, schema, format_checker=checker)
    document["expires"] = "soon"
    with pytest.raises(jsonschema.ValidationError) as refused:
        jsonschema.validate(document, schema, format_checker=checker)
    assert refused.value.message == "'soon' is not a 'date'"


def test_validate_binds_every_control_and_every_rules_parameters(
    assay: Any, make_repo: Any, tmp_path: Path
) -> None:
    quality = portfolio(make_repo, tmp_path)
    valid = assay("policy", "validate", "policy.yaml", cwd=quality)
    assert valid.returncode == 0, valid.stderr
    assert valid.stdout == "policy.yaml: valid policy 'acme' with 3 controls\n"
    (quality / "policy.yaml").write_text(POLICY.replace("{min_lines: 2}", "{min_lnes: 2}"))
    broken = assay("policy", "validate", "policy.yaml", cwd=quality)
    assert broken.returncode == 2
    assert broken.stderr == (
        "error: policy.yaml:19:34: parameters[0].checks['hygiene.readme'].min_lnes: Extra "
        "inputs are not permitted\nhint: fix the policy; docs/policy.md (Tailoring) describes "
        "scope, exclude and parameters\n"
    )
