"""Coverage format recognised from content, and what is not a coverage report."""

from __future__ import annotations

import pytest

from assay.reports.detect import parse_coverage
from assay.reports.model import CoverageReport, FileCoverage, ReportError


@pytest.mark.parametrize(
    ("data", "expected_format"),
    [
        (b'<?xml version="1.0" ?>\n<coverage line-rate="1"><packages/></coverage>', "cobertura"),
        (b"<coverage><sources/></coverage>", "cobertura"),
        (b'\xef\xbb\xbf<coverage generated="1"><project/></coverage>', "clover"),
        (b'<report name="r"><sessioninfo id="s" start="1" dump="2"/></report>', "jacoco"),
        (b'  {"meta": {}, "files": {}}', "coverage.py"),
        (b"TN:\nSF:a.js\nend_of_record\n", "lcov"),
        (b"\n\nSF:a.js\nDA:1,1\nend_of_record\n", "lcov"),
    ],
)
def test_the_format_is_read_from_the_content(data: bytes, expected_format: str) -> None:
    assert parse_coverage(data, "cov").format == expected_format


def test_lcov_is_dispatched_whole() -> None:
    assert parse_coverage(b"SF:src/a.c\nDA:3,2\nend_of_record\n", "lcov.info") == CoverageReport(
        source="lcov.info",
        format="lcov",
        timestamp=None,
        files=(FileCoverage(path="src/a.c", lines={3: 2}),),
    )


KNOWN = "Cobertura, Clover, JaCoCo, LCOV or coverage.py JSON expected"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "ci/cov.out: the report is empty"),
        (b"\n \n", "ci/cov.out: the report is empty"),
        (
            b"mode: set\nexample.com/calc/calc.go:3.24,5.2 1 1\n",
            f"ci/cov.out: not a coverage report: neither XML, JSON nor LCOV ({KNOWN})",
        ),
        (
            b'<?xml version="1.0"?>\n<testsuites/>',
            f"ci/cov.out:2: not a coverage report: the root element is <testsuites> ({KNOWN})",
        ),
        (
            b'{"coverage": {"lines": 3}}',
            'ci/cov.out: not a coverage report: JSON without coverage.py\'s "meta" and "files" '
            f"({KNOWN})",
        ),
        (
            b"[1, 2, 3]",
            'ci/cov.out: not a coverage report: JSON without coverage.py\'s "meta" and "files" '
            f"({KNOWN})",
        ),
        (b'{"meta": {}, "files": ', "ci/cov.out:1: invalid JSON: Expecting value"),
        (b"<coverage>\n<packages>", "ci/cov.out:2: invalid XML: no element found"),
        (
            b'<coverage>\n<packages><package><classes><class filename="a.py"><lines>'
            b'<line number="1" hits="x"/></lines></class></classes></package></packages>'
            b"</coverage>",
            'ci/cov.out:2: <line> hits="x" is not a whole number',
        ),
    ],
)
def test_unrecognised_or_broken_files_name_the_report(data: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_coverage(data, "ci/cov.out")
    assert caught.value.message == message


def test_the_size_limit_applies_before_detection() -> None:
    with pytest.raises(ReportError) as caught:
        parse_coverage(b"SF:a\nend_of_record\n", "lcov.info", max_bytes=8)
    assert caught.value.message == (
        "lcov.info: refused: the report is 19 bytes, over the limit of 8 bytes"
    )
