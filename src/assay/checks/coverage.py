"""``coverage.report``: line and branch coverage from the reports the product's CI wrote.

Any of Cobertura, LCOV, JaCoCo, coverage.py JSON or Clover (recognised by content,
:mod:`assay.reports.detect`). Report paths are resolved to repository files
(:mod:`assay.reports.paths`); a path that climbs out of the repository is an error,
and one that names no repository file (generated code, another checkout) is counted
apart and left out of the totals. Several reports merge: a line is covered when any
report covers it. With ``base``, the coverage of the lines changed since that commit
is measured too: the new-code condition of a gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from assay.checks.api import CheckOutput
from assay.checks.ci_reports import ReportParams, inputs_or_reason, stale_findings
from assay.diff import changed_lines
from assay.errors import SnapshotError
from assay.model import Measure
from assay.reports import CoverageReport, ReportError, RepositoryIndex, parse_coverage
from assay.reports.paths import escapes_repository
from assay.snapshot.base import Snapshot

CHECK_ID = "coverage.report"


class CoverageParams(ReportParams):
    base: str | None = Field(
        default=None, description="Measure the coverage of the lines changed since this commit."
    )
    lowest_files: int = Field(
        default=10, ge=0, description="Give the line coverage of this many least-covered files."
    )


@dataclass(kw_only=True)
class _Merged:
    """Coverage per repository file, merged over every report."""

    lines: dict[str, dict[int, int]] = field(default_factory=dict)
    branches: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)
    unmapped: set[str] = field(default_factory=set)

    def add(self, path: str, lines: Iterable[tuple[int, int]],
            branches: Iterable[tuple[int, tuple[int, int]]]) -> None:  # fmt: skip
        file_lines = self.lines.setdefault(path, {})
        for number, hits in lines:
            file_lines[number] = max(hits, file_lines.get(number, 0))
        file_branches = self.branches.setdefault(path, {})
        for number, (covered, total) in branches:
            known = file_branches.get(number, (0, 0))
            file_branches[number] = (max(covered, known[0]), max(total, known[1]))


class CoverageCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Line and branch coverage from the product's coverage reports; changed lines too."
    )
    Params: ClassVar[type[BaseModel]] = CoverageParams

    def run(self, snapshot: Snapshot, params: CoverageParams) -> CheckOutput:
        inputs = inputs_or_reason(snapshot, params, "coverage")
        if isinstance(inputs, str):
            return CheckOutput(not_applicable=inputs)
        reports = [parse_coverage(item.data, item.source, max_bytes=params.max_size)
                   for item in inputs]  # fmt: skip
        merged = _merge(reports, RepositoryIndex(e.path for e in snapshot.entries))
        if not any(merged.lines.values()):
            return CheckOutput(not_applicable=_nothing_mapped(merged))
        findings = stale_findings(CHECK_ID, "coverage.stale-report",
                                  [(r.source, r.timestamp) for r in reports], snapshot,
                                  params.max_age_days)  # fmt: skip
        measures = _measures(merged, len(reports)) + _lowest(merged, params.lowest_files)
        if params.base is not None:
            measures += _changed_measures(snapshot, params.base, merged)
        return CheckOutput(findings=findings, measures=measures)


def _merge(reports: Sequence[CoverageReport], index: RepositoryIndex) -> _Merged:
    merged = _Merged()
    for report in reports:
        for file in report.files:
            if escapes_repository(file.path) and index.resolve(file.path, report.roots) is None:
                raise ReportError(report.source, f"refers to {file.path}, outside the repository")
            path = index.resolve(file.path, report.roots)
            if path is None:
                merged.unmapped.add(file.path)
                continue
            merged.add(path, file.lines.items(), file.branches.items())
    return merged


def _nothing_mapped(merged: _Merged) -> str:
    unmapped = len(merged.unmapped)
    if unmapped:
        return (
            f"no line of the coverage reports is in a file of the repository "
            f"({unmapped} file{'s' if unmapped != 1 else ''} of the reports matched none)"
        )
    return "the coverage reports measure no line"


def _percent(covered: int, total: int) -> float:
    return round(100 * covered / total, 2) if total else 0.0


def _measure(name: str, value: float, unit: str) -> Measure:
    return Measure(check_id=CHECK_ID, name=name, value=value, unit=unit)


def _measures(merged: _Merged, reports: int) -> list[Measure]:
    lines_total = sum(len(lines) for lines in merged.lines.values())
    lines_covered = sum(1 for lines in merged.lines.values() for h in lines.values() if h > 0)
    branches_total = sum(t for b in merged.branches.values() for _, t in b.values())
    branches_covered = sum(c for b in merged.branches.values() for c, _ in b.values())
    measures = [
        _measure("coverage.lines", _percent(lines_covered, lines_total), "%"),
        _measure("coverage.lines_covered", lines_covered, "lines"),
        _measure("coverage.lines_total", lines_total, "lines"),
    ]
    if branches_total:
        measures += [
            _measure("coverage.branches", _percent(branches_covered, branches_total), "%"),
            _measure("coverage.branches_covered", branches_covered, "branches"),
            _measure("coverage.branches_total", branches_total, "branches"),
        ]
    measures += [
        _measure("coverage.files", len(merged.lines), "files"),
        _measure("coverage.files_unmapped", len(merged.unmapped), "files"),
        _measure("coverage.reports", reports, "reports"),
    ]
    return measures


def _lowest(merged: _Merged, count: int) -> list[Measure]:
    """Line coverage of the ``count`` least-covered files (most missed lines first on ties)."""
    rates = []
    for path, lines in merged.lines.items():
        if lines:
            covered = sum(1 for hits in lines.values() if hits > 0)
            rates.append((_percent(covered, len(lines)), covered - len(lines), path))
    return [
        Measure(check_id=CHECK_ID, name="coverage.file_lines", value=rate, unit="%",
                labels={"path": path})
        for rate, _, path in sorted(rates)[:count]
    ]  # fmt: skip


def _changed_measures(snapshot: Snapshot, base: str, merged: _Merged) -> list[Measure]:
    commit = snapshot.source.commit
    if commit is None:
        raise SnapshotError(f"{snapshot.root}: coverage of changed lines (base {base}) needs git")
    changed = changed_lines(snapshot.root, base, commit)
    instrumented = [
        hits
        for path, numbers in changed.items()
        for number in numbers
        if (hits := merged.lines.get(path, {}).get(number)) is not None
    ]
    covered = sum(1 for hits in instrumented if hits > 0)
    # No instrumented line changed (a documentation change): no share to give.
    share = [_measure("coverage.changed_lines", _percent(covered, len(instrumented)), "%")]
    return [
        *(share if instrumented else []),
        _measure("coverage.changed_lines_covered", covered, "lines"),
        _measure("coverage.changed_lines_total", len(instrumented), "lines"),
    ]
