"""Clover XML: written by OpenClover, PHPUnit (``--coverage-clover``), Istanbul/nyc
and others.

``<coverage><project>`` holds ``<file>`` elements, directly or inside
``<package>``. A file's path is its ``path`` attribute (OpenClover, Istanbul)
or, without one, its ``name`` (PHPUnit writes the full path there). Each
``<line num= type=>`` is a statement (``stmt``, hit ``count``), a condition
(``cond``: two outcomes, ``truecount`` and ``falsecount``; the line counts as a
statement too, run when either side ran) or a method entry (``method``: not a
statement, not counted). Clover writes one ``<line>`` per statement, so a line
number may come twice: the line keeps its highest count and adds up the
outcomes of its conditions. The time is the ``<project timestamp>`` (else the
``<coverage generated>``), in seconds or milliseconds since the epoch. Metrics
are skipped (they summarise the lines) and lines are streamed, so a large
report is never held whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assay.reports.filetable import FileTable, StreamedFiles, report_path
from assay.reports.limits import MAX_BYTES
from assay.reports.model import CoverageReport, ReportError
from assay.reports.values import parse_count, parse_epoch, parse_line_number
from assay.reports.xmldoc import XmlElement, attribute, parse_xml, required

_KINDS = frozenset({"stmt", "cond", "method"})


class _Reader(StreamedFiles):
    """Clover's <file> elements, directly in <project> or in its <package>s."""

    def is_file(self, chain: Sequence[XmlElement]) -> bool:
        names = tuple(element.name for element in chain)
        return names in {("coverage", "project", "file"),
                         ("coverage", "project", "package", "file")}  # fmt: skip

    def name(self, chain: Sequence[XmlElement]) -> str:
        file = chain[-1]
        return report_path(file.get("path") or required(file, "name", self.source, str))


def parse_clover(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> CoverageReport:
    """The Clover report in ``data``; ``source`` names it in errors."""
    reader = _Reader(source=source, read_line=_read_line)
    root = parse_xml(
        data,
        source,
        max_bytes=max_bytes,
        roots={"coverage"},
        kind="a Clover report",
        skip={"metrics", "class"},
        stream={"line": reader.line, "file": reader.end_file},
    )
    project = root.child("project")
    if project is None:
        reason = "not a Clover report: its <coverage> holds no <project>"
        raise ReportError(source, reason, line=root.line)
    return CoverageReport(
        source=source,
        format="clover",
        timestamp=_timestamp(root, project, source),
        files=reader.table.files(),
    )


def _read_line(element: XmlElement, table: FileTable, path: str, source: str) -> None:
    number = required(element, "num", source, parse_line_number)
    kind = required(element, "type", source, _kind)
    if kind == "method":
        return
    count = attribute(element, "count", source, parse_count)
    if kind == "cond":
        true = attribute(element, "truecount", source, parse_count) or 0
        false = attribute(element, "falsecount", source, parse_count) or 0
        branches = table.branches(path)
        covered, total = branches.get(number, (0, 0))
        branches[number] = (covered + int(true > 0) + int(false > 0), total + 2)
        count = true + false if count is None else count
    elif count is None:
        raise ReportError(source, '<line type="stmt"> has no count attribute', line=element.line)
    lines = table.lines(path)
    lines[number] = max(count, lines.get(number, 0))


def _kind(text: str) -> str:
    if text not in _KINDS:
        raise ValueError('is not "stmt", "cond" or "method"')
    return text


def _timestamp(root: XmlElement, project: XmlElement, source: str) -> datetime | None:
    found = attribute(project, "timestamp", source, parse_epoch)
    return found if found is not None else attribute(root, "generated", source, parse_epoch)
