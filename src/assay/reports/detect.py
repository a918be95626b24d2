"""Coverage reports of any supported format, recognised from their content.

A CI job names its coverage file freely (``coverage.xml`` may be Cobertura or
Clover), so the format is read from the bytes, not the name: XML by its root
element (``<report>`` is JaCoCo; ``<coverage>`` is Clover when its first child
is a ``<project>``, Cobertura otherwise), JSON by coverage.py's ``meta`` and
``files``, and LCOV by an ``SF:`` line.
"""

from __future__ import annotations

import re

from assay.reports.clover import parse_clover
from assay.reports.cobertura import parse_cobertura
from assay.reports.coverage_json import coverage_json_from_document
from assay.reports.jacoco import parse_jacoco
from assay.reports.jsondoc import load_json
from assay.reports.lcov import parse_lcov
from assay.reports.limits import MAX_BYTES, check_input
from assay.reports.model import CoverageReport, ReportError
from assay.reports.xmldoc import peek_xml

_LCOV_RECORD = re.compile(rb"^[ \t]*SF:", re.MULTILINE)
_UTF8_BOM = b"\xef\xbb\xbf"
_KNOWN = "Cobertura, Clover, JaCoCo, LCOV or coverage.py JSON"


def parse_coverage(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> CoverageReport:
    """The coverage report in ``data``, whichever supported format it is in."""
    check_input(data, source, max_bytes)
    start = data.removeprefix(_UTF8_BOM).lstrip()[:1]
    if start == b"<":
        return _from_xml(data, source, max_bytes)
    if start in {b"{", b"["}:
        document = load_json(data, source, max_bytes=max_bytes)
        if isinstance(document, dict) and {"meta", "files"} <= document.keys():
            return coverage_json_from_document(document, source)
        reason = 'not a coverage report: JSON without coverage.py\'s "meta" and "files"'
        raise ReportError(source, f"{reason} ({_KNOWN} expected)")
    if _LCOV_RECORD.search(data):
        return parse_lcov(data, source, max_bytes=max_bytes)
    raise ReportError(
        source, f"not a coverage report: neither XML, JSON nor LCOV ({_KNOWN} expected)"
    )


def _from_xml(data: bytes, source: str, max_bytes: int) -> CoverageReport:
    # Only the start is read here; the chosen parser then streams the whole report.
    root, first_child = peek_xml(data, source, max_bytes=max_bytes)
    if root.name == "report":
        return parse_jacoco(data, source, max_bytes=max_bytes)
    if root.name == "coverage":
        if first_child == "project":
            return parse_clover(data, source, max_bytes=max_bytes)
        return parse_cobertura(data, source, max_bytes=max_bytes)
    reason = f"not a coverage report: the root element is <{root.name}> ({_KNOWN} expected)"
    raise ReportError(source, reason, line=root.line)
