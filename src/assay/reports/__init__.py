"""Test and coverage reports written by a product's CI, read as evidence.

Assay never runs a product's tests; it parses the reports they left: JUnit-style
XML for test results, and Cobertura, LCOV, JaCoCo, coverage.py JSON or Clover
for coverage. Every parser takes the report's bytes and the name to use in
errors, refuses input over ``max_bytes`` before parsing, and raises
:class:`ReportError` for anything it cannot read.
"""

from __future__ import annotations

from assay.reports.clover import parse_clover
from assay.reports.cobertura import parse_cobertura
from assay.reports.coverage_json import parse_coverage_json
from assay.reports.detect import parse_coverage
from assay.reports.jacoco import parse_jacoco
from assay.reports.junit import parse_junit
from assay.reports.lcov import parse_lcov
from assay.reports.limits import MAX_BYTES
from assay.reports.model import (
    CoverageFormat,
    CoverageReport,
    FileCoverage,
    ReportError,
    TestCase,
    TestReport,
    TestStatus,
)
from assay.reports.paths import RepositoryIndex, escapes_repository, map_to_repository

__all__ = [
    "MAX_BYTES",
    "CoverageFormat",
    "CoverageReport",
    "FileCoverage",
    "ReportError",
    "RepositoryIndex",
    "TestCase",
    "TestReport",
    "TestStatus",
    "escapes_repository",
    "map_to_repository",
    "parse_clover",
    "parse_cobertura",
    "parse_coverage",
    "parse_coverage_json",
    "parse_jacoco",
    "parse_junit",
    "parse_lcov",
]
