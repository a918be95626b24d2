"""LCOV tracefiles as Istanbul/nyc and lcov write them, compared whole."""

from __future__ import annotations

import pytest

from assay.reports.lcov import parse_lcov
from assay.reports.model import CoverageReport, FileCoverage, ReportError

# Istanbul (nyc, Jest --coverage): one record per file, absolute paths, function lines.
ISTANBUL = b"""TN:
SF:/home/runner/work/web/web/src/cart.js
FN:3,addItem
FN:10,(anonymous_1)
FNF:2
FNH:1
FNDA:4,addItem
FNDA:0,(anonymous_1)
DA:1,1
DA:3,1
DA:4,4
DA:5,4
DA:6,1
DA:10,1
DA:11,0
LF:7
LH:6
BRDA:5,0,0,3
BRDA:5,0,1,1
BRDA:6,1,0,1
BRDA:6,1,1,-
BRF:4
BRH:3
end_of_record
TN:
SF:/home/runner/work/web/web/src/empty.js
FNF:0
FNH:0
LF:0
LH:0
BRF:0
BRH:0
end_of_record
"""


def test_istanbul_tracefile() -> None:
    report = parse_lcov(ISTANBUL, "coverage/lcov.info")
    assert report == CoverageReport(
        source="coverage/lcov.info",
        format="lcov",
        timestamp=None,
        files=(
            FileCoverage(
                path="/home/runner/work/web/web/src/cart.js",
                lines={1: 1, 3: 1, 4: 4, 5: 4, 6: 1, 10: 1, 11: 0},
                branches={5: (2, 2), 6: (1, 2)},
            ),
            FileCoverage(path="/home/runner/work/web/web/src/empty.js", lines={}, branches={}),
        ),
    )
    counts = (report.lines_total, report.lines_covered)
    assert (*counts, report.branches_total, report.branches_covered) == (7, 6, 4, 3)


# lcov/geninfo with one record per test name for the same file, checksums on DA
# lines, CRLF line ends, and lcov 2 keys (VER, FNL, FNA) that are not needed.
GENINFO = (
    b"VER:2.0\r\n"
    b"TN:unit\r\n"
    b"SF:src/parse.c\r\n"
    b"FNL:0,4,9\r\n"
    b"FNA:0,3,parse\r\n"
    b"DA:4,3,Zm9v\r\n"
    b"DA:5,3\r\n"
    b"DA:6,0\r\n"
    b"BRDA:5,0,0,3\r\n"
    b"BRDA:5,0,1,0\r\n"
    b"BRDA:6,e0,0,-\r\n"
    b"LF:3\r\n"
    b"LH:2\r\n"
    b"end_of_record\r\n"
    b"TN:integration\r\n"
    b"SF:src/parse.c\r\n"
    b"DA:4,1\r\n"
    b"DA:5,1\r\n"
    b"DA:6,1\r\n"
    b"DA:9,2\r\n"
    b"BRDA:5,0,0,0\r\n"
    b"BRDA:5,0,1,1\r\n"
    b"BRDA:6,e0,0,-\r\n"
    b"end_of_record\r\n"
)


def test_records_for_one_file_are_merged() -> None:
    assert parse_lcov(GENINFO, "lcov.info") == CoverageReport(
        source="lcov.info",
        format="lcov",
        timestamp=None,
        files=(
            FileCoverage(
                path="src/parse.c",
                lines={4: 4, 5: 4, 6: 1, 9: 2},
                branches={5: (2, 2), 6: (0, 1)},
            ),
        ),
    )


def test_windows_paths_get_forward_slashes() -> None:
    data = b"SF:C:\\agent\\_work\\1\\s\\src\\app.ts\nDA:1,1\nend_of_record\n"
    (file,) = parse_lcov(data, "lcov.info").files
    assert file == FileCoverage(path="C:/agent/_work/1/s/src/app.ts", lines={1: 1})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "lcov.info: the report is empty"),
        (b"\xef\xbb\xbf\n\n", "lcov.info: the report is empty"),
        (
            b"SF:a.js\nDA:1,lots\nend_of_record\n",
            'lcov.info:2: DA: the hit count "lots" is not a whole number',
        ),
        (b"SF:a.js\nDA:1,-2\nend_of_record\n", 'lcov.info:2: DA: the hit count "-2" is negative'),
        (
            b"SF:a.js\nDA:one,2\nend_of_record\n",
            'lcov.info:2: DA: the line number "one" is not a whole number',
        ),
        (b"SF:a.js\nDA:7\nend_of_record\n", "lcov.info:2: DA: expected <line>,<hits>"),
        (
            b"SF:a.js\nBRDA:3,0,0,often\nend_of_record\n",
            'lcov.info:2: BRDA: the taken count "often" is not a whole number',
        ),
        (
            b"SF:a.js\nBRDA:3,0,0,-1\nend_of_record\n",
            'lcov.info:2: BRDA: the taken count "-1" is negative',
        ),
        (
            b"SF:a.js\nBRDA:3,0,1\nend_of_record\n",
            "lcov.info:2: BRDA: expected <line>,<block>,<branch>,<taken>",
        ),
        (
            b"SF:a.js\nLF:many\nend_of_record\n",
            'lcov.info:2: LF: the count "many" is not a whole number',
        ),
        (b"TN:\nDA:1,1\n", "lcov.info:2: DA: outside a record (no SF: line before it)"),
        (
            b"end_of_record\n",
            "lcov.info:1: end_of_record: outside a record (no SF: line before it)",
        ),
        (
            b"SF:a.js\nDA:1,1\nSF:b.js\nend_of_record\n",
            "lcov.info:3: SF: before the end_of_record of a.js",
        ),
        (
            b"SF:a.js\nDA:1,1\nend_of_record\nSF:b.js\nDA:1,1\nDA:2,1",
            "lcov.info:4: the record for b.js has no end_of_record: the report looks truncated",
        ),
        (
            b"SF:a.js\nDA:1,1\nend_of_record\nSF:b.js\nDA:1,1\nDA:2,",
            'lcov.info:6: DA: the hit count "" is not a whole number',
        ),
        (b"SF:\nend_of_record\n", "lcov.info:1: SF: without a path"),
        (
            b"SF:a.js\n<html>\nend_of_record\n",
            "lcov.info:2: not an LCOV line: expected KEY:value or end_of_record",
        ),
        (b"TN:\nTN:x\n", "lcov.info: not an LCOV report: it has no SF: record"),
        (b"SF:a\xff.js\nend_of_record\n", "lcov.info:1: not an LCOV report: the text is not UTF-8"),
    ],
)
def test_bad_tracefiles_are_refused_with_the_line(data: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_lcov(data, "lcov.info")
    assert caught.value.message == message


def test_size_limit() -> None:
    with pytest.raises(ReportError) as caught:
        parse_lcov(b"SF:a.js\nend_of_record\n", "lcov.info", max_bytes=10)
    assert caught.value.message == (
        "lcov.info: refused: the report is 22 bytes, over the limit of 10 bytes"
    )
