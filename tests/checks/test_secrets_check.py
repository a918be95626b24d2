"""``secrets.scan`` as a check: findings, suppressions, allowlists, extra rules, the audit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from assay.checks.api import FileInput, FileResult, fingerprint, params_hash
from assay.checks.secrets import SecretsCheck, SecretsParams
from assay.checks.secrets.redact import key_id, keyed_hash
from assay.model import Audit, EntryKind, FileEntry, Finding, Measure, Severity
from support import as_data

KEY = "company-wide-key-0123456789"
PARAMS = SecretsParams(hash_key=KEY)
# assay: ignore[secrets.aws-access-key-id] a made-up key for the detector's own tests
AWS_ID = "AKIAQ3EGRWPK2XN7HFZC"
# assay: ignore[secrets.github-pat] a made-up token for the detector's own tests
GH = "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"


def h(value: str) -> str:
    return keyed_hash(value, KEY.encode())


def scan(path: str, text: str, params: SecretsParams = PARAMS) -> FileResult:
    entry = FileEntry(path=path, kind=EntryKind.FILE, blob_id="1" * 40, size=len(text))
    file = FileInput(entry=entry, data=text.encode(), text=text, language=None)
    return SecretsCheck().scan(file, params)


def expected(
    rule: str, path: str, message: str, severity: Severity, *, lines: tuple[int, int], key: str
) -> Finding:
    return Finding(
        check_id="secrets.scan", rule=rule, message=message, severity=severity, path=path,
        start_line=lines[0], end_line=lines[1],
        fingerprint=fingerprint("secrets.scan", rule, path, key),
        # CWE-798 (hard-coded credentials), except the rule about suppressions themselves
        cwe=[] if rule == "secrets.suppression-without-reason" else [798],
    )  # fmt: skip


def test_a_finding_names_rule_file_line_redacted_value_and_hash() -> None:
    result = scan("config/settings.py", f'import os\nAWS_ACCESS_KEY_ID = "{AWS_ID}"\n')
    assert result.findings == (
        expected("secrets.aws-access-key-id", "config/settings.py",
                 f"AWS access key id in config/settings.py line 2: AKIA… (20 chars), "
                 f"hash {h(AWS_ID)}", Severity.CRITICAL, lines=(2, 2), key=h(AWS_ID)),
    )  # fmt: skip
    assert dict(result.facts) == {"suppressed": 0}


def test_a_private_key_spans_its_lines() -> None:
    body = "MIIEpAIBAAKCAQEAq7Zk2mWJ0rT5vN8xL3pQ9sF4hD1gK6jY2cB7nM0wE5rU8iO3"
    text = (
        f"# deploy key\n-----BEGIN RSA PRIVATE KEY-----\n{body}\nqwe\n"
        "-----END RSA PRIVATE KEY-----\n"
    )
    assert scan("deploy/id_rsa", text).findings == (
        expected("secrets.private-key-rsa", "deploy/id_rsa",
                 f"RSA private key in deploy/id_rsa line 2: MIIE… (64 chars), hash {h(body)}",
                 Severity.CRITICAL, lines=(2, 3), key=h(body)),
    )  # fmt: skip


def test_the_same_secret_in_two_files_has_one_hash_and_two_fingerprints() -> None:
    first = scan("a/.env", f"GITHUB_TOKEN={GH}\n").findings
    second = scan("b/ci.yaml", f"env:\n  token: {GH}\n").findings
    assert [f.message for f in first + second] == [
        f"GitHub personal access token (classic) in a/.env line 1: ghp_… (40 chars), hash {h(GH)}",
        f"GitHub personal access token (classic) in b/ci.yaml line 2: ghp_… (40 chars), "
        f"hash {h(GH)}",
    ]
    assert first[0].fingerprint == fingerprint(
        "secrets.scan", "secrets.github-pat", "a/.env", h(GH)
    )
    assert second[0].fingerprint == fingerprint(
        "secrets.scan", "secrets.github-pat", "b/ci.yaml", h(GH)
    )
    assert first[0].fingerprint != second[0].fingerprint


def test_a_secret_repeated_in_a_file_is_one_finding_whose_fingerprint_ignores_lines() -> None:
    text = f"a = '{GH}'\n\nb = '{GH}'\nc = '{GH}'\n"
    findings = scan("app.py", text).findings
    assert [(f.message, f.start_line) for f in findings] == [
        (f"GitHub personal access token (classic) in app.py line 1: ghp_… (40 chars), "
         f"hash {h(GH)} (also on line 3, 4)", 1),
    ]  # fmt: skip
    moved = scan("app.py", "\n\n" + text).findings
    assert moved[0].fingerprint == findings[0].fingerprint


def test_a_suppression_with_a_reason_on_the_line_or_above_suppresses() -> None:
    text = (
        f"a = '{GH}'  # assay: ignore[secrets.github-pat] revoked on 2024-03-01\n"
        f"# assay: ignore[secrets.aws-access-key-id] documented sample key of the SDK\n"
        f"b = '{AWS_ID}'\n"
    )
    result = scan("app.py", text)
    assert result.findings == ()
    assert dict(result.facts) == {"suppressed": 2}


def test_a_suppression_without_a_reason_suppresses_nothing_and_is_reported() -> None:
    text = f"# assay: ignore[secrets.github-pat]\na = '{GH}'\n"
    assert scan("app.py", text).findings == (
        expected("secrets.suppression-without-reason", "app.py",
                 "suppression without a reason in app.py line 1: "
                 "`assay: ignore[secrets.github-pat]` suppresses nothing until it says why",
                 Severity.LOW, lines=(1, 1), key="secrets.github-pat"),
        expected("secrets.github-pat", "app.py",
                 f"GitHub personal access token (classic) in app.py line 2: ghp_… (40 chars), "
                 f"hash {h(GH)}", Severity.CRITICAL, lines=(2, 2), key=h(GH)),
    )  # fmt: skip


def test_a_suppression_of_another_rule_or_two_lines_above_does_not_suppress() -> None:
    text = f"# assay: ignore[secrets.github-pat] old key\n\na = '{AWS_ID}'\nb = '{GH}'\n"
    assert [f.rule for f in scan("app.py", text).findings] == [
        "secrets.aws-access-key-id", "secrets.github-pat",
    ]  # fmt: skip


def test_findings_in_test_paths_are_one_level_lower_with_low_confidence() -> None:
    findings = scan("tests/fixtures/settings.py", f"KEY = '{AWS_ID}'\n").findings
    assert [(f.severity, f.message) for f in findings] == [
        (Severity.HIGH, "AWS access key id in tests/fixtures/settings.py line 1: "
         f"AKIA… (20 chars), hash {h(AWS_ID)} (in a test path: lower confidence)"),
    ]  # fmt: skip


def test_allowlisted_paths_and_hashes_are_not_reported() -> None:
    params = SecretsParams(hash_key=KEY, allow_paths=["vendor/*"], allow_hashes=[h(GH)])
    assert scan("vendor/sdk/creds.py", f"k = '{AWS_ID}'\n", params) == FileResult(
        facts={"allowed": 1}
    )
    text = f"a = '{GH}'\nb = '{AWS_ID}'\n"
    assert [f.rule for f in scan("app.py", text, params).findings] == ["secrets.aws-access-key-id"]


def test_company_extra_rules_are_matched_with_the_builtins() -> None:
    params = SecretsParams.model_validate({
        "hash_key": KEY,
        "extra_rules": [{"id": "acme-token", "title": "ACME internal token", "severity": "high",
                         "pattern": r"\b(acme_[a-z0-9]{24})\b", "keywords": ["ACME_"],
                         "min_entropy": 3.0}],
    })  # fmt: skip
    # assay: ignore[secrets.generic-secret] a made-up value for the detector's own tests
    token = "acme_k3j9x2m7q1w8e4r6t0y5u2i9"
    text = f"TOKEN={token}\nother=acme_aaaaaaaaaaaaaaaaaaaaaaaa\n"
    assert [f.message for f in scan("ops.env", text, params).findings] == [
        f"ACME internal token in ops.env line 1: acme… (29 chars), hash {h(token)}"
    ]
    # Without the company rule, the value is only a generic secret.
    assert [f.rule for f in scan("ops.env", text).findings] == ["secrets.generic-secret"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"pattern": r"(a+)\1"},
         "Value error, extra rule 'acme-token': RE2 cannot compile the pattern: "
         "invalid escape sequence: \\1"),
        ({"pattern": r"(?=acme)(\w+)"},
         "Value error, extra rule 'acme-token': RE2 cannot compile the pattern: "
         "invalid perl operator: (?="),
        ({"pattern": r"acme_\w+"},
         "Value error, extra rule 'acme-token': RE2 cannot compile the pattern: the pattern "
         "must have exactly one capture group (the secret), it has 0"),
        ({"id": "jwt", "pattern": r"(x)"},
         "Value error, extra rule 'jwt': secrets.jwt is already a rule"),
    ],
)  # fmt: skip
def test_an_extra_rule_re2_refuses_is_a_parameter_error(rule: dict[str, str], message: str) -> None:
    extra = {"id": "acme-token", "title": "ACME token", "severity": "high", **rule}
    with pytest.raises(ValidationError) as raised:
        SecretsParams.model_validate({"hash_key": KEY, "extra_rules": [extra]})
    assert [e["msg"] for e in raised.value.errors()] == [message]


def test_the_key_id_follows_the_key_and_changes_the_cache_key(assay_home: Path) -> None:
    assert PARAMS.key_id == key_id(KEY.encode())
    default = SecretsParams()
    installation = bytes.fromhex((assay_home / "secret-hash.key").read_text())
    assert default.key_id == key_id(installation)
    assert SecretsParams().key_id == default.key_id  # the key file is reused
    assert params_hash(default) != params_hash(PARAMS)
    with pytest.raises(ValidationError, match="key_id is computed from the hash key"):
        SecretsParams(hash_key=KEY, key_id="00000000")
    # The installation key hashes findings when the policy gives none.
    finding = scan("a.env", f"T={GH}\n", default).findings[0]
    assert finding.message.endswith(f"hash {keyed_hash(GH, installation)}")


def test_summarize_counts_findings_per_rule_and_files() -> None:
    results = {
        "a.env": scan("a.env", f"T={GH}\nK={AWS_ID}\n"),
        "b.env": scan("b.env", f"T={GH}\n"),
        "c.txt": scan("c.txt", "nothing here\n"),
        "vendor/x": FileResult(facts={"allowed": 1}),
    }
    output = as_data(SecretsCheck().summarize(results, PARAMS))
    assert [(f["path"], f["rule"]) for f in output["findings"]] == [
        ("a.env", "secrets.github-pat"), ("a.env", "secrets.aws-access-key-id"),
        ("b.env", "secrets.github-pat"),
    ]  # fmt: skip

    def m(name: str, value: int, unit: str, **labels: str) -> dict[str, Any]:
        return Measure(check_id="secrets.scan", name=name, value=value, unit=unit,
                       labels=labels).model_dump()  # fmt: skip

    assert output["measures"] == [
        m("secrets.findings", 3, "findings"),
        m("secrets.findings", 1, "findings", rule="secrets.aws-access-key-id"),
        m("secrets.findings", 2, "findings", rule="secrets.github-pat"),
        m("secrets.files_scanned", 3, "files"),
        m("secrets.suppressed", 0, "findings"),
    ]


def test_a_large_file_is_scanned() -> None:
    filler = "".join(
        f"def handler_{i}(event):\n    return event['key'] + {i}\n" for i in range(12000)
    )
    text = filler + f"TOKEN = '{GH}'\n" + filler
    assert len(text) > 1_000_000
    findings = scan("big.py", text).findings
    assert [(f.rule, f.start_line) for f in findings] == [("secrets.github-pat", 24001)]


POLICY = """\
assay-policy: 1
id: secrets
title: No secrets
controls:
  - id: S-1
    title: No credentials in the repository
    checks: [secrets.scan]
