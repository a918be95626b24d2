"""tests.junit: failing, erroring and flaky tests from JUnit reports; stale reports; bad input."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from assay.checks.api import finding
from assay.checks.junit import JunitCheck, JunitParams
from assay.model import Measure, Severity
from assay.reports import ReportError
from assay.snapshot import open_snapshot
from support import expect, run_product_check

# pytest's layout, with a Surefire-style rerun: the flaky test failed once, then passed.
REPORT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
  <testsuite name="pytest" errors="1" failures="1" skipped="1" tests="6" time="1.5"
             timestamp="{timestamp}">
    <testcase classname="tests.test_core" name="test_adds" file="tests/test_core.py"
              time="0.25"/>
    <testcase classname="tests.test_core" name="test_rounds" file="tests/test_core.py"
              time="0.5">
      <failure message="assert 0.30000000000000004 == 0.3">long trace</failure>
    </testcase>
    <testcase classname="tests.test_db" name="test_connects" time="0.25">
      <error message="ConnectionRefusedError: port 5432"/>
    </testcase>
    <testcase classname="tests.test_db" name="test_later" time="0">
      <skipped message="needs a server"/>
    </testcase>
    <testcase classname="tests.test_net" name="test_fetch" time="0.5">
      <flakyFailure message="timed out">first run</flakyFailure>
    </testcase>
    <testcase classname="tests.test_net" name="test_parse"/>
  </testsuite>
</testsuites>
"""
FRESH = "2099-01-01T00:00:00"


def m(name: str, value: float, unit: str) -> Measure:
    return Measure(check_id="tests.junit", name=name, value=value, unit=unit)


def f(rule: str, message: str, severity: Severity, key: str, *, path: str | None = None,
      report: str = "ci/junit.xml") -> Any:  # fmt: skip
    return finding("tests.junit", rule, message, severity=severity, path=path, key=key,
                   properties={"report": report})  # fmt: skip


MEASURES = [
    m("tests.total", 6, "tests"),
    m("tests.passed", 3, "tests"),
    m("tests.failed", 1, "tests"),
    m("tests.errored", 1, "tests"),
    m("tests.skipped", 1, "tests"),
    m("tests.flaky", 1, "tests"),
    m("tests.failing_share", 33.33, "%"),
    m("tests.duration", 1.5, "s"),
    m("tests.reports", 1, "reports"),
]


def case_findings(report: str, core_path: str | None = "tests/test_core.py") -> list[Any]:
    return [
        f("tests.failed", f"test tests.test_core::test_rounds failed in {report}: "
          "assert 0.30000000000000004 == 0.3", Severity.HIGH,
          "tests.test_core::test_rounds", path=core_path, report=report),
        f("tests.error", f"test tests.test_db::test_connects errored in {report}: "
          "ConnectionRefusedError: port 5432", Severity.HIGH, "tests.test_db::test_connects",
          report=report),
        f("tests.flaky", f"test tests.test_net::test_fetch passed only on a rerun (flaky) in "
          f"{report}: timed out", Severity.LOW, "tests.test_net::test_fetch", report=report),
    ]  # fmt: skip


def test_a_committed_report_gives_a_finding_per_failing_test(make_repo: Any) -> None:
    repo = make_repo("p", {"ci/junit.xml": REPORT.format(timestamp=FRESH),
                           "tests/test_core.py": "def test_adds(): pass\n"})  # fmt: skip
    output = run_product_check(JunitCheck(), repo, JunitParams(files=["ci/*.xml"]))
    assert output == expect(findings=case_findings("ci/junit.xml"), measures=MEASURES)


def test_a_report_on_the_host_and_a_stale_one(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"README.md": "# p\n"})
    report = tmp_path / "junit.xml"
    report.write_text(REPORT.format(timestamp="2020-05-06T07:08:09"))
    output = run_product_check(JunitCheck(), repo, JunitParams(external=[str(report)]))
    source = str(report)
    commit_time = int(repo.git("log", "-1", "--format=%ct").strip())
    from datetime import UTC, datetime

    committed = datetime.fromtimestamp(commit_time, UTC).strftime("%Y-%m-%d %H:%M UTC")
    stale = finding(
        "tests.junit", "tests.stale-report",
        f"{source} is stale: written 2020-05-06 07:08 UTC, before the audited commit was made "
        f"({committed})", severity=Severity.MEDIUM, key=source, properties={"report": source},
    )  # fmt: skip
    # The test file named in the report is not in this repository: no path.
    findings = case_findings(source, core_path=None)
    assert output == expect(findings=[*findings, stale], measures=MEASURES)


def test_nothing_configured_or_nothing_matching_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "# p\n"})
    assert run_product_check(JunitCheck(), repo) == expect(
        not_applicable="no test report configured (parameters files and external are empty)"
    )
    assert run_product_check(JunitCheck(), repo, JunitParams(files=["build/*.xml"])) == expect(
        not_applicable="no file of the repository matches build/*.xml"
    )


def test_unusable_reports_are_errors_naming_them(make_repo: Any, tmp_path: Path) -> None:
    repo = make_repo("p", {"README.md": "# p\n"})
    missing = tmp_path / "absent.xml"
    link = tmp_path / "link.xml"
    target = tmp_path / "real.xml"
    target.write_text(REPORT.format(timestamp=FRESH))
    os.symlink(target, link)
    broken = tmp_path / "broken.xml"
    broken.write_text("<testsuites><testsuite name='x'>")
    expected = {
        missing: f"{missing}: no such file",
        link: f"{link}: is a symlink; it is not followed",
    }
    for path, message in expected.items():
        with pytest.raises(ReportError) as caught:
            run_product_check(JunitCheck(), repo, JunitParams(external=[str(path)]))
        assert str(caught.value) == message
    with pytest.raises(ReportError) as caught:
        run_product_check(JunitCheck(), repo, JunitParams(external=[str(broken)]))
    assert str(caught.value).startswith(f"{broken}:1:")
    with pytest.raises(ReportError) as caught:
        run_product_check(JunitCheck(), repo, JunitParams(external=[str(target)], max_size=100))
    size = target.stat().st_size
    assert str(caught.value) == f"{target}: {size} bytes, more than the limit of 100 bytes"


def test_a_test_both_passing_and_failing_in_one_commit_s_reports_is_flaky(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"README.md": "# p\n"})
    first, second = tmp_path / "run1.xml", tmp_path / "run2.xml"
    first.write_text('<testsuite name="u"><testcase classname="t" name="test_x"/></testsuite>')
    second.write_text('<testsuite name="u"><testcase classname="t" name="test_x">'
                      '<failure message="boom"/></testcase></testsuite>')  # fmt: skip
    snapshot = open_snapshot(repo.path)
    output = JunitCheck().run(snapshot, JunitParams(external=[str(first), str(second)]))
    snapshot.close()
    assert [f.message for f in output.findings] == [
        f"test t::test_x failed in {second}: boom",
        "test t::test_x is flaky: it failed and passed in the reports of this one commit",
    ]
    assert dict(output.test_outcomes) == {"t::test_x": "failed"}


def test_reports_without_a_test_case_are_not_evidence_of_passing(
    make_repo: Any, tmp_path: Path
) -> None:
    repo = make_repo("p", {"README.md": "# p\n"})
    empty = tmp_path / "empty.xml"
    empty.write_text('<testsuite name="u" tests="0"></testsuite>')
    output = run_product_check(JunitCheck(), repo, JunitParams(external=[str(empty)]))
    assert output == expect(not_applicable=f"the test reports hold no test case ({empty})")
