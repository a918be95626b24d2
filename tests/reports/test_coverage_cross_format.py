"""One small project's coverage, written by hand in each format, reads the same.

The project has two files, ``calc/core.py`` and ``calc/util.py``:

* core.py: lines 1, 2, 4, 5 ran, 7 and 8 did not; line 4 is a branch whose
  jump to 5 was taken and whose jump to 7 was not (1 of 2);
* util.py: lines 1, 2, 3, 5 ran; line 2 branches to 3 and to 5, both taken.

So every format must give 10 lines, 8 covered, 4 branch outcomes, 3 covered,
and the same covered lines per repository file once paths are mapped.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assay.reports.clover import parse_clover
from assay.reports.cobertura import parse_cobertura
from assay.reports.coverage_json import parse_coverage_json
from assay.reports.detect import parse_coverage
from assay.reports.jacoco import parse_jacoco
from assay.reports.lcov import parse_lcov
from assay.reports.model import CoverageReport
from assay.reports.paths import RepositoryIndex

COBERTURA = b"""<?xml version="1.0" ?>
<coverage version="7.5.1" timestamp="1714557600000" lines-valid="10" lines-covered="8" \
line-rate="0.8" branches-covered="3" branches-valid="4" branch-rate="0.75" complexity="0">
  <sources>
    <source>/home/ci/project</source>
  </sources>
  <packages>
    <package name="calc" line-rate="0.8" branch-rate="0.75" complexity="0">
      <classes>
        <class name="core.py" filename="calc/core.py" complexity="0" line-rate="0.6667" \
branch-rate="0.5">
          <methods/>
          <lines>
            <line number="1" hits="1"/>
            <line number="2" hits="3"/>
            <line number="4" hits="3" branch="true" condition-coverage="50% (1/2)" \
missing-branches="7"/>
            <line number="5" hits="2"/>
            <line number="7" hits="0"/>
            <line number="8" hits="0"/>
          </lines>
        </class>
        <class name="util.py" filename="calc/util.py" complexity="0" line-rate="1" \
branch-rate="1">
          <methods/>
          <lines>
            <line number="1" hits="1"/>
            <line number="2" hits="4" branch="true" condition-coverage="100% (2/2)"/>
            <line number="3" hits="3"/>
            <line number="5" hits="1"/>
          </lines>
        </class>
      </classes>
    </package>
  </packages>
</coverage>
"""

LCOV = b"""TN:
SF:/home/ci/project/calc/core.py
DA:1,1
DA:2,3
DA:4,3
DA:5,2
DA:7,0
DA:8,0
LF:6
LH:4
BRDA:4,0,0,2
BRDA:4,0,1,-
BRF:2
BRH:1
end_of_record
TN:
SF:/home/ci/project/calc/util.py
DA:1,1
DA:2,4
DA:3,3
DA:5,1
LF:4
LH:4
BRDA:2,0,0,3
BRDA:2,0,1,1
BRF:2
BRH:2
end_of_record
"""

JACOCO = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
<report name="calc">
  <sessioninfo id="ci" start="1714557600000" dump="1714557601000"/>
  <package name="calc">
    <sourcefile name="core.py">
      <line nr="1" mi="0" ci="2" mb="0" cb="0"/>
      <line nr="2" mi="0" ci="3" mb="0" cb="0"/>
      <line nr="4" mi="0" ci="4" mb="1" cb="1"/>
      <line nr="5" mi="0" ci="2" mb="0" cb="0"/>
      <line nr="7" mi="3" ci="0" mb="0" cb="0"/>
      <line nr="8" mi="2" ci="0" mb="0" cb="0"/>
    </sourcefile>
    <sourcefile name="util.py">
      <line nr="1" mi="0" ci="1" mb="0" cb="0"/>
      <line nr="2" mi="0" ci="3" mb="0" cb="2"/>
      <line nr="3" mi="0" ci="2" mb="0" cb="0"/>
      <line nr="5" mi="0" ci="1" mb="0" cb="0"/>
    </sourcefile>
  </package>
</report>
"""

