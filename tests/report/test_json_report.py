"""The JSON document of an audit: whole, HTML-safe, and read back into the same Audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from assay.model import (
    Audit,
    CheckRun,
    CheckStatus,
    FileStats,
    Finding,
    Grade,
    Measure,
    PolicyInfo,
    ProductInfo,
    Rating,
    Severity,
    SkippedFile,
    SkipReason,
    SourceInfo,
    Summary,
    TestOutcome,
    Verdict,
    VerdictStatus,
)
from assay.report.json import audit_document, audit_schema, dumps, render_json

HOSTILE_PATH = "</script><script>alert('x & y')</script>.py"


def sample_audit() -> Audit:
    return Audit(
        id="0123456789abcdef0123456789abcdef",
        product=ProductInfo(
            name="shop", path="/srv/shop", team="web", tier=1, tags=["public"],
            data_classification="internal",
        ),
        source=SourceInfo(kind="git", commit="c" * 40, tree="t" * 40, ref="v1.0"),
        policy=PolicyInfo(id="assay-baseline", title="Assay baseline", hash="f" * 64),
        assay_version="0.1.0",
        started_at=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
        duration_s=1.5,
        checks=[
            CheckRun(check_id="chk.secrets", version="1", params_hash="abcd", status=CheckStatus.OK,
                     duration_s=0.25, tool_versions={"re2": "1.1"}),
            CheckRun(check_id="chk.broken", version="2", params_hash="ef01",
                     status=CheckStatus.ERROR, error="chk.broken failed: ValueError: <bad>",
                     duration_s=0.0),
        ],
        verdicts=[
            Verdict(control_id="C-1", title="No secrets", severity=Severity.HIGH, enforced=True,
                    status=VerdictStatus.FAIL, reason=f"{HOSTILE_PATH}: key",
                    evidence=["chk.secrets"], finding_fingerprints=["fp1"]),
            Verdict(control_id="C-2", title="Works", severity=Severity.LOW, enforced=False,
                    status=VerdictStatus.ERROR, reason="chk.broken failed: ValueError: <bad>",
                    evidence=["chk.broken"]),
        ],
        findings=[
            Finding(check_id="chk.secrets", rule="secrets.aws", message=f"{HOSTILE_PATH}: key",
                    severity=Severity.HIGH, path=HOSTILE_PATH, start_line=3, end_line=3,
                    fingerprint="fp1"),
        ],
        measures=[
            Measure(check_id="inventory.languages", name="lines", value=12.5, unit="lines",
                    labels={"language": "python"}),
        ],
        files=FileStats(total=4, read=2, from_cache=1, bytes_read=300,
                        skipped={SkipReason.BINARY: 1}),
        skipped=[SkippedFile(path="logo.png", reason=SkipReason.BINARY, size=2048)],
        summary=Summary(counts={VerdictStatus.FAIL: 1, VerdictStatus.ERROR: 1}, score=0.0,
                        failed_enforced=1),
        ratings=[
            Rating(characteristic="security", subcharacteristic="confidentiality",
                   grade=Grade.D, basis=[f"findings of chk.secrets in {HOSTILE_PATH}: D"]),
            Rating(characteristic="safety", grade=None),
        ],
        test_outcomes={"tests.t::test_a": TestOutcome.PASSED,
                       "tests.t::test_b": TestOutcome.FAILED},
    )  # fmt: skip


def test_the_document_is_the_whole_audit() -> None:
    document = json.loads(render_json(sample_audit()))
    assert document == {
        "schema_version": "1",
        "id": "0123456789abcdef0123456789abcdef",
        "product": {
            "name": "shop", "path": "/srv/shop", "team": "web", "tier": 1, "tags": ["public"],
            "data_classification": "internal",
        },
        "source": {"kind": "git", "commit": "c" * 40, "tree": "t" * 40, "ref": "v1.0"},
        "policy": {"id": "assay-baseline", "title": "Assay baseline", "hash": "f" * 64},
        "assay_version": "0.1.0",
        "started_at": "2024-05-06T07:08:09.123456Z",
        "duration_s": 1.5,
        "checks": [
            {"check_id": "chk.secrets", "version": "1", "params_hash": "abcd", "status": "ok",
             "error": None, "duration_s": 0.25, "tool_versions": {"re2": "1.1"}},
            {"check_id": "chk.broken", "version": "2", "params_hash": "ef01", "status": "error",
             "error": "chk.broken failed: ValueError: <bad>", "duration_s": 0.0,
             "tool_versions": {}},
        ],
        "verdicts": [
            {"control_id": "C-1", "title": "No secrets", "severity": "high", "enforced": True,
             "status": "fail", "reason": f"{HOSTILE_PATH}: key", "evidence": ["chk.secrets"],
             "finding_fingerprints": ["fp1"]},
            {"control_id": "C-2", "title": "Works", "severity": "low", "enforced": False,
             "status": "error", "reason": "chk.broken failed: ValueError: <bad>",
             "evidence": ["chk.broken"], "finding_fingerprints": []},
        ],
        "findings": [
            {"check_id": "chk.secrets", "rule": "secrets.aws", "message": f"{HOSTILE_PATH}: key",
             "severity": "high", "path": HOSTILE_PATH, "start_line": 3, "end_line": 3,
             "fingerprint": "fp1", "cwe": [], "properties": {}},
        ],
        "measures": [
            {"check_id": "inventory.languages", "name": "lines", "value": 12.5, "unit": "lines",
             "labels": {"language": "python"}},
        ],
        "files": {"total": 4, "read": 2, "from_cache": 1, "bytes_read": 300,
                  "skipped": {"binary": 1}},
        "skipped": [{"path": "logo.png", "reason": "binary", "size": 2048}],
        "summary": {"counts": {"fail": 1, "error": 1}, "score": 0.0, "failed_enforced": 1},
        "ratings": [
            {"characteristic": "security", "subcharacteristic": "confidentiality",
             "grade": "D", "basis": [f"findings of chk.secrets in {HOSTILE_PATH}: D"]},
            {"characteristic": "safety", "subcharacteristic": None, "grade": None, "basis": []},
        ],
        "test_outcomes": {"tests.t::test_a": "passed", "tests.t::test_b": "failed"},
    }  # fmt: skip


def test_markup_characters_are_escaped_and_the_document_reads_back() -> None:
    audit = sample_audit()
    text = render_json(audit)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert('x \\u0026 y')" in text
    assert json.loads(text) == audit_document(audit)
    assert Audit.model_validate(json.loads(text)) == audit
    assert text.endswith("}\n")


def test_non_ascii_is_kept_as_text_and_control_characters_escaped() -> None:
    text = dumps({"name": "café\n\u2028</x>", "n": 1})
    assert text == '{\n  "name": "café\\n\u2028\\u003c/x\\u003e",\n  "n": 1\n}\n'
    assert json.loads(text) == {"name": "café\n\u2028</x>", "n": 1}


def test_the_schema_is_identified_and_describes_the_audit() -> None:
    schema = audit_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://assay.dev/schemas/audit-1.json"
    assert schema["title"] == "Audit"
    assert schema["type"] == "object"
    assert set(schema["required"]) == {
        "id", "product", "source", "policy", "assay_version", "started_at", "duration_s",
        "checks", "verdicts", "findings", "measures", "files", "skipped", "summary",
    }  # fmt: skip
    assert set(schema["properties"]) == set(json.loads(render_json(sample_audit())))
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["VerdictStatus"]["enum"] == [
        "pass", "fail", "warn", "not_applicable", "manual", "error",
    ]  # fmt: skip
    json.dumps(schema)  # the schema itself is plain JSON
