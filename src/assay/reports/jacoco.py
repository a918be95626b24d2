"""JaCoCo XML (``jacoco.xml``), written by the JaCoCo Maven and Gradle plugins.

JaCoCo counts instructions and branches, not executions: a line is covered
when at least one of its instructions ran (``ci`` > 0), so a line's hit count
here is 1 or 0. Branches: ``cb`` covered of ``mb + cb``. A file's path is its
package's name (already slash-separated) joined with the source file's name;
``<group>`` elements of aggregated reports may wrap packages at any depth. The
report's time is the earliest ``<sessioninfo start=...>`` (milliseconds since
the epoch). Per-class data and counters repeat what the lines say and are
skipped; lines are streamed, so a large report is never held whole.

JaCoCo puts a DOCTYPE naming ``report.dtd`` in every report; see
:mod:`assay.reports.xmldoc` for why that is accepted while entities are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assay.reports.filetable import FileTable, StreamedFiles, report_path
from assay.reports.limits import MAX_BYTES
from assay.reports.model import CoverageReport
from assay.reports.values import parse_count, parse_epoch, parse_line_number
from assay.reports.xmldoc import XmlElement, attribute, parse_xml, required


class _Reader(StreamedFiles):
    """JaCoCo's <sourcefile> elements, named by their <package>."""

    def is_file(self, chain: Sequence[XmlElement]) -> bool:
        return len(chain) >= 3 and chain[-1].name == "sourcefile" and chain[-2].name == "package"

    def name(self, chain: Sequence[XmlElement]) -> str:
        prefix = report_path(chain[-2].get("name") or "").strip("/")
        name = report_path(required(chain[-1], "name", self.source, str))
        return f"{prefix}/{name}" if prefix else name


def parse_jacoco(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> CoverageReport:
    """The JaCoCo report in ``data``; ``source`` names it in errors."""
    reader = _Reader(source=source, read_line=_read_line)
    root = parse_xml(
        data,
        source,
        max_bytes=max_bytes,
        roots={"report"},
        kind="a JaCoCo report",
        skip={"class", "counter"},
        stream={"line": reader.line, "sourcefile": reader.end_file},
    )
    return CoverageReport(
        source=source, format="jacoco", timestamp=_started(root, source), files=reader.table.files()
    )


def _read_line(element: XmlElement, table: FileTable, path: str, source: str) -> None:
    number = required(element, "nr", source, parse_line_number)
    missed = attribute(element, "mi", source, parse_count) or 0
    covered = attribute(element, "ci", source, parse_count) or 0
    if missed or covered:
        lines = table.lines(path)
        lines[number] = max(lines.get(number, 0), int(covered > 0))
    missed_branches = attribute(element, "mb", source, parse_count) or 0
    covered_branches = attribute(element, "cb", source, parse_count) or 0
    if missed_branches or covered_branches:
        total = missed_branches + covered_branches
        table.branches(path)[number] = (covered_branches, total)


def _started(root: XmlElement, source: str) -> datetime | None:
    starts = [
        attribute(session, "start", source, parse_epoch) for session in root.named("sessioninfo")
    ]
    known = [start for start in starts if start is not None]
    return min(known) if known else None
