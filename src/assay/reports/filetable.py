"""Per-file line and branch tables that coverage parsers fill while they read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assay.reports.model import FileCoverage
from assay.reports.xmldoc import XmlElement


def report_path(raw: str) -> str:
    """A path as written in the report, with Windows separators made forward slashes."""
    return raw.strip().replace("\\", "/")


class FileTable:
    """Files in the order the report first names them, each with mutable tables.

    The parser decides how repeated entries merge (LCOV adds counts, Cobertura
    keeps the highest); :meth:`files` freezes the result.
    """

    def __init__(self) -> None:
        self._lines: dict[str, dict[int, int]] = {}
        self._branches: dict[str, dict[int, tuple[int, int]]] = {}

    def lines(self, path: str) -> dict[int, int]:
        self.branches(path)
        return self._lines.setdefault(path, {})

    def branches(self, path: str) -> dict[int, tuple[int, int]]:
        self._lines.setdefault(path, {})
        return self._branches.setdefault(path, {})

    def files(self) -> tuple[FileCoverage, ...]:
        return tuple(
            FileCoverage(path=path, lines=lines, branches=self._branches[path])
            for path, lines in self._lines.items()
        )


def keep_highest(table: dict[int, tuple[int, int]], line: int, covered: int, total: int) -> None:
    """Record branch outcomes; a line described twice keeps the fuller description."""
    old_covered, old_total = table.get(line, (0, 0))
    table[line] = (max(old_covered, covered), max(old_total, total))


# Reads one <line> element of a file into the table: (element, table, path, source).
LineReader = Callable[[XmlElement, "FileTable", str, str], None]


@dataclass
class StreamedFiles:
    """State of an XML coverage reader that streams file elements holding <line> elements.

    A format says which element is a file (:meth:`is_file`, given the element and its
    ancestors) and how its path is named (:meth:`name`); the path is worked out once
    per file, and a file without lines is still listed.
    """

    source: str
    read_line: LineReader
    table: FileTable = field(default_factory=FileTable)
    current: XmlElement | None = None  # the file element being read
    path: str = ""  # and its path

    def is_file(self, chain: Sequence[XmlElement]) -> bool:
        raise NotImplementedError

    def name(self, chain: Sequence[XmlElement]) -> str:
        raise NotImplementedError

    def _path(self, chain: Sequence[XmlElement]) -> str | None:
        if not chain or not self.is_file(chain):
            return None
        if chain[-1] is not self.current:
            self.current, self.path = chain[-1], self.name(chain)
        return self.path

    def line(self, element: XmlElement, ancestors: Sequence[XmlElement]) -> None:
        path = self._path(ancestors)
        if path is not None:
            self.read_line(element, self.table, path, self.source)

    def end_file(self, element: XmlElement, ancestors: Sequence[XmlElement]) -> None:
        path = self._path((*ancestors, element))
        if path is not None:
            self.table.lines(path)
        self.current = None
