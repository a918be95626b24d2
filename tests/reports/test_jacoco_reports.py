"""JaCoCo XML as the Maven and Gradle plugins write it, compared whole."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.reports.jacoco import parse_jacoco
from assay.reports.model import CoverageReport, FileCoverage, ReportError

JACOCO = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE report PUBLIC \
"-//JACOCO//DTD Report 1.1//EN" "report.dtd"><report name="bank"><sessioninfo \
id="runner-7-5f1c2a" start="1714557605000" dump="1714557612000"/><sessioninfo \
id="runner-7-1b9e44" start="1714557600000" dump="1714557603000"/><package \
name="com/example/bank"><class name="com/example/bank/Account" \
sourcefilename="Account.java"><method name="&lt;init&gt;" desc="()V" line="5"><counter \
type="INSTRUCTION" missed="0" covered="3"/><counter type="LINE" missed="0" covered="1"/><counter \
type="COMPLEXITY" missed="0" covered="1"/><counter type="METHOD" missed="0" \
covered="1"/></method><method name="withdraw" desc="(J)V" line="8"><counter type="INSTRUCTION" \
missed="4" covered="9"/><counter type="BRANCH" missed="1" covered="3"/><counter type="LINE" \
missed="1" covered="3"/></method><counter type="INSTRUCTION" missed="4" covered="12"/><counter \
type="BRANCH" missed="1" covered="3"/><counter type="LINE" missed="1" covered="4"/><counter \
type="CLASS" missed="0" covered="1"/></class><sourcefile name="Account.java"><line nr="5" mi="0" \
ci="3" mb="0" cb="0"/><line nr="8" mi="0" ci="4" mb="1" cb="3"/><line nr="9" mi="0" ci="2" \
mb="0" cb="0"/><line nr="11" mi="4" ci="0" mb="0" cb="0"/><line nr="13" mi="0" ci="3" mb="0" \
cb="0"/><counter type="INSTRUCTION" missed="4" covered="12"/><counter type="BRANCH" missed="1" \
covered="3"/><counter type="LINE" missed="1" covered="4"/></sourcefile><counter \
type="INSTRUCTION" missed="4" covered="12"/></package><package name=""><class name="Main" \
sourcefilename="Main.java"><method name="main" desc="([Ljava/lang/String;)V" line="3"><counter \
type="INSTRUCTION" missed="5" covered="0"/></method></class><sourcefile name="Main.java"><line \
nr="3" mi="5" ci="0" mb="2" cb="0"/><counter type="INSTRUCTION" missed="5" \
covered="0"/></sourcefile></package><counter type="INSTRUCTION" missed="9" covered="12"/></report>
"""

EXPECTED = CoverageReport(
    source="target/site/jacoco/jacoco.xml",
    format="jacoco",
    timestamp=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
    files=(
        FileCoverage(
            path="com/example/bank/Account.java",
            lines={5: 1, 8: 1, 9: 1, 11: 0, 13: 1},
            branches={8: (3, 4)},
        ),
        FileCoverage(path="Main.java", lines={3: 0}, branches={3: (0, 2)}),
    ),
)


def test_jacoco_report() -> None:
    report = parse_jacoco(JACOCO, "target/site/jacoco/jacoco.xml")
    assert report == EXPECTED
    counts = (report.lines_total, report.lines_covered)
    assert (*counts, report.branches_total, report.branches_covered) == (6, 4, 6, 3)


def test_a_doctype_without_standalone_is_accepted_too() -> None:
    # Reports merged or rewritten by other tools lose standalone="yes"; expat would then
    # ask for report.dtd, which must be skipped rather than fetched or refused.
    data = JACOCO.replace(b' standalone="yes"', b"")
    assert parse_jacoco(data, "target/site/jacoco/jacoco.xml") == EXPECTED


def test_the_dtd_a_report_names_is_never_read(tmp_path: Path) -> None:
    # Were the DTD read, its entity declaration would be refused and the file unreadable.
    dtd = tmp_path / "report.dtd"
    dtd.write_text('<!ENTITY planted "read from disk">\n')
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE report SYSTEM "{dtd.as_uri()}">\n'
        '<report name="x"><package name="p"><sourcefile name="A.java">'
        '<line nr="1" mi="0" ci="1" mb="0" cb="0"/></sourcefile></package></report>'
    ).encode()
    report = parse_jacoco(data, "jacoco.xml")
    assert report.files == (FileCoverage(path="p/A.java", lines={1: 1}),)


def test_entity_bomb_behind_a_jacoco_doctype_is_refused() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE report [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<report name="&lol2;"/>
"""
    with pytest.raises(ReportError) as caught:
        parse_jacoco(data, "jacoco.xml")
    assert caught.value.message == (
        "jacoco.xml:3: refused: the report declares entities (<!ENTITY lol ...>), "
        "which could expand without bound or read other files"
    )


def test_groups_of_aggregated_reports_are_walked() -> None:
    data = b"""<report name="all"><group name="core"><group name="core-api">
      <package name="org/acme/api"><sourcefile name="Api.java">
        <line nr="2" mi="1" ci="0" mb="0" cb="0"/></sourcefile></package>
    </group></group><group name="web"><package name="org/acme/web">
      <sourcefile name="Web.java"><line nr="7" mi="0" ci="2" mb="0" cb="2"/></sourcefile>
    </package></group></report>"""
    assert parse_jacoco(data, "jacoco-aggregate.xml") == CoverageReport(
        source="jacoco-aggregate.xml",
        format="jacoco",
        timestamp=None,
        files=(
            FileCoverage(path="org/acme/api/Api.java", lines={2: 0}),
            FileCoverage(path="org/acme/web/Web.java", lines={7: 1}, branches={7: (2, 2)}),
        ),
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('<line nr="a" mi="0" ci="1"/>', 'jacoco.xml:3: <line> nr="a" is not a whole number'),
        ('<line nr="4" mi="0" ci="-1"/>', 'jacoco.xml:3: <line> ci="-1" is negative'),
        ('<line nr="4" mi="x" ci="1"/>', 'jacoco.xml:3: <line> mi="x" is not a whole number'),
        ('<line nr="4" mi="0" ci="1" mb="-2"/>', 'jacoco.xml:3: <line> mb="-2" is negative'),
        ('<line mi="0" ci="1"/>', "jacoco.xml:3: <line> has no nr attribute"),
    ],
)
def test_bad_values_name_the_element_and_line(line: str, message: str) -> None:
    data = f'<report name="r">\n<package name="p"><sourcefile name="A.java">\n{line}\n'
    data += "</sourcefile></package></report>"
    with pytest.raises(ReportError) as caught:
        parse_jacoco(data.encode(), "jacoco.xml")
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<coverage/>", "jacoco.xml:1: not a JaCoCo report: the root element is <coverage>"),
        (
            b'<report name="r">\n<sessioninfo id="s" start="soon" dump="1"/></report>',
            'jacoco.xml:2: <sessioninfo> start="soon" is not a whole number',
        ),
        (
            b'<report name="r"><package name="p">\n<sourcefile/></package></report>',
            "jacoco.xml:2: <sourcefile> has no name attribute",
        ),
    ],
)
def test_bad_reports_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_jacoco(data, "jacoco.xml")
    assert caught.value.message == message