"""


@pytest.mark.slow
def test_an_audit_never_stores_or_prints_a_secret(make_repo: Any, assay_home: Path) -> None:
    values = [GH, AWS_ID, "Zq4mS8vT1xK9pL2wR7yB3nC6dF0hJ5gA8eU1iO4t", "pXw7Kd93LmQz2Vt8"]
    repo = make_repo("shop", {
        "README.md": "# Shop\n",
        ".env": f"GITHUB_TOKEN={GH}\nAWS_ACCESS_KEY_ID={AWS_ID}\n",
        "config/aws.ini": f"aws_secret_access_key = {values[2]}\n",
            "app/db.py": f'URL = "postgres://shop:{values[3]}@db.internal/shop"\n',
    })  # fmt: skip
    policy = repo.path.parent / "policy.yaml"
    policy.write_text(POLICY)
    env = {**os.environ, "ASSAY_HOME": str(assay_home), "ASSAY_CACHE_DIR": str(assay_home / "c")}
    outputs = []
    for _ in range(2):  # the second audit is answered from the cache
        done = subprocess.run(
            [sys.executable, "-m", "assay", "audit", str(repo.path), "--policy", str(policy),
             "--format", "json"],
            capture_output=True, text=True, env=env, check=False, timeout=120,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout + done.stderr)
        audit = Audit.model_validate_json(done.stdout)
    assert sorted(f.rule for f in audit.findings) == [
        "secrets.aws-access-key-id", "secrets.aws-secret-access-key", "secrets.dsn-password",
        "secrets.github-pat",
    ]  # fmt: skip
    stored = [p.read_bytes() for p in assay_home.rglob("*") if p.is_file()]
    assert any(b"secrets.github-pat" in data for data in stored)  # the cache holds findings
    for value in values:
        assert value not in outputs[0] and value not in outputs[1]
        assert [value.encode() in data for data in stored] == [False] * len(stored)


def test_npmrc_syntax_outside_an_npmrc_file_is_code() -> None:
    # Seen in Django's sources: a variable named *_auth assigned a call.
    line = "wgs84_auth = SpatialReference(4326, axis_order=AxisOrder.AUTHORITY)\n"
    entry = FileEntry(path="gis/test_srs.py", kind=EntryKind.FILE, blob_id="0" * 40, size=66)
    file = FileInput(entry=entry, data=line.encode(), text=line, language="python")
    assert SecretsCheck().scan(file, PARAMS).findings == ()
