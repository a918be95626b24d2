"""Clover XML as PHPUnit, OpenClover and Istanbul write it, compared whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assay.reports.clover import parse_clover
from assay.reports.model import CoverageReport, FileCoverage, ReportError

PHPUNIT = b"""<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1714557601">
  <project timestamp="1714557600">
    <file name="/home/ci/app/src/Cart.php">
      <class name="App\\Cart" namespace="App">
        <metrics complexity="4" methods="2" coveredmethods="1" conditionals="0" \
coveredconditionals="0" statements="6" coveredstatements="4" elements="8" coveredelements="5"/>
      </class>
      <line num="9" type="method" name="__construct" visibility="public" complexity="1" \
crap="1" count="3"/>
      <line num="11" type="stmt" count="3"/>
      <line num="14" type="method" name="total" visibility="public" complexity="3" \
crap="3.33" count="2"/>
      <line num="16" type="stmt" count="2"/>
      <line num="17" type="stmt" count="2"/>
      <line num="18" type="stmt" count="0"/>
      <line num="20" type="stmt" count="2"/>
      <line num="21" type="stmt" count="0"/>
      <metrics loc="25" ncloc="20" classes="1" methods="2" coveredmethods="1" conditionals="0" \
coveredconditionals="0" statements="6" coveredstatements="4" elements="8" coveredelements="5"/>
    </file>
    <package name="App\\Util">
      <file name="/home/ci/app/src/Util/Money.php">
        <line num="5" type="stmt" count="1"/>
        <metrics loc="8" ncloc="6" classes="0" methods="0" coveredmethods="0" conditionals="0" \
coveredconditionals="0" statements="1" coveredstatements="1" elements="1" coveredelements="1"/>
      </file>
    </package>
    <metrics files="2" loc="33" ncloc="26" classes="1" methods="2" coveredmethods="1" \
conditionals="0" coveredconditionals="0" statements="7" coveredstatements="5" elements="9" \
coveredelements="6"/>
  </project>
</coverage>
"""


def test_phpunit_clover() -> None:
    assert parse_clover(PHPUNIT, "build/logs/clover.xml") == CoverageReport(
        source="build/logs/clover.xml",
        format="clover",
        timestamp=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        files=(
            FileCoverage(
                path="/home/ci/app/src/Cart.php",
                lines={11: 3, 16: 2, 17: 2, 18: 0, 20: 2, 21: 0},
            ),
            FileCoverage(path="/home/ci/app/src/Util/Money.php", lines={5: 1}),
        ),
    )


ISTANBUL = b"""<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1714557600123" clover="3.2.0">
  <project timestamp="1714557600123" name="All files">
    <metrics statements="5" coveredstatements="4" conditionals="4" coveredconditionals="3" \
methods="1" coveredmethods="1" elements="10" coveredelements="8" complexity="0" loc="5" ncloc="5" \
packages="1" files="1" classes="1"/>
    <package name="src">
      <metrics statements="5" coveredstatements="4" conditionals="4" coveredconditionals="3" \
methods="1" coveredmethods="1"/>
      <file name="cart.js" path="/home/runner/work/web/web/src/cart.js">
        <metrics statements="5" coveredstatements="4" conditionals="4" coveredconditionals="3" \
methods="1" coveredmethods="1"/>
        <line num="3" count="4" type="method"/>
        <line num="4" count="4" type="stmt"/>
        <line num="5" count="4" type="cond" truecount="3" falsecount="1"/>
        <line num="6" count="1" type="stmt"/>
        <line num="7" count="1" type="cond" truecount="1" falsecount="0"/>
        <line num="9" count="0" type="stmt"/>
      </file>
    </package>
  </project>
