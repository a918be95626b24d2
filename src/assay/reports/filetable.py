"""Per-file line and branch tables that coverage parsers fill while they read."""

from __future__ import annotations

from assay.reports.model import FileCoverage


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
