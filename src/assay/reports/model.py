"""What Assay reads from the test and coverage reports a product's CI wrote.

Assay never runs a product's tests: it takes the reports as evidence. The model
keeps what the reports say (paths as written, counts as written) and derives the
totals; mapping report paths onto the repository is :mod:`assay.reports.paths`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar, Literal, TypeVar

from assay.errors import AssayError

_V = TypeVar("_V")

CoverageFormat = Literal["cobertura", "lcov", "jacoco", "coverage.py", "clover"]


class ReportError(AssayError):
    """A report cannot be read; ``message`` names the report and, when known, the line."""

    def __init__(self, source: str, reason: str, *, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.reason = reason
        self.line = line


class TestStatus(StrEnum):
    """The final outcome of one test case."""

    # Not a test class, although pytest would try to collect it by its name.
    __test__ = False

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True, kw_only=True)
class TestCase:
    """One ``<testcase>``; ``flaky`` marks a test that failed, was rerun and passed."""

    __test__: ClassVar[bool] = False

    suite: str
    classname: str | None
    name: str
    file: str | None
    status: TestStatus
    duration_s: float | None
    message: str | None
    flaky: bool = False


@dataclass(frozen=True, kw_only=True)
class TestReport:
    """One JUnit-style report; ``declared_duration_s`` is the root element's ``time``."""

    __test__: ClassVar[bool] = False

    source: str
    timestamp: datetime | None
    cases: tuple[TestCase, ...]
    declared_duration_s: float | None = None

    @property
    def tests(self) -> int:
        return len(self.cases)

    @property
    def passed(self) -> int:
        return self._count(TestStatus.PASSED)

    @property
    def failed(self) -> int:
        return self._count(TestStatus.FAILED)

    @property
    def errored(self) -> int:
        return self._count(TestStatus.ERROR)

    @property
    def skipped(self) -> int:
        return self._count(TestStatus.SKIPPED)

    @property
    def duration_s(self) -> float | None:
        """Sum of the cases' times; the root's own time when no case has one."""
        times = [case.duration_s for case in self.cases if case.duration_s is not None]
        return sum(times) if times else self.declared_duration_s

    def _count(self, status: TestStatus) -> int:
        return sum(1 for case in self.cases if case.status is status)


def _frozen(mapping: Mapping[int, _V]) -> Mapping[int, _V]:
    return MappingProxyType(dict(sorted(mapping.items())))


@dataclass(frozen=True, kw_only=True)
class FileCoverage:
    """Coverage of one source file.

    ``lines`` holds only instrumented lines (line number to hit count, 0 = missed);
    ``branches`` maps a line to (covered, total) branch outcomes. Both are read-only
    copies, sorted by line number.
    """

    path: str
    lines: Mapping[int, int]
    branches: Mapping[int, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A frozen dataclass must not hand out dicts that callers could change.
        object.__setattr__(self, "lines", _frozen(self.lines))
        object.__setattr__(self, "branches", _frozen(self.branches))

    @property
    def lines_total(self) -> int:
        return len(self.lines)

    @property
    def lines_covered(self) -> int:
        return sum(1 for hits in self.lines.values() if hits > 0)

    @property
    def branches_total(self) -> int:
        return sum(total for _, total in self.branches.values())

    @property
    def branches_covered(self) -> int:
        return sum(covered for covered, _ in self.branches.values())


def _rate(covered: int, total: int) -> float | None:
    return covered / total if total else None


@dataclass(frozen=True, kw_only=True)
class CoverageReport:
    """One coverage report.

    ``roots`` are the source roots the report declares (Cobertura ``<sources>``);
    report paths are relative to one of them, which :mod:`assay.reports.paths` uses.
    """

    source: str
    format: CoverageFormat
    timestamp: datetime | None
    files: tuple[FileCoverage, ...]
    roots: tuple[str, ...] = ()

    @property
    def lines_total(self) -> int:
        return sum(file.lines_total for file in self.files)

    @property
    def lines_covered(self) -> int:
        return sum(file.lines_covered for file in self.files)

    @property
    def line_rate(self) -> float | None:
        return _rate(self.lines_covered, self.lines_total)

    @property
    def branches_total(self) -> int:
        return sum(file.branches_total for file in self.files)

    @property
    def branches_covered(self) -> int:
        return sum(file.branches_covered for file in self.files)

    @property
    def branch_rate(self) -> float | None:
        return _rate(self.branches_covered, self.branches_total)
