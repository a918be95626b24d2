"""maint.complexity: findings per function over a limit, the product roll-up, caching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assay.audit import AuditRequest, audit_product
from assay.cache import ResultCache
from assay.checks.api import FileInput, FileResult, finding
from assay.checks.maint.complexity import ComplexityCheck, ComplexityParams
from assay.model import EntryKind, FileEntry, Measure, ProductInfo, Severity
from assay.policy import load_policy
from support import as_data

SOURCE = """\
def tangled(a, b, c, d):
    if a:
        for x in b:
            if x and c:
                return x
    return d or None


def small(x):
    return x
"""

STRICT = ComplexityParams(max_ccn=4, max_lines=5, max_parameters=3, max_nesting=2)


def scan(path: str, text: str, language: str, params: ComplexityParams) -> FileResult:
    entry = FileEntry(path=path, kind=EntryKind.FILE, blob_id="1" * 40, size=len(text),
                      language=language)  # fmt: skip
    return ComplexityCheck().scan(FileInput(entry=entry, data=text.encode(), language=language),
                                  params)  # fmt: skip


def over(
    rule: str, what: str, value: int, limit: int, *, severity: Severity, cwe: list[int]
) -> Any:
    message = (
        f"function tangled in app/core.py (lines 1-6): {what} {value}, over the limit of {limit}"
    )
    return finding("maint.complexity", rule, message, severity=severity, path="app/core.py",
                   start_line=1, end_line=6, key="tangled", cwe=cwe)  # fmt: skip


def test_a_function_over_each_limit_is_one_finding_per_limit() -> None:
    result = scan("app/core.py", SOURCE, "python", STRICT)
    assert result.findings == (
        # if, for, if, and, or: 1 + 5
        over("maint.function-complexity", "cyclomatic complexity", 6, 4,
             severity=Severity.MEDIUM, cwe=[1121]),
        over("maint.function-length", "length in lines", 6, 5, severity=Severity.LOW, cwe=[]),
        over("maint.function-parameters", "parameters", 4, 3, severity=Severity.LOW, cwe=[1064]),
        over("maint.function-nesting", "nesting depth", 3, 2, severity=Severity.MEDIUM, cwe=[1124]),
    )  # fmt: skip
    assert dict(result.facts) == {
        "language": "python",
        "functions": [["tangled", 1, 6, 6, 4, 3], ["small", 9, 10, 1, 1, 0]],
        "syntax_errors": False,
    }


def test_within_the_default_limits_nothing_is_found() -> None:
    assert scan("app/core.py", SOURCE, "python", ComplexityParams()).findings == ()


def _facts(language: str, *rows: list[Any], errors: bool = False) -> FileResult:
    return FileResult(facts={"language": language, "functions": list(rows),
                             "syntax_errors": errors})  # fmt: skip


def test_the_roll_up_gives_count_mean_p90_max_share_over_and_languages() -> None:
    # Eleven functions: complexities 1..10 and 20; the last one is over max_ccn=15 and
    # the one with 9 parameters is over max_parameters=7.
    results = {
        "a.py": _facts("python", *[[f"f{n}", 1, 2, n, 1, 0] for n in range(1, 8)]),
        "b.js": _facts("javascript", ["g8", 1, 3, 8, 9, 1], ["g9", 4, 5, 9, 0, 0],
                       ["g10", 6, 9, 10, 2, 2], errors=True),
        "c.go": _facts("go", ["huge", 1, 40, 20, 1, 3]),
        "d.py": _facts("python"),
    }  # fmt: skip
    output = ComplexityCheck().summarize(results, ComplexityParams())

    def m(name: str, value: float, unit: str, **labels: str) -> Measure:
        return Measure(check_id="maint.complexity", name=name, value=value, unit=unit,
                       labels=labels)  # fmt: skip

    assert as_data(output)["measures"] == [
        m("maint.functions", 11, "functions").model_dump(),
        m("maint.ccn.mean", 6.82, "ccn").model_dump(),  # 75 / 11
        m("maint.ccn.p90", 10, "ccn").model_dump(),  # rank ceil(0.9 * 11) = 10 of 11
        m("maint.ccn.max", 20, "ccn").model_dump(),
        m("maint.functions.over_limits", 18.18, "%").model_dump(),  # 2 of 11
        m("maint.files.syntax_errors", 1, "files").model_dump(),
        m("maint.functions", 1, "functions", language="go").model_dump(),
        m("maint.functions", 3, "functions", language="javascript").model_dump(),
        m("maint.functions", 7, "functions", language="python").model_dump(),
    ]
    assert output.not_applicable is None


def test_no_function_anywhere_is_not_applicable() -> None:
    output = ComplexityCheck().summarize({"d.py": _facts("python")}, ComplexityParams())
    assert as_data(output) == {
        "findings": [],
        "measures": [],
        "not_applicable": "no function found in a language whose functions Assay measures",
        "tool_versions": {},
    }


POLICY = """\
assay-policy: 1
id: maint-only
title: Complexity only
checks:
  maint.complexity: {max_ccn: 4}
controls:
  - id: M-1
    title: Simple functions
    severity: medium
    checks: [maint.complexity]
    condition:
      measure: {name: maint.functions.over_limits, max: 40}
"""


def test_an_audit_measures_every_language_and_a_re_audit_reads_only_changed_files(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {
        "app/core.py": SOURCE,
        "web/app.js": "function a(x) { return x && x.y; }\n",
        "cmd/main.go": "package main\n\nfunc main() {\n\tif true {\n\t}\n}\n",
        "README.md": "# p\n",
    })  # fmt: skip
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(POLICY)
    policy = load_policy(policy_file)
    cache = ResultCache(tmp_path / "cache.sqlite3")
    request = AuditRequest(product=ProductInfo(name="p", path=str(repo.path)))

    first = audit_product(request, policy=policy, cache=cache)
    values = {(m.name, tuple(sorted(m.labels.items()))): m.value for m in first.measures}
    assert values[("maint.functions", ())] == 4, values
    assert values[("maint.ccn.max", ())] == 6
    assert values[("maint.functions.over_limits", ())] == 25.0
    assert [(v.control_id, v.status.value) for v in first.verdicts] == [("M-1", "pass")]
    assert [f.rule for f in first.findings] == ["maint.function-complexity"]
    assert first.files.read == 3  # the README is in no measured language

    repo.commit_files({"web/app.js": "function a(x) { return x || 1; }\n"})
    second = audit_product(request, policy=policy, cache=cache)
    assert second.files.read == 1
    assert second.files.from_cache == 2
    assert [m.model_dump() for m in second.measures] == [m.model_dump() for m in first.measures]
    cache.close()
