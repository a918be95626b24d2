"""LCOV tracefiles (``lcov.info``): written by lcov/geninfo, Istanbul/nyc, c8,
grcov, cargo-llvm-cov, Dart, Flutter, Bazel and others.

A record is ``SF:<path>`` … ``end_of_record``. ``DA:<line>,<hits>[,<checksum>]``
gives a line, ``BRDA:<line>,<block>,<branch>,<taken>`` one branch outcome, where a
taken of ``-`` means the block never ran (0). Several records for one file (one
per test name, or concatenated tracefiles) are merged as lcov merges them: hit
counts of a line and of one branch are added. Summary lines (LF, LH, BRF, BRH,
FNF, FNH) are checked to be counts but not trusted: totals are recomputed from
the detail lines. Other keys (TN, FN, FNDA, VER, …) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from assay.reports.filetable import FileTable, report_path
from assay.reports.limits import MAX_BYTES, check_input
from assay.reports.model import CoverageReport, ReportError
from assay.reports.values import parse_count, parse_line_number

_T = TypeVar("_T")
_KEY = re.compile(r"[A-Z][A-Z_]*")
_SUMMARIES = frozenset({"LF", "LH", "BRF", "BRH", "FNF", "FNH"})
_SHOWN_VALUE = 40
# (line, block, branch): lcov's identity of one branch outcome.
_BranchId = tuple[int, str, str]


@dataclass(kw_only=True)
class _Reader:
    source: str
    table: FileTable = field(default_factory=FileTable)
    taken: dict[str, dict[_BranchId, int]] = field(default_factory=dict)
    path: str | None = None
    record_line: int = 0
    number: int = 0

    def fail(self, reason: str) -> ReportError:
        return ReportError(self.source, reason, line=self.number)

    def field(self, key: str, what: str, raw: str, convert: Callable[[str], _T]) -> _T:
        try:
            return convert(raw)
        except ValueError as exc:
            shown = raw if len(raw) <= _SHOWN_VALUE else raw[:_SHOWN_VALUE] + "..."
            raise self.fail(f'{key}: the {what} "{shown}" {exc}') from None

    def current(self, key: str) -> str:
        if self.path is None:
            raise self.fail(f"{key}: outside a record (no SF: line before it)")
        return self.path


def parse_lcov(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> CoverageReport:
    """The LCOV tracefile in ``data``; ``source`` names it in errors."""
    check_input(data, source, max_bytes)
    reader = _Reader(source=source)
    for number, raw in enumerate(_text(data, source).split("\n"), start=1):
        reader.number = number
        _read_line(reader, raw.strip())
    if reader.path is not None:
        reason = f"the record for {reader.path} has no end_of_record: the report looks truncated"
        raise ReportError(source, reason, line=reader.record_line)
    if not reader.record_line:
        raise ReportError(source, "not an LCOV report: it has no SF: record")
    _add_branches(reader)
    return CoverageReport(source=source, format="lcov", timestamp=None, files=reader.table.files())


def _text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReportError(source, "not an LCOV report: the text is not UTF-8", line=line) from None


def _read_line(reader: _Reader, line: str) -> None:
    if not line:
        return
    if line == "end_of_record":
        reader.current(line)
        reader.path = None
        return
    key, colon, value = line.partition(":")
    if not colon or not _KEY.fullmatch(key):
        raise reader.fail("not an LCOV line: expected KEY:value or end_of_record")
    if key == "SF":
        _start_record(reader, value)
    elif key == "DA":
        _line_hits(reader, value)
    elif key == "BRDA":
        _branch(reader, value)
    elif key in _SUMMARIES:
        reader.current(key)
        reader.field(key, "count", value, parse_count)


def _start_record(reader: _Reader, value: str) -> None:
    if reader.path is not None:
        raise reader.fail(f"SF: before the end_of_record of {reader.path}")
    path = report_path(value)
    if not path:
        raise reader.fail("SF: without a path")
    reader.path = path
    reader.record_line = reader.number
    reader.table.lines(path)


def _line_hits(reader: _Reader, value: str) -> None:
    path = reader.current("DA")
    fields = value.split(",")
    if len(fields) < 2:
        raise reader.fail("DA: expected <line>,<hits>")
    number = reader.field("DA", "line number", fields[0], parse_line_number)
    hits = reader.field("DA", "hit count", fields[1], parse_count)
    lines = reader.table.lines(path)
    lines[number] = lines.get(number, 0) + hits


def _branch(reader: _Reader, value: str) -> None:
    path = reader.current("BRDA")
    fields = value.split(",")
    if len(fields) < 4:
        raise reader.fail("BRDA: expected <line>,<block>,<branch>,<taken>")
    number = reader.field("BRDA", "line number", fields[0], parse_line_number)
    taken_text = fields[-1].strip()
    taken = 0 if taken_text == "-" else reader.field("BRDA", "taken count", taken_text, parse_count)
    # Newer lcov writes branch expressions that may hold commas: the middle is one field.
    identity = (number, fields[1].strip(), ",".join(fields[2:-1]).strip())
    outcomes = reader.taken.setdefault(path, {})
    outcomes[identity] = outcomes.get(identity, 0) + taken


def _add_branches(reader: _Reader) -> None:
    for path, outcomes in reader.taken.items():
        branches = reader.table.branches(path)
        for (number, _, _), taken in outcomes.items():
            covered, total = branches.get(number, (0, 0))
            branches[number] = (covered + int(taken > 0), total + 1)