COVERAGE_JSON = b"""{
  "meta": {"format": 3, "version": "7.5.1", "timestamp": "2024-05-01T10:00:00",
           "branch_coverage": true, "show_contexts": false},
  "files": {
    "calc/core.py": {
      "executed_lines": [1, 2, 4, 5], "missing_lines": [7, 8], "excluded_lines": [],
      "executed_branches": [[4, 5]], "missing_branches": [[4, 7]],
      "summary": {"covered_lines": 4, "num_statements": 6}
    },
    "calc/util.py": {
      "executed_lines": [1, 2, 3, 5], "missing_lines": [], "excluded_lines": [],
      "executed_branches": [[2, 3], [2, 5]], "missing_branches": [],
      "summary": {"covered_lines": 4, "num_statements": 4}
    }
  },
  "totals": {"covered_lines": 8, "num_statements": 10}
}
"""

CLOVER = b"""<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1714557600000" clover="4.5.2">
  <project timestamp="1714557600000" name="calc">
    <package name="calc">
      <file name="core.py" path="/home/ci/project/calc/core.py">
        <line num="1" count="1" type="stmt"/>
        <line num="2" count="3" type="stmt"/>
        <line num="4" count="3" type="cond" truecount="2" falsecount="0"/>
        <line num="5" count="2" type="stmt"/>
        <line num="7" count="0" type="stmt"/>
        <line num="8" count="0" type="stmt"/>
      </file>
      <file name="util.py" path="/home/ci/project/calc/util.py">
        <line num="1" count="1" type="method"/>
        <line num="1" count="1" type="stmt"/>
        <line num="2" count="4" type="cond" truecount="3" falsecount="1"/>
        <line num="3" count="3" type="stmt"/>
        <line num="5" count="1" type="stmt"/>
      </file>
    </package>
  </project>
</coverage>
"""

Parser = Callable[[bytes, str], CoverageReport]
FORMATS: list[tuple[str, bytes, Parser]] = [
    ("cobertura", COBERTURA, parse_cobertura),
    ("lcov", LCOV, parse_lcov),
    ("jacoco", JACOCO, parse_jacoco),
    ("coverage.py", COVERAGE_JSON, parse_coverage_json),
    ("clover", CLOVER, parse_clover),
]
REPOSITORY = RepositoryIndex(["calc/__init__.py", "calc/core.py", "calc/util.py", "README.md"])


def _by_repository_file(report: CoverageReport) -> dict[str | None, tuple[set[int], object]]:
    return {
        REPOSITORY.resolve(file.path, report.roots): (
            {line for line, hits in file.lines.items() if hits > 0},
            dict(file.branches),
        )
        for file in report.files
    }


@pytest.mark.parametrize(("name", "data", "parser"), FORMATS, ids=[f[0] for f in FORMATS])
def test_every_format_gives_the_same_coverage(name: str, data: bytes, parser: Parser) -> None:
    report = parser(data, f"coverage.{name}")
    totals = (report.lines_total, report.lines_covered)
    assert (*totals, report.branches_total, report.branches_covered) == (10, 8, 4, 3)
    assert (report.line_rate, report.branch_rate) == (0.8, 0.75)
    assert _by_repository_file(report) == {
        "calc/core.py": ({1, 2, 4, 5}, {4: (1, 2)}),
        "calc/util.py": ({1, 2, 3, 5}, {2: (2, 2)}),
    }


@pytest.mark.parametrize(("name", "data", "parser"), FORMATS, ids=[f[0] for f in FORMATS])
def test_detection_picks_the_format_and_parses_the_same(
    name: str, data: bytes, parser: Parser
) -> None:
    detected = parse_coverage(data, "coverage.any")
    assert detected.format == name
    assert detected == parser(data, "coverage.any")
