"""coverage.py's JSON report (``coverage json``), compared whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assay.reports.coverage_json import parse_coverage_json
from assay.reports.model import CoverageReport, FileCoverage, ReportError

COVERAGE_JSON = b"""{
  "meta": {
    "format": 3,
    "version": "7.5.1",
    "timestamp": "2024-05-01T10:00:00.123456",
    "branch_coverage": true,
    "show_contexts": false
  },
  "files": {
    "src/shop/cart.py": {
      "executed_lines": [1, 3, 4, 5, 7, 9],
      "summary": {
        "covered_lines": 6, "num_statements": 8, "percent_covered": 66.66666666666667,
        "percent_covered_display": "67", "missing_lines": 2, "excluded_lines": 1,
        "num_branches": 4, "num_partial_branches": 1, "covered_branches": 3,
        "missing_branches": 1
      },
      "missing_lines": [10, 12],
      "excluded_lines": [15],
      "executed_branches": [[4, 5], [7, 9], [7, -6]],
      "missing_branches": [[4, 10]],
      "functions": {
        "Cart.total": {
          "executed_lines": [4, 5], "summary": {"covered_lines": 2},
          "missing_lines": [], "excluded_lines": [],
          "executed_branches": [[4, 5]], "missing_branches": [[4, 10]]
        }
      },
      "classes": {}
    },
    "src/shop/__init__.py": {
      "executed_lines": [],
      "summary": {"covered_lines": 0, "num_statements": 0},
      "missing_lines": [],
      "excluded_lines": [],
      "executed_branches": [],
      "missing_branches": []
    }
  },
  "totals": {
    "covered_lines": 6, "num_statements": 8, "percent_covered": 66.66666666666667,
    "percent_covered_display": "67", "missing_lines": 2, "excluded_lines": 1,
    "num_branches": 4, "num_partial_branches": 1, "covered_branches": 3, "missing_branches": 1
  }
}
"""


def test_coverage_json_with_branches() -> None:
    report = parse_coverage_json(COVERAGE_JSON, "coverage.json")
    assert report == CoverageReport(
        source="coverage.json",
        format="coverage.py",
        timestamp=datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=UTC),
        files=(
            FileCoverage(
                path="src/shop/cart.py",
                lines={1: 1, 3: 1, 4: 1, 5: 1, 7: 1, 9: 1, 10: 0, 12: 0},
                branches={4: (1, 2), 7: (2, 2)},
            ),
            FileCoverage(path="src/shop/__init__.py", lines={}, branches={}),
        ),
    )
    counts = (report.lines_total, report.lines_covered)
    assert (*counts, report.branches_total, report.branches_covered) == (8, 6, 4, 3)


def test_coverage_json_without_branches_or_timestamp() -> None:
    data = b"""{"meta": {"format": 2, "version": "6.5.0", "branch_coverage": false,
      "show_contexts": false}, "files": {"app\\\\main.py": {"executed_lines": [1, 2],
      "summary": {}, "missing_lines": [3], "excluded_lines": []}}, "totals": {}}"""
    assert parse_coverage_json(data, "cov.json") == CoverageReport(
        source="cov.json",
        format="coverage.py",
        timestamp=None,
        files=(FileCoverage(path="app/main.py", lines={1: 1, 2: 1, 3: 0}),),
    )


NOT_COVERAGE_PY = 'not a coverage.py JSON report: expected an object with "meta" and "files"'


def _files(entry: str) -> bytes:
    return f'{{"meta": {{"format": 3}}, "files": {{"a.py": {entry}}}}}'.encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "coverage.json: the report is empty"),
        (
            b'{"meta": {},\n "files": {\n',
            "coverage.json:3: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        (b"<coverage/>", "coverage.json:1: invalid JSON: Expecting value"),
        (
            b"[1, 2]",
            f"coverage.json: {NOT_COVERAGE_PY}",
        ),
        (
            b'{"files": {}}',
            f"coverage.json: {NOT_COVERAGE_PY}",
        ),
        (b'{"meta": [], "files": {}}', "coverage.json: meta: expected an object, got []"),
        (b'{"meta": {}, "files": []}', "coverage.json: files: expected an object, got []"),
        (
            b'{"meta": {"timestamp": 1714557600}, "files": {}}',
            "coverage.json: meta.timestamp: expected a date and time, got 1714557600",
        ),
        (
            b'{"meta": {"timestamp": "noon"}, "files": {}}',
            'coverage.json: meta.timestamp "noon" is not an ISO 8601 date and time',
        ),
        (_files("[]"), 'coverage.json: files["a.py"]: expected an object, got []'),
        (
            _files('{"missing_lines": []}'),
            'coverage.json: files["a.py"]: no "executed_lines" list',
        ),
        (
            _files('{"executed_lines": "1-3", "missing_lines": []}'),
            'coverage.json: files["a.py"].executed_lines: expected a list of line numbers, '
            'got "1-3"',
        ),
        (
            _files('{"executed_lines": [1, "2"], "missing_lines": []}'),
            'coverage.json: files["a.py"].executed_lines[1]: expected a line number, got "2"',
        ),
        (
            _files('{"executed_lines": [1], "missing_lines": [true]}'),
            'coverage.json: files["a.py"].missing_lines[0]: expected a line number, got true',
        ),
        (
            _files('{"executed_lines": [1.5], "missing_lines": []}'),
            'coverage.json: files["a.py"].executed_lines[0]: expected a line number, got 1.5',
        ),
        (
            _files('{"executed_lines": [-4], "missing_lines": []}'),
            'coverage.json: files["a.py"].executed_lines[0]: -4 is not a line number '
            "(lines start at 1)",
        ),
        (
            _files('{"executed_lines": [2], "missing_lines": [2]}'),
            'coverage.json: files["a.py"]: line 2 is both executed and missing',
        ),
        (
            _files('{"executed_lines": [], "missing_lines": [], "excluded_lines": {}}'),
            'coverage.json: files["a.py"].excluded_lines: expected a list of line numbers, got {}',
        ),
        (
            _files('{"executed_lines": [], "missing_lines": [], "executed_branches": [[1, 2, 3]]}'),
            'coverage.json: files["a.py"].executed_branches[0]: expected a [from, to] pair, '
            "got [1, 2, 3]",
        ),
        (
            _files('{"executed_lines": [], "missing_lines": [], "missing_branches": [[1, "x"]]}'),
            'coverage.json: files["a.py"].missing_branches[0]: expected a line, got "x"',
        ),
        (
            _files(
                '{"executed_lines": [], "missing_lines": [], "executed_branches": [[3, 4]], '
                '"missing_branches": [[3, 4]]}'
            ),
            'coverage.json: files["a.py"]: branch [3, 4] is both executed and missing',
        ),
        (b'{"meta": "\xff"}', "coverage.json: invalid JSON: the text is not UTF-8"),
        (b"[" * 100_000, "coverage.json: refused: the JSON is nested too deeply"),
    ],
)
def test_wrong_shapes_are_refused_with_the_key(data: bytes, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_coverage_json(data, "coverage.json")
    assert caught.value.message == message
