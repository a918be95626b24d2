"""``assay audit --report FILE`` and a portfolio's ``reports:``: CI evidence judged too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assay.model import Audit, VerdictStatus

README = "# Product\n\n" + "".join(f"Line {i} of a useful README.\n" for i in range(12))
POLICY = """\
assay-policy: 1
id: readme-only
title: README only
controls:
  - id: R-1
    title: README present
    checks: [hygiene.readme]
"""
JUNIT = """\
<testsuite name="unit" tests="2" failures="{failures}" timestamp="2099-01-01T00:00:00">
  <testcase classname="t" name="test_ok" time="0.1"/>
  <testcase classname="t" name="test_maybe" time="0.1">{failure}</testcase>
</testsuite>
"""
LCOV = "SF:app/core.py\nDA:1,1\nDA:2,1\nDA:3,0\nend_of_record\n"


def junit(failing: bool) -> str:
    failure = '<failure message="boom"/>' if failing else ""
    return JUNIT.format(failures=int(failing), failure=failure)


def verdicts(audit: Audit) -> list[tuple[str, VerdictStatus, str]]:
    return [(v.control_id, v.status, v.reason) for v in audit.verdicts]


def test_reports_are_judged_by_test_1_and_cov_1(make_repo: Any, assay: Any, tmp_path: Path) -> None:
    repo = make_repo("shop", {"README.md": README, "app/core.py": "a = 1\nb = 2\nc = 3\n"})
    (tmp_path / "policy.yaml").write_text(POLICY)
    tests = tmp_path / "junit.xml"
    tests.write_text(junit(failing=True))
    coverage = tmp_path / "lcov.info"
    coverage.write_text(LCOV)
    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--report", tests,
                 "--report", coverage, "--format", "json")  # fmt: skip
    assert done.returncode == 1, done.stderr  # TEST-1 is enforced
    audit = Audit.model_validate_json(done.stdout)
    assert verdicts(audit) == [
        ("R-1", VerdictStatus.PASS, "no finding"),
        ("TEST-1", VerdictStatus.FAIL, f"test t::test_maybe failed in {tests}: boom"),
        ("COV-1", VerdictStatus.PASS, "line coverage of 60% or more"),
    ]
    tests.write_text(junit(failing=False))
    again = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--report", tests,
                  "--format", "json")  # fmt: skip
    assert again.returncode == 0, again.stderr
    passed = "every test in the reports passed, and the reports are current"
    assert verdicts(Audit.model_validate_json(again.stdout))[1] == (
        "TEST-1", VerdictStatus.PASS, passed
    )  # fmt: skip


def test_a_portfolio_reads_each_product_s_reports_from_its_folder(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": README, "app/core.py": "a = 1\nb = 2\nc = 3\n"})
    (repo.path / "build").mkdir()
    (repo.path / "build" / "junit.xml").write_text(junit(failing=True))  # written by CI
    (tmp_path / "policy.yaml").write_text(POLICY)
    (tmp_path / "assay.yaml").write_text(
        "assay-portfolio: 1\npolicy: policy.yaml\nproducts:\n"
        f"  - name: shop\n    path: {repo.path}\n    reports: ['build/*.xml']\n"
    )
    done = assay("audit", "--portfolio", tmp_path / "assay.yaml", "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert '"control_id": "TEST-1"' in done.stdout
    assert "test t::test_maybe failed in" in done.stdout


def test_a_test_that_passes_and_fails_on_the_same_code_is_flaky(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": README, "app/core.py": "a = 1\n"})
    (tmp_path / "policy.yaml").write_text(POLICY)
    report = tmp_path / "junit.xml"

    def audit_with(failing: bool) -> None:
        report.write_text(junit(failing=failing))
        done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--report", report)
        assert done.returncode == (1 if failing else 0), done.stderr

    audit_with(failing=False)
    none = assay("tests", "flaky", "shop")
    assert (none.returncode, none.stdout) == (0, "No flaky test in the last 50 audits of shop.\n")
    audit_with(failing=True)  # the same commit: the same tree
    repo.commit_files({"app/core.py": "a = 2\n"})
    audit_with(failing=True)  # another tree: failing there says nothing about flakiness
    found = assay("tests", "flaky", "shop", "--format", "json")
    assert found.returncode == 1, found.stderr
    rows = json.loads(found.stdout)
    assert [(r["test"], r["passed"], r["failed"], len(r["audits"])) for r in rows] == [
        ("t::test_maybe", 1, 1, 2)
    ]


def test_base_measures_the_coverage_of_the_changed_lines(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": README, "app/core.py": "a = 1\nb = 2\n"})
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit_files({"app/core.py": "a = 1\nb = 20\nc = 3\n"})  # lines 2 and 3 changed
    (tmp_path / "policy.yaml").write_text(POLICY)
    coverage = tmp_path / "lcov.info"
    coverage.write_text("SF:app/core.py\nDA:1,1\nDA:2,1\nDA:3,0\nend_of_record\n")
    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--report", coverage,
                 "--base", base, "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    values = {m.name: m.value for m in Audit.model_validate_json(done.stdout).measures}
    assert (values["coverage.changed_lines"], values["coverage.changed_lines_total"]) == (50.0, 2)


def test_a_report_that_is_a_symlink_is_refused_and_a_linked_one_is_not_gathered(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"README.md": README})
    (tmp_path / "policy.yaml").write_text(POLICY)
    outside = tmp_path / "outside.xml"
    outside.write_text(junit(failing=True))
    link = tmp_path / "link.xml"
    link.symlink_to(outside)
    done = assay("audit", repo.path, "--policy", tmp_path / "policy.yaml", "--report", link)
    assert done.returncode == 2
    assert f"{link}: is a symlink; it is not followed" in done.stderr
    (repo.path / "build").mkdir()
    (repo.path / "build" / "junit.xml").symlink_to(outside)  # left by a hostile CI step
    (tmp_path / "assay.yaml").write_text(
        "assay-portfolio: 1\npolicy: policy.yaml\nproducts:\n"
        f"  - name: shop\n    path: {repo.path}\n    reports: ['build/*.xml']\n"
    )
    portfolio = assay("audit", "--portfolio", tmp_path / "assay.yaml", "--format", "json")
    assert portfolio.returncode == 0, portfolio.stdout + portfolio.stderr
    assert "TEST-1" not in portfolio.stdout
