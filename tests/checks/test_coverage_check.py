"""coverage.report: totals merged over reports, paths resolved, changed lines, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assay.checks.coverage import CoverageCheck, CoverageParams
from assay.model import Measure
from assay.reports import ReportError
from support import expect, run_product_check

APP = "".join(f"line_{n} = {n}\n" for n in range(1, 11))  # ten lines

# Cobertura as coverage.py writes it: paths relative to the <source> root.
COBERTURA = """\
<?xml version="1.0" ?>
<coverage version="7.4" timestamp="4102444800000" lines-valid="4" lines-covered="2"
          line-rate="0.5" branches-covered="1" branches-valid="2" branch-rate="0.5">
  <sources><source>/ci/checkout/src</source></sources>
  <packages><package name="app"><classes>
    <class name="core.py" filename="app/core.py">
      <lines>
        <line number="1" hits="1"/>
        <line number="2" hits="0"/>
        <line number="3" hits="4" branch="true" condition-coverage="50% (1/2)"/>
        <line number="4" hits="0"/>
      </lines>
    </class>
    <class name="gen.py" filename="build/generated.py">
      <lines><line number="1" hits="1"/></lines>
    </class>
  </classes></package></packages>
</coverage>
"""

# LCOV from another test run: line 2 covered there.
LCOV = """\
TN:
SF:/home/runner/work/p/src/app/core.py
DA:1,0
DA:2,3
DA:4,0
LF:3
LH:1
end_of_record
"""


def m(name: str, value: float, unit: str) -> Measure:
    return Measure(check_id="coverage.report", name=name, value=value, unit=unit)


def test_reports_merge_a_line_is_covered_when_any_report_covers_it(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"src/app/core.py": APP, "ci/coverage.xml": COBERTURA})
    lcov = tmp_path / "lcov.info"
    lcov.write_text(LCOV)
    params = CoverageParams(files=["ci/*.xml"], external=[str(lcov)])
    assert run_product_check(CoverageCheck(), repo, params) == expect(
        measures=[
            # lines 1, 2, 3 covered (2 by LCOV), 4 missed; the generated file is not ours
            m("coverage.lines", 75.0, "%"),
            m("coverage.lines_covered", 3, "lines"),
            m("coverage.lines_total", 4, "lines"),
            m("coverage.branches", 50.0, "%"),
            m("coverage.branches_covered", 1, "branches"),
            m("coverage.branches_total", 2, "branches"),
            m("coverage.files", 1, "files"),
            m("coverage.files_unmapped", 1, "files"),
            m("coverage.reports", 2, "reports"),
            Measure(check_id="coverage.report", name="coverage.file_lines", value=75.0,
                    unit="%", labels={"path": "src/app/core.py"}),
        ]
    )  # fmt: skip


def coverage_json(executed: list[int], missing: list[int]) -> str:
    return json.dumps({
        "meta": {"version": "7.4.0", "timestamp": "2099-01-01T00:00:00", "branch_coverage": False,
                 "show_contexts": False},
        "files": {"src/app/core.py": {"executed_lines": executed, "missing_lines": missing,
                                      "excluded_lines": []}},
        "totals": {},
    })  # fmt: skip


def test_coverage_of_the_lines_changed_since_a_base_commit(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"src/app/core.py": APP})
    base = repo.git("rev-parse", "HEAD").strip()
    changed = APP.replace("line_2 = 2\n", "line_2 = 22\n") + "extra = 11\nmore = 12\n"
    repo.commit_files({"src/app/core.py": changed})
    report = tmp_path / "coverage.json"
    # Changed: line 2 (edited), 11 and 12 (added). Covered: 2 and 11; 12 missed.
    report.write_text(coverage_json(executed=[1, 2, 3, 11], missing=[4, 12]))
    params = CoverageParams(external=[str(report)], base=base)
    values = {x["name"]: x["value"] for x in run_product_check(CoverageCheck(), repo,
                                                                params)["measures"]}  # fmt: skip
    assert values["coverage.changed_lines"] == 66.67
    assert values["coverage.changed_lines_covered"] == 2
    assert values["coverage.changed_lines_total"] == 3
    assert values["coverage.lines"] == 66.67  # 4 of 6


def test_a_report_path_climbing_out_of_the_repository_is_an_error(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"src/app/core.py": APP})
    report = tmp_path / "lcov.info"
    report.write_text("SF:../../etc/secrets.py\nDA:1,1\nend_of_record\n")
    with pytest.raises(ReportError) as caught:
        run_product_check(CoverageCheck(), repo, CoverageParams(external=[str(report)]))
    assert str(caught.value) == f"{report}: refers to ../../etc/secrets.py, outside the repository"


def test_an_unknown_format_is_an_error_naming_the_report(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"src/app/core.py": APP})
    report = tmp_path / "notes.txt"
    report.write_text("this is not coverage\n")
    with pytest.raises(ReportError) as caught:
        run_product_check(CoverageCheck(), repo, CoverageParams(external=[str(report)]))
    assert str(caught.value).startswith(f"{report}")


def test_nothing_configured_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("p", {"src/app/core.py": APP})
    assert run_product_check(CoverageCheck(), repo) == expect(
        not_applicable="no coverage report configured (parameters files and external are empty)"
    )


def test_the_least_covered_files_are_named(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"a.py": APP, "b.py": APP, "c.py": APP})
    report = tmp_path / "lcov.info"
    report.write_text(
        "SF:a.py\nDA:1,1\nDA:2,0\nend_of_record\n"  # 50 %
        "SF:b.py\nDA:1,0\nDA:2,0\nDA:3,0\nDA:4,1\nend_of_record\n"  # 25 %
        "SF:c.py\nDA:1,1\nend_of_record\n"  # 100 %
    )
    params = CoverageParams(external=[str(report)], lowest_files=2)
    output = run_product_check(CoverageCheck(), repo, params)
    assert [(x["labels"]["path"], x["value"]) for x in output["measures"]
            if x["name"] == "coverage.file_lines"] == [("b.py", 25.0), ("a.py", 50.0)]  # fmt: skip


def test_reports_that_name_no_file_of_the_repository_are_not_evidence(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"src/app/core.py": APP})
    report = tmp_path / "lcov.info"
    report.write_text("SF:/elsewhere/gen/x.py\nDA:1,1\nend_of_record\n")
    output = run_product_check(CoverageCheck(), repo, CoverageParams(external=[str(report)]))
    assert output == expect(
        not_applicable="no line of the coverage reports is in a file of the repository "
        "(1 file of the reports matched none)"
    )
