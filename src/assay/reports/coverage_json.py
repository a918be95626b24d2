"""coverage.py's JSON report (``coverage json``).

Per file, ``executed_lines`` ran (hit count 1: coverage.py records whether a line
ran, not how often) and ``missing_lines`` did not (0); ``excluded_lines`` were
excluded by the product's configuration and are not counted. With branch
coverage, ``executed_branches`` and ``missing_branches`` are arcs ``[from, to]``
(``to`` is negative for an exit from the function); a line's branch outcomes
are the arcs leaving it, covered when executed. ``meta.timestamp`` is the local
time of the run without an offset, so, like every naive time here, it is taken
as UTC.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from assay.reports.filetable import FileTable, report_path
from assay.reports.jsondoc import load_json
from assay.reports.limits import MAX_BYTES
from assay.reports.model import CoverageReport, ReportError
from assay.reports.values import parse_iso

_T = TypeVar("_T")
_SHOWN_VALUE = 40
_Arc = tuple[int, int]


def parse_coverage_json(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> CoverageReport:
    """The coverage.py JSON report in ``data``; ``source`` names it in errors."""
    return coverage_json_from_document(load_json(data, source, max_bytes=max_bytes), source)


def coverage_json_from_document(document: object, source: str) -> CoverageReport:
    """The report from an already loaded JSON value (used by format detection)."""
    if not isinstance(document, dict) or not {"meta", "files"} <= document.keys():
        reason = 'not a coverage.py JSON report: expected an object with "meta" and "files"'
        raise ReportError(source, reason)
    meta = _expect(document["meta"], dict, "meta", "an object", source)
    files = _expect(document["files"], dict, "files", "an object", source)
    table = FileTable()
    for raw_path, raw_entry in files.items():
        where = f"files[{json.dumps(raw_path)}]"
        entry = _expect(raw_entry, dict, where, "an object", source)
        path = report_path(raw_path)
        _read_lines(entry, where, source, table.lines(path))
        _read_branches(entry, where, source, table.branches(path))
    return CoverageReport(
        source=source,
        format="coverage.py",
        timestamp=_timestamp(meta, source),
        files=table.files(),
    )


def _shown(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= _SHOWN_VALUE else text[:_SHOWN_VALUE] + "..."


def _expect(value: object, kind: type[_T], where: str, what: str, source: str) -> _T:
    if not isinstance(value, kind):
        raise ReportError(source, f"{where}: expected {what}, got {_shown(value)}")
    return value


def _timestamp(meta: dict[str, Any], source: str) -> datetime | None:
    value = meta.get("timestamp")
    if value is None:
        return None
    text = _expect(value, str, "meta.timestamp", "a date and time", source)
    try:
        return parse_iso(text)
    except ValueError as exc:
        raise ReportError(source, f"meta.timestamp {_shown(text)} {exc}") from None


def _read_lines(entry: dict[str, Any], where: str, source: str, lines: dict[int, int]) -> None:
    executed = _line_numbers(entry, "executed_lines", where, source, required=True)
    missing = _line_numbers(entry, "missing_lines", where, source, required=True)
    # Checked for shape only: excluded lines are not part of the measure.
    _line_numbers(entry, "excluded_lines", where, source, required=False)
    both = set(executed) & set(missing)
    if both:
        raise ReportError(source, f"{where}: line {min(both)} is both executed and missing")
    lines.update(dict.fromkeys(missing, 0))
    lines.update(dict.fromkeys(executed, 1))


def _line_numbers(
    entry: dict[str, Any], key: str, where: str, source: str, *, required: bool
) -> list[int]:
    value = entry.get(key)
    if value is None:
        if required:
            raise ReportError(source, f'{where}: no "{key}" list')
        return []
    items = _expect(value, list, f"{where}.{key}", "a list of line numbers", source)
    return [
        _line_number(item, f"{where}.{key}[{index}]", source) for index, item in enumerate(items)
    ]


def _line_number(value: object, where: str, source: str) -> int:
    number = _whole(value, where, "a line number", source)
    if number < 1:
        raise ReportError(source, f"{where}: {number} is not a line number (lines start at 1)")
    return number


def _whole(value: object, where: str, what: str, source: str) -> int:
    # bool is an int to Python, but true is no line number.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportError(source, f"{where}: expected {what}, got {_shown(value)}")
    return value


def _read_branches(
    entry: dict[str, Any], where: str, source: str, branches: dict[int, tuple[int, int]]
) -> None:
    executed = _arcs(entry, "executed_branches", where, source)
    missing = _arcs(entry, "missing_branches", where, source)
    both = executed & missing
    if both:
        start, end = min(both)
        raise ReportError(source, f"{where}: branch [{start}, {end}] is both executed and missing")
    for arc in sorted(executed | missing):
        covered, total = branches.get(arc[0], (0, 0))
        branches[arc[0]] = (covered + int(arc in executed), total + 1)


def _arcs(entry: dict[str, Any], key: str, where: str, source: str) -> set[_Arc]:
    value = entry.get(key)
    if value is None:
        return set()
    items = _expect(value, list, f"{where}.{key}", "a list of [from, to] pairs", source)
    arcs: set[_Arc] = set()
    for index, item in enumerate(items):
        place = f"{where}.{key}[{index}]"
        if not isinstance(item, list) or len(item) != 2:
            raise ReportError(source, f"{place}: expected a [from, to] pair, got {_shown(item)}")
        arcs.add((_line_number(item[0], place, source), _whole(item[1], place, "a line", source)))
    return arcs
