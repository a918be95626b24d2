"""Reading SARIF 2.1.0: rules, levels, CWE, messages, locations, suppressions, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assay.model import Severity
from assay.sarif import SarifError, SarifLog, SarifResult, SarifRun, parse_sarif, read_sarif
from assay.sarif.ingest import fill_placeholders, score_severity

ROOT = Path("/work/repo")


def document(*runs: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": list(runs),
    }


def run(results: list[dict[str, Any]], *, rules: list[dict[str, Any]] | None = None,
        **extra: Any) -> dict[str, Any]:  # fmt: skip
    driver: dict[str, Any] = {"name": "Scanner", "semanticVersion": "2.3.4", "version": "2.3"}
    if rules is not None:
        driver["rules"] = rules
    return {"tool": {"driver": driver}, "results": results, **extra}


def result(rule_id: str = "R1", uri: str | None = "src/app.py", line: int = 3, **extra: Any
           ) -> dict[str, Any]:  # fmt: skip
    found: dict[str, Any] = {"ruleId": rule_id, "message": {"text": f"problem {rule_id}"}}
    if uri is not None:
        found["locations"] = [
            {"physicalLocation": {"artifactLocation": {"uri": uri},
                                  "region": {"startLine": line}}}
        ]  # fmt: skip
    found.update(extra)
    return found


def parse(doc: dict[str, Any], *, root: Path | None = ROOT) -> SarifLog:
    return parse_sarif(json.dumps(doc).encode(), source="scan.sarif", root=root)


def only(log: SarifLog) -> SarifResult:
    (run_,) = log.runs
    (found,) = run_.results
    return found


def located(uri: str, base: str | None = None, **run_extra: Any) -> SarifResult:
    location: dict[str, Any] = {"uri": uri}
    if base is not None:
        location["uriBaseId"] = base
    found = result(
        locations=[{"physicalLocation": {"artifactLocation": location,
                                         "region": {"startLine": 7, "endLine": 9}}}]
    )  # fmt: skip
    return only(parse(document(run([found], **run_extra))))


def error_of(doc: Any, **kwargs: Any) -> str:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    with pytest.raises(SarifError) as raised:
        parse_sarif(data, source="scan.sarif", root=ROOT, **kwargs)
    return raised.value.message


# --------------------------------------------------------------------------- whole runs


def test_a_run_is_read_whole() -> None:
    rules = [
        {"id": "R1", "properties": {"tags": ["security", "external/cwe/cwe-079"]},
         "defaultConfiguration": {"level": "error"}},
        {"id": "R2", "shortDescription": {"text": "second rule"}},
    ]  # fmt: skip
    log = parse(document(run([
        result("R1"),
        result(None, ruleIndex=1, line=8, partialFingerprints={"primaryLocationLineHash": "ab:1"}),
    ], rules=rules)))  # fmt: skip
    assert log == SarifLog(
        source="scan.sarif",
        runs=(
            SarifRun(
                tool="Scanner",
                version="2.3.4",
                results=(
                    SarifResult(
                        rule_id="R1", message="problem R1", level="error",
                        severity=Severity.HIGH, path="src/app.py", start_line=3, end_line=3,
                        cwe=(79,), key="message:problem R1", properties={"level": "error"},
                    ),
                    SarifResult(
                        rule_id="R2", message="problem None", level="warning",
                        severity=Severity.MEDIUM, path="src/app.py", start_line=8, end_line=8,
                        cwe=(), key="fp:primaryLocationLineHash=ab:1",
                        properties={"level": "warning"},
                    ),
                ),
                total=2,
                suppressed=0,
                not_failing=0,
            ),
        ),
    )  # fmt: skip


def test_version_falls_back_to_version_and_may_be_absent() -> None:
    doc = document(run([]), run([]))
    doc["runs"][0]["tool"]["driver"] = {"name": "A", "version": "7"}
    doc["runs"][1]["tool"]["driver"] = {"name": "B"}
    assert [(r.tool, r.version) for r in parse(doc).runs] == [("A", "7"), ("B", None)]


def test_rules_of_extensions_are_found_through_the_rule_reference() -> None:
    doc = document(run([
        result(None, rule={"index": 0, "toolComponent": {"index": 1}}),
        result(None, rule={"id": "ext/b", "toolComponent": {"index": 1}}),
    ]))  # fmt: skip
    doc["runs"][0]["tool"]["extensions"] = [
        {"name": "pack-a", "rules": [{"id": "a"}]},
        {"name": "pack-b", "rules": [
            {"id": "ext/a", "properties": {"tags": ["CWE-89"]}},
            {"id": "ext/b", "properties": {"cwe": [22, "CWE-23"]}},
        ]},
    ]  # fmt: skip
    found = parse(doc).runs[0].results
    assert [(r.rule_id, r.cwe) for r in found] == [("ext/a", (89,)), ("ext/b", (22, 23))]


def test_a_hierarchical_rule_id_uses_its_parent_rule() -> None:
    rules = [{"id": "CA2100", "properties": {"tags": ["CWE-89"]}}]
    assert only(parse(document(run([result("CA2100/sub")], rules=rules)))).cwe == (89,)


# --------------------------------------------------------------------------- severity


@pytest.mark.parametrize(
    ("level", "severity"),
    [("error", Severity.HIGH), ("warning", Severity.MEDIUM), ("note", Severity.LOW),
     ("none", Severity.INFO)],
)  # fmt: skip
def test_levels_map_to_severities(level: str, severity: Severity) -> None:
    found = only(parse(document(run([result(level=level)]))))
    assert (found.level, found.severity) == (level, severity)


def test_the_level_defaults_to_the_rules_then_warning_then_none_for_other_kinds() -> None:
    rules = [{"id": "R1", "defaultConfiguration": {"level": "note"}}]
    found = parse(document(run([
        result("R1"), result("R9"), result("R9", kind="review"), result("R1", level="error"),
    ], rules=rules))).runs[0].results  # fmt: skip
    assert [r.level for r in found] == ["note", "warning", "none", "error"]


@pytest.mark.parametrize(
    ("score", "severity"),
    [(10.0, Severity.CRITICAL), (9.0, Severity.CRITICAL), (8.9, Severity.HIGH),
     (7.0, Severity.HIGH), (6.9, Severity.MEDIUM), (4.0, Severity.MEDIUM),
     (3.9, Severity.LOW), (0.1, Severity.LOW), (0.0, Severity.INFO)],
)  # fmt: skip
def test_security_severity_bands(score: float, severity: Severity) -> None:
    assert score_severity(score) == severity


def test_security_severity_wins_over_the_level_and_the_results_over_the_rules() -> None:
    rules = [{"id": "R1", "properties": {"security-severity": "9.8"}}]
    found = parse(document(run([
        result("R1", level="note"),
        result("R1", properties={"security-severity": 5}),
        result("R2", level="error", properties={"security-severity": "high"}),
    ], rules=rules))).runs[0].results  # fmt: skip
    assert [(r.severity, dict(r.properties)) for r in found] == [
        (Severity.CRITICAL, {"level": "note", "security-severity": "9.8"}),
        (Severity.MEDIUM, {"level": "warning", "security-severity": "5"}),
        (Severity.HIGH, {"level": "error",
                         "security-severity": "ignored: 'high' is not a score from 0 to 10"}),
    ]  # fmt: skip


# --------------------------------------------------------------------------- CWE


def test_cwe_ids_come_from_tags_properties_relationships_and_taxa() -> None:
    rules = [{
        "id": "R1",
        "properties": {"tags": ["external/cwe/cwe-79", "CWE-80: Basic XSS", "cwe79", "xss"],
                       "cwe": "CWE-116"},
        "relationships": [
            {"target": {"id": "20", "toolComponent": {"name": "CWE"}}},
            {"target": {"id": "A03", "toolComponent": {"name": "OWASP"}}},
        ],
    }]  # fmt: skip
    found = result(
        "R1", taxa=[{"id": "352", "toolComponent": {"name": "cwe"}}],
        properties={"tags": ["CWE-1004"], "cwe": 611},
    )  # fmt: skip
    assert only(parse(document(run([found], rules=rules)))).cwe == (20, 79, 80, 116, 352, 611, 1004)


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("text", "arguments", "filled"),
    [
        ("{0} flows to {1}", ["input", "sink"], "input flows to sink"),
        ("use {{braces}} and {0}", ["x"], "use {braces} and x"),
        ("missing {2}", ["a"], "missing {2}"),
        ("{0}{0}", ["ab"], "abab"),
    ],
)
def test_placeholders_are_filled(text: str, arguments: list[str], filled: str) -> None:
    assert fill_placeholders(text, arguments) == filled


def test_messages_come_from_text_rule_strings_markdown_or_the_rule_description() -> None:
    rules = [{"id": "R1", "messageStrings": {"default": {"text": "tainted {0}"}},
              "shortDescription": {"text": "Rule one"}}]  # fmt: skip
    doc = document(run([
        result("R1", message={"text": "{0} reaches eval", "arguments": ["request.args"]}),
        result("R1", message={"id": "default", "arguments": ["cookie"]}),
        result("R1", message={"markdown": "**bold**"}),
        result("R1", message={}),
    ], rules=rules))  # fmt: skip
    assert [r.message for r in parse(doc).runs[0].results] == [
        "request.args reaches eval",
        "tainted cookie",
        "**bold**",
        "Rule one",
    ]


# --------------------------------------------------------------------------- locations


def test_a_relative_uri_is_a_repository_path_percent_decoded() -> None:
    found = located("src/my%20file.py")
    assert (found.path, found.start_line, found.end_line) == ("src/my file.py", 7, 9)
    assert located("./src/./a.py").path == "src/a.py"
    assert located("src\\win\\a.py").path == "src/win/a.py"


def test_uri_base_ids_are_resolved_through_original_uri_base_ids() -> None:
    bases = {
        "SRC": {"uri": "src/", "uriBaseId": "ROOT"},
        "ROOT": {"uri": "file:///work/repo/"},
        "PKG": {"uri": "pkg", "uriBaseId": "SRC"},
    }
    assert located("a.py", "SRC", originalUriBaseIds=bases).path == "src/a.py"
    assert located("b.py", "PKG", originalUriBaseIds=bases).path == "src/pkg/b.py"
    assert located("c.py", "UNKNOWN", originalUriBaseIds=bases).path == "c.py"
    assert located("d.py", "%SRCROOT%").path == "d.py"


def test_the_base_the_provenance_maps_to_the_repository_is_its_root() -> None:
    bases = {"SRCROOT": {"uri": "file:///home/runner/work/app/app/"}}
    provenance = [{"repositoryUri": "https://example.com/app.git", "revisionId": "abc",
                   "mappedTo": {"uriBaseId": "SRCROOT"}}]  # fmt: skip
    found = located("lib/a.py", "SRCROOT", originalUriBaseIds=bases,
                    versionControlProvenance=provenance)  # fmt: skip
    assert (found.path, found.properties) == ("lib/a.py", {"level": "warning"})
    elsewhere = located("lib/a.py", "SRCROOT", originalUriBaseIds=bases)
    dropped = {"level": "warning", "location": "dropped: absolute path outside the repository"}
    assert (elsewhere.path, elsewhere.properties) == (None, dropped)


def test_absolute_paths_inside_the_root_are_made_relative() -> None:
    assert located("/work/repo/src/a.py").path == "src/a.py"
    assert located("file:///work/repo/src/b%2Bc.py").path == "src/b+c.py"
    assert located("file://localhost/work/repo/d.py").path == "d.py"


@pytest.mark.parametrize(
    ("uri", "base", "reason"),
    [
        ("../secrets.txt", None, "path leaves the repository"),
        ("src/../../x.py", None, "path leaves the repository"),
        ("..%2F..%2Fetc/passwd", None, "path leaves the repository"),
        ("..\\..\\x.py", None, "path leaves the repository"),
        ("/etc/passwd", None, "absolute path outside the repository"),
        ("/work/repo/../other/a.py", None, "absolute path outside the repository"),
        ("/work/repository-two/a.py", None, "absolute path outside the repository"),
        ("file:///etc/passwd", None, "absolute path outside the repository"),
        ("http://example.com/a.py", None, "URI scheme 'http' is not a file of the repository"),
        ("https://example.com/a.py", None,
         "URI scheme 'https' is not a file of the repository"),
        ("git+ssh://host/repo", None, "URI scheme 'git+ssh' is not a file of the repository"),
        ("file://fileserver/share/a.py", None, "file URI of another host (fileserver)"),
        ("C:/build/src/a.py", None, "Windows drive path (C:)"),
        ("a.py", "LOOP", "uriBaseId cycle"),
        ("../../a.py", "SRC", "path leaves the repository"),
        ("/work/repo", None, "path names the repository root, not a file"),
    ],
)  # fmt: skip
def test_locations_outside_the_repository_are_dropped_and_the_result_kept(
    uri: str, base: str | None, reason: str
) -> None:
    bases = {"LOOP": {"uri": "x/", "uriBaseId": "LOOP2"},
             "LOOP2": {"uri": "y/", "uriBaseId": "LOOP"}, "SRC": {"uri": "src/"}}  # fmt: skip
    found = located(uri, base, originalUriBaseIds=bases)
    assert (found.path, found.start_line, found.end_line) == (None, None, None)
    assert found.properties == {"level": "warning", "location": f"dropped: {reason}"}
    assert found.location_dropped


def test_without_a_root_absolute_paths_are_dropped_and_relative_ones_kept() -> None:
    doc = document(run([result(uri="/work/repo/a.py"), result(uri="b.py")]))
    found = parse(doc, root=None).runs[0].results
    assert [(r.path, dict(r.properties)) for r in found] == [
        (None, {"level": "warning",
                "location": "dropped: absolute path, and no repository root to relate it to"}),
        ("b.py", {"level": "warning"}),
    ]  # fmt: skip


def test_an_artifact_index_stands_for_the_uri_and_results_may_have_no_location() -> None:
    doc = document(run(
        [result(locations=[{"physicalLocation": {"artifactLocation": {"index": 1},
                                                 "region": {"startLine": 2}}}]),
         result(uri=None),
         result(locations=[{"logicalLocations": [{"name": "f"}]}])],
        artifacts=[{"location": {"uri": "a.py"}}, {"location": {"uri": "lib/b.py"}}],
    ))  # fmt: skip
    found = parse(doc).runs[0].results
    assert [(r.path, r.start_line, r.location_dropped) for r in found] == [
        ("lib/b.py", 2, False),
        (None, None, False),
        (None, None, False),
    ]


def test_an_artifact_that_names_itself_does_not_loop_and_line_zero_is_no_line() -> None:
    location = {"physicalLocation": {"artifactLocation": {"index": 0},
                                     "region": {"startLine": 0}}}  # fmt: skip
    doc = document(run([result(locations=[location])], artifacts=[{"location": {"index": 0}}]))
    found = only(parse(doc))
    assert (found.path, found.start_line, found.location_dropped) == (None, None, False)
    doc = document(run([result(locations=[location])], artifacts=[{"location": {"uri": "a.py"}}]))
    found = only(parse(doc))
    assert (found.path, found.start_line) == ("a.py", None)


# --------------------------------------------------------------------------- not findings


def test_suppressed_results_are_counted_not_found() -> None:
    results = [
        result("accepted", suppressions=[{"kind": "inSource", "status": "accepted"}]),
        result("no-status", suppressions=[{"kind": "external", "justification": "test"}]),
        result("review", suppressions=[{"kind": "inSource", "status": "underReview"}]),
        result("rejected", suppressions=[{"kind": "inSource", "status": "rejected"}]),
        result("mixed", suppressions=[{"kind": "inSource"}, {"kind": "external",
                                                             "status": "rejected"}]),
        result("empty", suppressions=[]),
    ]  # fmt: skip
    (read,) = parse(document(run(results))).runs
    assert [r.rule_id for r in read.results] == ["review", "rejected", "mixed", "empty"]
    assert (read.total, read.suppressed, read.not_failing) == (6, 2, 0)


def test_results_that_report_no_present_problem_are_counted_not_found() -> None:
    results = [
        result("passed", kind="pass"), result("na", kind="notApplicable"),
        result("gone", baselineState="absent"), result("new", baselineState="new"),
        result("open", kind="open"),
    ]  # fmt: skip
    (read,) = parse(document(run(results))).runs
    assert [r.rule_id for r in read.results] == ["new", "open"]
    assert (read.total, read.suppressed, read.not_failing) == (5, 0, 3)


# --------------------------------------------------------------------------- identity


def test_the_key_prefers_fingerprints_then_partial_ones_then_snippet_then_message() -> None:
    snippet = {"physicalLocation": {"artifactLocation": {"uri": "a.py"},
                                    "region": {"startLine": 1,
                                               "snippet": {"text": "  eval( x )\n"}}}}  # fmt: skip
    found = parse(document(run([
        result(fingerprints={"v1": "F"}, partialFingerprints={"h": "P"}),
        result(partialFingerprints={"b": "2", "a": "1"}),
        result(locations=[snippet]),
        result(message={"text": "line  47:\tbad"}),
    ]))).runs[0].results  # fmt: skip
    assert [r.key for r in found] == [
        "fp:v1=F",
        "fp:a=1;b=2",
        "snippet:eval( x )",
        "message:line 47: bad",
    ]


# --------------------------------------------------------------------------- bad input


def test_malformed_json_names_the_file_and_position() -> None:
    assert error_of(b'{"version": "2.1.0",\n "runs": [}') == (
        "scan.sarif: invalid JSON at line 2, column 11: Expecting value"
    )


def test_bytes_that_are_not_utf8_are_an_error() -> None:
    assert error_of(b'{"version": "\xff"}') == "scan.sarif: not UTF-8 (invalid byte at offset 13)"


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + json.dumps(document(run([]))).encode()
    assert parse_sarif(data, source="bom.sarif", root=ROOT).runs[0].tool == "Scanner"


def test_deep_nesting_is_an_error() -> None:
    assert error_of(b"[" * 100_000 + b"]" * 100_000) == (
        "scan.sarif: invalid JSON: nested too deeply"
    )


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "top level: expected an object"),
        ({"runs": []}, "version: required, but absent"),
        ({"version": "2.0.0", "runs": []}, "version: expected '2.1.0', found '2.0.0'"),
        ({"version": "2.1.0", "runs": {}}, "runs: expected a list"),
        (document({"results": []}), "runs[0].tool: required, but absent"),
        (document({"tool": {"driver": {}}}), "runs[0].tool.driver.name: required, but absent"),
        (document(run([result(), result(), result(), result(locations={"uri": "a"})])),
         "runs[0].results[3].locations: expected a list"),
        (document(run(["oops"])), "runs[0].results[0]: expected an object"),
        (document(run([result(ruleId=7)])), "runs[0].results[0].ruleId: expected a string"),
        (document(run([result(None, ruleIndex=2)], rules=[{"id": "R1"}])),
         "runs[0].results[0].ruleIndex: 2 is out of range (the tool has 1 rules)"),
        (document(run([result(None, ruleIndex="0")])),
         "runs[0].results[0].ruleIndex: expected an integer"),
        (document(run([result(level="fatal")])),
         "runs[0].results[0].level: expected one of error, warning, note, none"),
        (document(run([result(suppressions=[{"status": "maybe"}])])),
         "runs[0].results[0].suppressions[0].status: expected one of accepted, underReview, "
         "rejected"),
        (document(run([result(message="text")])),
         "runs[0].results[0].message: expected an object"),
        (document(run([{"ruleId": "R1"}])), "runs[0].results[0].message: required, but absent"),
        (document(run([result(message={"text": "{0}", "arguments": [1]})])),
         "runs[0].results[0].message.arguments[0]: expected a string"),
        (document(run([result(rule={"toolComponent": {"index": 0}})])),
         "runs[0].results[0].rule.toolComponent.index: 0 is out of range "
         "(the tool has 0 extensions)"),
        (document(run([result(locations=[{"physicalLocation": {"artifactLocation":
                                                               {"index": 4}}}])])),
         "runs[0].results[0].locations[0].physicalLocation.artifactLocation.index: 4 is out "
         "of range (the run has 0 artifacts)"),
        (document(run([result()], originalUriBaseIds={"SRC": "src/"})),
         "runs[0].originalUriBaseIds.SRC: expected an object"),
        (document(run([result()], rules=[{"name": "no id"}])),
         "runs[0].tool.driver.rules[0].id: required, but absent"),
    ],
)  # fmt: skip
def test_a_document_of_the_wrong_shape_names_the_json_path(doc: Any, message: str) -> None:
    assert error_of(doc) == f"scan.sarif: {message}"


def test_oversized_data_names_the_sizes() -> None:
    data = json.dumps(document(run([result()]))).encode()
    assert error_of(data, max_size=100) == (
        f"scan.sarif: {len(data)} bytes, more than the limit of 100 bytes for a SARIF file"
    )


def test_files_are_read_with_the_same_rules(tmp_path: Path) -> None:
    path = tmp_path / "out.sarif"
    path.write_text(json.dumps(document(run([result()]))))
    assert read_sarif(path, root=ROOT).runs[0].results[0].path == "src/app.py"
    size = path.stat().st_size
    with pytest.raises(SarifError) as raised:
        read_sarif(path, root=ROOT, max_size=10)
    assert raised.value.message == (
        f"{path}: {size} bytes, more than the limit of 10 bytes for a SARIF file"
    )
    with pytest.raises(SarifError) as raised:
        read_sarif(tmp_path / "missing.sarif", root=ROOT, source="missing.sarif")
    assert raised.value.message == "missing.sarif: no such file"
    with pytest.raises(SarifError) as raised:
        read_sarif(tmp_path, root=ROOT, source="a-folder")
    assert raised.value.message == "a-folder: not a regular file"
