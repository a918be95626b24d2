"""Noise control and redaction: placeholders, entropy, test paths, suppressions, the key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from assay.checks.secrets import noise, redact
from assay.model import Severity


@pytest.mark.parametrize(
    "value",
    ["changeme", "CHANGEME", "xxxxxxxxxxxxxxxx", "<your-token>", "${API_TOKEN}", "{{ token }}",
     "%(password)s", "$API_TOKEN", "AKIAIOSFODNN7EXAMPLE", "sample-key-1234", "dummy_secret_9",
     "test123", "aaaaaaaaaaaaaaaaaaaa", "abcabcabcabc", "ghp_000000000000000000000000000000000000",
     "0123456789abcdef", "password", "********", "#{secret}"],
)  # fmt: skip
def test_placeholders_are_recognised(value: str) -> None:
    assert noise.is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    # assay: ignore[secrets.github-pat] a made-up token for the detector's own tests
    ["ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5", "Xk93mPq2Lz8w", "wJ9rT2xQ7mL4nB8vK3sD6fG1hZ5cY0aE",
     "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn"],
)  # fmt: skip
def test_random_looking_values_are_not_placeholders(value: str) -> None:
    assert not noise.is_placeholder(value)


def test_longest_repetition() -> None:
    texts = ["", "a", "ab", "aaab", "xabcabcabcy", "abab"]
    assert [noise.longest_repetition(t) for t in texts] == [
        0, 1, 1, 3, 9, 4,
    ]  # fmt: skip


def test_entropy_and_character_sets() -> None:
    assert noise.shannon_entropy("") == 0.0
    assert noise.shannon_entropy("aaaa") == 0.0
    assert noise.shannon_entropy("abcd") == 2.0
    assert [noise.charset(v) for v in ["deadbeef", "Zebra42", "a+b/c=", "p@ss!"]] == [
        "hex", "alphanumeric", "base64", "other",
    ]  # fmt: skip
    # Long values are held to their character set's threshold, short ones to 80% of log2(n).
    assert noise.charset_threshold("0123456789abcdef" * 4) == 3.0
    assert noise.charset_threshold("Z" * 64) == 3.3
    assert noise.charset_threshold("Z+" * 32) == 3.6
    assert noise.charset_threshold("abcdefgh") == pytest.approx(2.4)


def test_code_references_are_not_secrets() -> None:
    assert noise.is_code_reference("settings.SECRET_KEY")
    assert noise.is_code_reference("new_password")
    assert noise.is_code_reference("123456789012")
    assert not noise.is_code_reference("s3cr3t-Value.2")


@pytest.mark.parametrize(
    ("path", "in_tests"),
    [("tests/conftest.py", True), ("app/test/data.json", True), ("pkg/fixtures/a.env", True),
     ("go/testdata/x", True), ("web/__tests__/a.js", True), ("spec/models/user_spec.rb", True),
     ("svc/client_test.go", True), ("test_settings.py", True), ("examples/demo.py", True),
     ("docs/setup.md", True), ("web/app.spec.ts", True), ("app/settings.py", False),
     ("latest/config.py", False), ("contest.py", False)],
)  # fmt: skip
def test_test_paths(path: str, in_tests: bool) -> None:
    assert noise.is_test_path(path) is in_tests


def test_severity_is_lowered_one_level() -> None:
    assert [noise.lowered(s) for s in Severity] == [
        Severity.INFO, Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = 1  # assay: ignore[secrets.jwt] test fixture token",
         noise.Suppression(line=3, rules=("secrets.jwt",), reason="test fixture token")),
        ("// assay: ignore[secrets.jwt, secrets.generic-secret] -- rotated 2024-01 */",
         noise.Suppression(line=3, rules=("secrets.jwt", "secrets.generic-secret"),
                           reason="rotated 2024-01")),
        # Split so this file holds no reasonless suppression of its own.
        ("<!-- assay: " + "ignore[secrets.url-password] -->",
         noise.Suppression(line=3, rules=("secrets.url-password",), reason="")),
        ("# assay: " + "ignore[secrets.jwt]",
         noise.Suppression(line=3, rules=("secrets.jwt",), reason="")),
        ("# assay: ignore[hygiene.readme] not ours", None),
        ("no marker here", None),
    ],
)  # fmt: skip
def test_parse_suppression(line: str, expected: noise.Suppression | None) -> None:
    assert noise.parse_suppression(line, 3) == expected


def test_redaction_shows_four_characters_and_the_length() -> None:
    # assay: ignore[secrets.aws-access-key-id] a made-up key for the detector's own tests
    assert redact.redact("AKIAQ3EGRWPK2XN7HFZC") == "AKIA… (20 chars)"
    assert redact.redact("Xk93mPq2Lz8w") == "Xk9… (12 chars)"
    assert redact.redact("abc") == "… (3 chars)"


def test_keyed_hash_depends_on_value_and_key() -> None:
    assert redact.keyed_hash("value", b"k1") == redact.keyed_hash("value", b"k1")
    assert redact.keyed_hash("value", b"k1") != redact.keyed_hash("value", b"k2")
    assert redact.keyed_hash("value", b"k1") != redact.keyed_hash("value2", b"k1")
    assert len(redact.keyed_hash("value", b"k1")) == 16


def test_keyed_hash_is_hmac_sha256() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"key", b"secret", hashlib.sha256).hexdigest()[:16]
    assert redact.keyed_hash("secret", b"key") == expected
    assert redact.key_id(b"key") == hashlib.sha256(b"key").hexdigest()[:8]


def test_installation_key_is_created_0600_in_assay_home_and_reused(assay_home: Path) -> None:
    path = assay_home / "secret-hash.key"
    assert not path.exists()
    key = redact.installation_key()
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(key) == 32
    assert redact.installation_key() == key
    assert path.read_text() == key.hex() + "\n"
    assert [p.name for p in assay_home.iterdir()] == ["secret-hash.key"]


def test_a_damaged_key_file_is_an_error(assay_home: Path) -> None:
    (assay_home / "secret-hash.key").write_text("not hex\n")
    with pytest.raises(ValueError, match=r"does not hold a secret hash key"):
        redact.installation_key()


@pytest.mark.parametrize("value", ["{values[3]}", "{password}", "{secret!r}", "{cfg.token}"])
def test_python_format_fields_are_placeholders(value: str) -> None:
    assert noise.is_placeholder(value)


# Seen in Django's sources and docs: assignments to secret-sounding names that are code.
@pytest.mark.parametrize(
    "value",
    [
        "set-password",  # reset_url_token = "set-password"
        "+dollarToken",  # dollarToken = +dollarToken;
        "https://uit.stanford.edu/service/authentication",  # .. _WebAuth: <link>
        'variable|default:"Default',  # a template expression cut at a space
        "a long sentence",
    ],
)
def test_code_and_prose_are_not_generic_secrets(value: str) -> None:
    assert noise.is_code_reference(value)


# Assembled at run time: this file must hold no credential-looking literal of its own.
@pytest.mark.parametrize("value", ["!PaG2lCpCTx6vb55", "https://u:" + "p4ss@host", "Xk93mPq2Lz8w"])
def test_real_looking_values_stay_candidates(value: str) -> None:
    assert not noise.is_code_reference(value)


def test_counting_runs_are_typed_not_generated() -> None:
    # CSRF_TOKEN = "1bcdefghij2bcdefghij…" in Django's tests
    assert noise.is_placeholder("1bcdefghij2bcdefghij3bcdefghij4bcdefghijABCD")
    assert noise.longest_ascending_run("x12345678y") == 8
    assert not noise.is_placeholder("Kr9mT2vP6wQp5nL8zX3d")