</coverage>
"""


def test_istanbul_clover_takes_the_path_attribute() -> None:
    report = parse_clover(ISTANBUL, "coverage/clover.xml")
    assert report == CoverageReport(
        source="coverage/clover.xml",
        format="clover",
        timestamp=datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC),
        files=(
            FileCoverage(
                path="/home/runner/work/web/web/src/cart.js",
                lines={4: 4, 5: 4, 6: 1, 7: 1, 9: 0},
                branches={5: (2, 2), 7: (1, 2)},
            ),
        ),
    )
    counts = (report.lines_total, report.lines_covered)
    assert (*counts, report.branches_total, report.branches_covered) == (5, 4, 4, 3)


OPENCLOVER = b"""<?xml version="1.0" encoding="UTF-8"?>
<coverage generated="1714557600000" clover="4.5.2">
   <project name="bank" timestamp="1714557500000">
      <package name="com.example.bank">
         <file name="Account.java" path="/builds/bank/src/main/java/com/example/bank/Account.java">
            <class name="Account"><metrics statements="3" coveredstatements="2"/></class>
            <line num="8" count="5" type="method" signature="withdraw(long) : void"/>
            <line num="9" count="5" type="stmt"/>
            <line num="9" truecount="0" falsecount="5" type="cond"/>
            <line num="10" count="0" type="stmt"/>
            <line num="12" count="5" type="stmt"/>
            <line num="12" count="5" type="stmt"/>
            <line num="13" truecount="2" falsecount="3" type="cond"/>
            <line num="13" truecount="0" falsecount="0" type="cond"/>
         </file>
      </package>
   </project>
</coverage>
"""


def test_openclover_lines_listed_twice() -> None:
    assert parse_clover(OPENCLOVER, "target/site/clover/clover.xml") == CoverageReport(
        source="target/site/clover/clover.xml",
        format="clover",
        timestamp=datetime(2024, 5, 1, 9, 58, 20, tzinfo=UTC),
        files=(
            FileCoverage(
                path="/builds/bank/src/main/java/com/example/bank/Account.java",
                lines={9: 5, 10: 0, 12: 5, 13: 5},
                branches={9: (1, 2), 13: (2, 4)},
            ),
        ),
    )


def test_the_generated_time_stands_in_for_a_missing_project_timestamp() -> None:
    data = b'<coverage generated="1714557600"><project/></coverage>'
    report = parse_clover(data, "clover.xml")
    assert (report.timestamp, report.files) == (datetime(2024, 5, 1, 10, 0, tzinfo=UTC), ())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('<line num="4" type="stmt" count="-1"/>', 'clover.xml:4: <line> count="-1" is negative'),
        (
            '<line num="4" type="stmt" count="x"/>',
            'clover.xml:4: <line> count="x" is not a whole number',
        ),
        ('<line num="4" type="stmt"/>', 'clover.xml:4: <line type="stmt"> has no count attribute'),
        (
            '<line num="4" type="cond" truecount="1" falsecount="-1"/>',
            'clover.xml:4: <line> falsecount="-1" is negative',
        ),
        (
            '<line num="4" type="branch" count="1"/>',
            'clover.xml:4: <line> type="branch" is not "stmt", "cond" or "method"',
        ),
        (
            '<line num="-4" type="stmt" count="1"/>',
            'clover.xml:4: <line> num="-4" is not a line number (lines start at 1)',
        ),
        ('<line type="stmt" count="1"/>', "clover.xml:4: <line> has no num attribute"),
    ],
)
def test_bad_values_name_the_element_and_line(line: str, message: str) -> None:
    data = f'<coverage generated="1">\n<project>\n<file name="a.php">\n{line}\n</file>'
    data += "</project></coverage>"
    with pytest.raises(ReportError) as caught:
        parse_clover(data.encode(), "clover.xml")
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<report/>", "clover.xml:1: not a Clover report: the root element is <report>"),
        (
            b"<coverage>\n<packages/></coverage>",
            "clover.xml:1: not a Clover report: its <coverage> holds no <project>",
        ),
        (
            b"<coverage><project>\n<file><line num='1' type='stmt' count='1'/></file>"
            b"</project></coverage>",
            "clover.xml:2: <file> has no name attribute",
        ),
    ],
)
def test_bad_reports_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_clover(data, "clover.xml")
    assert caught.value.message == message
