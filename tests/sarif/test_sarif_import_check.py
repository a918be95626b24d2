"""sarif.import: SARIF files from the repository or the host, as findings and measures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assay.cache import ResultCache
from assay.checks.api import fingerprint
from assay.checks.sarif_import import SarifImportCheck, SarifImportParams, tool_slug
from assay.engine import BoundCheck, Limits, run_checks
from assay.sarif import SarifError
from assay.snapshot import open_snapshot
from support import run_product_check

CODEQL = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "CodeQL",
                    "semanticVersion": "2.17.0",
                    "rules": [
                        {
                            "id": "py/sql-injection",
                            "properties": {
                                "tags": ["security", "external/cwe/cwe-089"],
                                "security-severity": "8.8",
                            },
                        },
                    ],
                }
            },
            "versionControlProvenance": [
                {"repositoryUri": "https://example.com/app", "mappedTo": {"uriBaseId": "%SRCROOT%"}}
            ],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///home/runner/work/app/app/"}},
            "results": [
                {
                    "ruleId": "py/sql-injection",
                    "ruleIndex": 0,
                    "message": {"text": "This query depends on a [user-provided value](1)."},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": "app/db.py", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 12, "endLine": 13},
                    }}],
                    "partialFingerprints": {"primaryLocationLineHash": "1a2b3c:1"},
                },
                {
                    "ruleId": "py/sql-injection",
                    "message": {"text": "Outside the tree."},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": "../../etc/passwd", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 1},
                    }}],
                },
                {
                    "ruleId": "py/sql-injection",
                    "message": {"text": "Accepted."},
                    "suppressions": [{"kind": "inSource", "status": "accepted"}],
                },
            ],
        }
    ],
}  # fmt: skip

SEMGREP = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {"driver": {"name": "Semgrep OSS", "version": "1.86.0", "rules": [
                {"id": "python.eval", "defaultConfiguration": {"level": "note"},
                 "properties": {"tags": ["CWE-95: Eval Injection"]}},
            ]}},
            "results": [
                {"ruleId": "python.eval", "message": {"text": "eval of {0}", "arguments": ["x"]},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/run.py"},
                                                     "region": {"startLine": 4}}}]},
                {"ruleId": "python.eval", "message": {"text": "eval of {0}", "arguments": ["x"]},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/run.py"},
                                                     "region": {"startLine": 9}}}]},
                {"ruleId": "python.eval", "kind": "pass", "message": {"text": "fine"}},
            ],
        }
    ],
}  # fmt: skip


def sarif_finding(
    rule: str, message: str, *, severity: str, path: str | None, lines: tuple[int, int] | None,
    key: str, cwe: list[int], properties: dict[str, str],
) -> dict[str, Any]:  # fmt: skip
    return {
        "check_id": "sarif.import",
        "rule": rule,
        "message": message,
        "severity": severity,
        "path": path,
        "start_line": lines[0] if lines else None,
        "end_line": lines[1] if lines else None,
        "fingerprint": fingerprint("sarif.import", rule, path or "", key),
        "cwe": cwe,
        "properties": properties,
    }


def tool_measures(tool: str, results: int, suppressed: int, not_failing: int, dropped: int
                  ) -> list[dict[str, Any]]:  # fmt: skip
    values = {
        "sarif.results": results,
        "sarif.suppressed": suppressed,
        "sarif.results_not_failing": not_failing,
        "sarif.locations_dropped": dropped,
    }
    return [
        {"check_id": "sarif.import", "name": name, "value": value, "unit": "results",
         "labels": {"tool": tool}}
        for name, value in values.items()
    ]  # fmt: skip


def files_measure(count: int) -> dict[str, Any]:
    return {"check_id": "sarif.import", "name": "sarif.files", "value": count, "unit": "files",
            "labels": {}}  # fmt: skip


CODEQL_FINDINGS = [
    sarif_finding(
        "codeql.py/sql-injection", "This query depends on a [user-provided value](1).",
        severity="high", path="app/db.py", lines=(12, 13),
        key="fp:primaryLocationLineHash=1a2b3c:1", cwe=[89],
        properties={"tool": "CodeQL", "sarif_file": "reports/codeql.sarif", "level": "warning",
                    "security-severity": "8.8"},
    ),
    sarif_finding(
        "codeql.py/sql-injection", "Outside the tree.", severity="high", path=None, lines=None,
        key="message:Outside the tree.", cwe=[89],
        properties={"tool": "CodeQL", "sarif_file": "reports/codeql.sarif", "level": "warning",
                    "security-severity": "8.8",
                    "location": "dropped: path leaves the repository"},
    ),
]  # fmt: skip


def test_without_configuration_the_check_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("product", {"reports/codeql.sarif": json.dumps(CODEQL)})
    assert run_product_check(SarifImportCheck(), repo) == {
        "findings": [],
        "measures": [],
        "not_applicable": "no SARIF file configured (parameters files and external are empty)",
        "tool_versions": {},
    }


def test_globs_that_match_nothing_are_not_applicable(make_repo: Any) -> None:
    repo = make_repo("product", {"README.md": "# hi\n"})
    params = SarifImportParams(files=["reports/*.sarif", "*.sarif.json"])
    assert run_product_check(SarifImportCheck(), repo, params)["not_applicable"] == (
        "no file of the repository matches reports/*.sarif, *.sarif.json"
    )


def test_sarif_files_of_the_repository_become_findings(make_repo: Any) -> None:
    repo = make_repo("product", {"reports/codeql.sarif": json.dumps(CODEQL), "app/db.py": ""})
    params = SarifImportParams(files=["reports/*.sarif"])
    assert run_product_check(SarifImportCheck(), repo, params) == {
        "findings": CODEQL_FINDINGS,
        "measures": [files_measure(1), *tool_measures("codeql", 3, 1, 0, 1)],
        "not_applicable": None,
        "tool_versions": {"codeql": "2.17.0"},
    }


def test_host_files_and_several_tools_are_read_together(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("product", {"reports/codeql.sarif": json.dumps(CODEQL)})
    host = tmp_path / "ci" / "semgrep.sarif"
    host.parent.mkdir()
    host.write_text(json.dumps(SEMGREP))
    params = SarifImportParams(files=["reports/*.sarif"], external=[str(host)])
    rule = "semgrep-oss.python.eval"
    props = {"tool": "Semgrep OSS", "sarif_file": str(host), "level": "note"}
    assert run_product_check(SarifImportCheck(), repo, params) == {
        "findings": [
            *CODEQL_FINDINGS,
            sarif_finding(rule, "eval of x", severity="low", path="app/run.py", lines=(4, 4),
                          key="message:eval of x", cwe=[95], properties=props),
            # The same message in the same file: told apart by order, not by line.
            sarif_finding(rule, "eval of x", severity="low", path="app/run.py", lines=(9, 9),
                          key="message:eval of x#2", cwe=[95], properties=props),
        ],
        "measures": [
            files_measure(2),
            *tool_measures("codeql", 3, 1, 0, 1),
            *tool_measures("semgrep-oss", 3, 0, 1, 0),
        ],
        "not_applicable": None,
        "tool_versions": {"codeql": "2.17.0", "semgrep-oss": "1.86.0"},
    }  # fmt: skip


def test_absolute_paths_on_this_host_are_made_relative_to_the_repository(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("product", {"app/a.py": "x = 1\n"})
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Local"}}, "results": [
        {"ruleId": "r", "message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": (repo.path / "app" / "a.py").as_uri()}}}]},
    ]}]}  # fmt: skip
    host = tmp_path / "local.sarif"
    host.write_text(json.dumps(doc))
    output = run_product_check(SarifImportCheck(), repo, SarifImportParams(external=[str(host)]))
    assert [(f["rule"], f["path"]) for f in output["findings"]] == [("local.r", "app/a.py")]
    assert output["tool_versions"] == {"local": "unknown"}


def test_a_sarif_file_of_an_older_commit_is_read_without_a_checkout(make_repo: Any) -> None:
    repo = make_repo("product", {"reports/codeql.sarif": json.dumps(CODEQL)})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit_files({"reports/codeql.sarif": json.dumps({"version": "2.1.0", "runs": []})})
    snapshot = open_snapshot(repo.path, rev=first)
    try:
        output = SarifImportCheck().run(snapshot, SarifImportParams(files=["reports/*"]))
    finally:
        snapshot.close()
    assert [f.model_dump() for f in output.findings] == CODEQL_FINDINGS


def errors_with(make_repo: Any, files: dict[str, str], params: SarifImportParams) -> str:
    repo = make_repo("product", files)
    with pytest.raises(SarifError) as raised:
        run_product_check(SarifImportCheck(), repo, params)
    return raised.value.message


def test_a_malformed_file_of_the_repository_is_an_error_naming_it(make_repo: Any) -> None:
    params = SarifImportParams(files=["*.sarif"])
    assert errors_with(make_repo, {"bad.sarif": '{"version": "2.1.0", "runs": [{]}'}, params) == (
        "bad.sarif: invalid JSON at line 1, column 32: Expecting property name enclosed in "
        "double quotes"
    )


def test_an_oversized_file_of_the_repository_is_an_error_naming_it(make_repo: Any) -> None:
    params = SarifImportParams(files=["*.sarif"], max_size=1000)
    data = json.dumps(CODEQL)
    assert errors_with(make_repo, {"big.sarif": data}, params) == (
        f"big.sarif: {len(data)} bytes, more than the limit of 1000 bytes for a SARIF file"
    )


def test_a_missing_host_file_is_an_error_naming_it(make_repo: Any, tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.sarif")
    params = SarifImportParams(external=[missing])
    assert errors_with(make_repo, {"a.py": ""}, params) == f"{missing}: no such file"


def test_a_symlinked_sarif_in_the_repository_is_not_followed(make_repo: Any) -> None:
    repo = make_repo("product", {"a.py": ""})
    repo.symlink("report.sarif", "/etc/passwd")
    repo.commit()
    with pytest.raises(SarifError) as raised:
        run_product_check(SarifImportCheck(), repo, SarifImportParams(files=["*.sarif"]))
    assert raised.value.message == "report.sarif: is a symlink; it is not read"


def test_a_bad_file_gives_the_verdict_error(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("product", {"scan.sarif": '{"version": "2.1.0", "runs": {}}'})
    snapshot = open_snapshot(repo.path)
    try:
        result = run_checks(
            snapshot,
            [BoundCheck(check=SarifImportCheck(), params=SarifImportParams(files=["*.sarif"]))],
            cache=ResultCache(None),
            limits=Limits(),
        )
    finally:
        snapshot.close()
    assert result.failures == {
        "sarif.import": "sarif.import failed: SarifError: scan.sarif: runs: expected a list"
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [("CodeQL", "codeql"), ("Semgrep OSS", "semgrep-oss"), ("  ", "unknown-tool"),
     ("ESLint\tPlugin", "eslint-plugin")],
)  # fmt: skip
def test_tool_names_become_rule_prefixes(name: str, slug: str) -> None:
    assert tool_slug(name) == slug
