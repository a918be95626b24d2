"""Cobertura XML: written by coverage.py (``coverage xml``), Cobertura itself, gcovr,
Istanbul/nyc, coverlet, PHPUnit and many others.

The file names of ``<class filename=...>`` are relative to one of the
``<sources><source>`` roots, which the report keeps as ``roots`` for path
mapping. Lines come from each class's own ``<lines>``; the lines inside
``<methods>`` repeat them and are read only when a class lists none itself. A
file split over several classes (Java inner classes) is merged; a line listed
twice keeps its highest count, since both entries describe the same execution.
``<line>`` elements are streamed, so a large report is never held whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assay.reports.filetable import FileTable, keep_highest, report_path
from assay.reports.limits import MAX_BYTES
from assay.reports.model import CoverageReport, ReportError
from assay.reports.values import parse_count, parse_epoch, parse_line_number
from assay.reports.xmldoc import XmlElement, attribute, parse_xml, required

# "50% (1/2)": the percentage is rounded, the fraction is what counts.
_CONDITIONS = re.compile(r"\s*[0-9.]+\s*%\s*\(\s*([0-9]{1,9})\s*/\s*([0-9]{1,9})\s*\)\s*")
# Where classes and their lines sit; a <line> anywhere else is not coverage data.
_CLASS_PARENTS = ("coverage", "packages", "package", "classes")
_OWN_LINES = (*_CLASS_PARENTS, "class", "lines")
_METHOD_LINES = (*_CLASS_PARENTS, "class", "methods", "method", "lines")


@dataclass
class _Lines:
    hits: dict[int, int] = field(default_factory=dict)
    branches: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Reader:
    """Collects the lines of the class being read, then files them under its path."""

    source: str
    table: FileTable = field(default_factory=FileTable)
    own: _Lines = field(default_factory=_Lines)
    in_methods: _Lines = field(default_factory=_Lines)
    # The element holding the <line> elements being read, and where its lines go.
    parent: XmlElement | None = None
    target: _Lines | None = None

    def line(self, element: XmlElement, ancestors: Sequence[XmlElement]) -> None:
        # Siblings share their ancestors: where they sit is worked out once per <lines>.
        if ancestors[-1] is not self.parent:
            names = tuple(ancestor.name for ancestor in ancestors)
            self.parent = ancestors[-1]
            self.target = {_OWN_LINES: self.own, _METHOD_LINES: self.in_methods}.get(names)
        if self.target is not None:
            _read_line(element, self.target, self.source)

    def end_class(self, element: XmlElement, ancestors: Sequence[XmlElement]) -> None:
        if tuple(ancestor.name for ancestor in ancestors) != _CLASS_PARENTS:
            return
        path = report_path(required(element, "filename", self.source, str))
        found = self.own if self.own.hits else self.in_methods
        hits, branches = self.table.lines(path), self.table.branches(path)
        for number, count in found.hits.items():
            hits[number] = max(count, hits.get(number, 0))
        for number, (covered, total) in found.branches.items():
            keep_highest(branches, number, covered, total)
        self.own, self.in_methods = _Lines(), _Lines()
        self.parent = self.target = None

    def project(self, element: XmlElement, ancestors: Sequence[XmlElement]) -> None:
        if len(ancestors) == 1:
            reason = (
                "not a Cobertura report: its <coverage> holds a <project>, as Clover reports do"
            )
            raise ReportError(self.source, reason, line=ancestors[0].line)


def parse_cobertura(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> CoverageReport:
    """The Cobertura report in ``data``; ``source`` names it in errors."""
    reader = _Reader(source=source)
    root = parse_xml(
        data,
        source,
        max_bytes=max_bytes,
        roots={"coverage"},
        kind="a Cobertura report",
        skip={"conditions"},
        stream={"line": reader.line, "class": reader.end_class, "project": reader.project},
    )
    return CoverageReport(
        source=source,
        format="cobertura",
        timestamp=attribute(root, "timestamp", source, parse_epoch),
        files=reader.table.files(),
        roots=_roots(root),
    )


def _roots(root: XmlElement) -> tuple[str, ...]:
    sources = root.child("sources")
    if sources is None:
        return ()
    found = (report_path(item.text) for item in sources.named("source"))
    return tuple(path for path in found if path)


def _read_line(element: XmlElement, lines: _Lines, source: str) -> None:
    number = required(element, "number", source, parse_line_number)
    hits = required(element, "hits", source, parse_count)
    lines.hits[number] = max(hits, lines.hits.get(number, 0))
    if (element.get("branch") or "").strip().lower() == "true":
        outcomes = attribute(element, "condition-coverage", source, _condition_coverage)
        if outcomes is not None:
            keep_highest(lines.branches, number, *outcomes)


def _condition_coverage(text: str) -> tuple[int, int]:
    match = _CONDITIONS.fullmatch(text)
    if match is None:
        raise ValueError('is not of the form "50% (1/2)"')
    covered, total = int(match.group(1)), int(match.group(2))
    if covered > total:
        raise ValueError("counts more covered branches than there are")
    return covered, total
