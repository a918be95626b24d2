"""``maint.complexity``: cyclomatic complexity, length, parameters and nesting of every function.

A file check over the languages :mod:`assay.syntax` has rules for. Each file is
parsed once with tree-sitter (never imported or run); its functions and their
measures are the file's cached facts, so a re-audit parses only changed files.
Functions over the policy's limits are findings, named by function, file and
lines; the product's roll-up gives the count, mean, 90th percentile and maximum
complexity and the share of functions over a limit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, FileInput, FileResult, FileSelector, finding
from assay.model import Finding, Measure, Severity
from assay.syntax.functions import FunctionMetrics, measure_functions
from assay.syntax.languages import RULES

CHECK_ID = "maint.complexity"


class ComplexityParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    max_ccn: int = Field(
        default=15, ge=1, description="Most cyclomatic complexity a function may have."
    )
    max_lines: int = Field(default=150, ge=1, description="Most lines a function may span.")
    max_parameters: int = Field(default=7, ge=0, description="Most parameters a function may take.")
    max_nesting: int = Field(default=5, ge=0, description="Deepest nesting of control statements.")


@dataclass(frozen=True, kw_only=True, slots=True)
class _Limit:
    """One limit: the measure it bounds, the rule of its findings, and how it reads."""

    rule: str
    what: str
    severity: Severity
    cwe: tuple[int, ...]


_LIMITS = {
    "ccn": _Limit(rule="maint.function-complexity", what="cyclomatic complexity",
                  severity=Severity.MEDIUM, cwe=(1121,)),
    "lines": _Limit(rule="maint.function-length", what="length in lines",
                    severity=Severity.LOW, cwe=()),
    "parameters": _Limit(rule="maint.function-parameters", what="parameters",
                         severity=Severity.LOW, cwe=(1064,)),
    "nesting": _Limit(rule="maint.function-nesting", what="nesting depth",
                      severity=Severity.MEDIUM, cwe=(1124,)),
}  # fmt: skip


def _limits(params: ComplexityParams) -> dict[str, int]:
    return {
        "ccn": params.max_ccn,
        "lines": params.max_lines,
        "parameters": params.max_parameters,
        "nesting": params.max_nesting,
    }


def _values(function: FunctionMetrics) -> dict[str, int]:
    return {
        "ccn": function.ccn,
        "lines": function.lines,
        "parameters": function.parameters,
        "nesting": function.nesting,
    }


class ComplexityCheck:
    kind: ClassVar[Literal["file"]] = "file"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Cyclomatic complexity, length, parameters and nesting of every function."
    )
    Params: ClassVar[type[BaseModel]] = ComplexityParams

    def selector(self, params: ComplexityParams) -> FileSelector:
        return FileSelector(languages=frozenset(RULES))

    def scan(self, file: FileInput, params: ComplexityParams) -> FileResult:
        language = file.language or ""
        measured = measure_functions(language, file.data)
        if measured is None:
            return FileResult(facts={"language": language, "functions": []})
        path = file.entry.path
        limits = _limits(params)
        findings = [
            _over(path, function, measure, limit)
            for function in measured.functions
            for measure, limit in limits.items()
            if _values(function)[measure] > limit
        ]
        return FileResult(
            findings=tuple(findings),
            facts={
                "language": language,
                # Compact rows: [name, start, end, ccn, parameters, nesting].
                "functions": [
                    [f.name, f.start_line, f.end_line, f.ccn, f.parameters, f.nesting]
                    for f in measured.functions
                ],
                "syntax_errors": measured.syntax_errors,
            },
        )

    def summarize(self, results: Mapping[str, FileResult], params: ComplexityParams) -> CheckOutput:
        findings = sorted(
            (f for r in results.values() for f in r.findings),
            key=lambda f: (f.path or "", f.start_line or 0, f.rule),
        )
        functions = _functions(results)
        if not functions:
            return CheckOutput(
                findings=findings,
                not_applicable="no function found in a language whose functions Assay measures",
            )
        errors = sum(1 for r in results.values() if r.facts.get("syntax_errors"))
        return CheckOutput(findings=findings, measures=_measures(functions, errors, params))


def _functions(results: Mapping[str, FileResult]) -> list[tuple[str, FunctionMetrics]]:
    """(language, function) for every function of every file, from the cached facts."""
    return [
        (
            str(result.facts.get("language")),
            FunctionMetrics(name=str(name), start_line=int(start), end_line=int(end),
                            ccn=int(ccn), parameters=int(parameters), nesting=int(nesting)),
        )
        for result in results.values()
        for name, start, end, ccn, parameters, nesting in result.facts.get("functions", [])
    ]  # fmt: skip


def _over(path: str, function: FunctionMetrics, measure: str, limit: int) -> Finding:
    spec = _LIMITS[measure]
    value = _values(function)[measure]
    message = (
        f"function {function.name} in {path} (lines {function.start_line}-{function.end_line}): "
        f"{spec.what} {value}, over the limit of {limit}"
    )
    return finding(CHECK_ID, spec.rule, message, severity=spec.severity, path=path,
                   start_line=function.start_line, end_line=function.end_line,
                   key=function.name, cwe=spec.cwe)  # fmt: skip


def _measures(
    functions: list[tuple[str, FunctionMetrics]], syntax_errors: int, params: ComplexityParams
) -> list[Measure]:
    ccns = sorted(f.ccn for _, f in functions)
    limits = _limits(params)
    over = sum(1 for _, f in functions if any(_values(f)[m] > limit for m, limit in limits.items()))
    per_language = Counter(language for language, _ in functions)

    def measure(name: str, value: float, unit: str, **labels: str) -> Measure:
        return Measure(check_id=CHECK_ID, name=name, value=value, unit=unit, labels=labels)

    measures = [
        measure("maint.functions", len(functions), "functions"),
        measure("maint.ccn.mean", round(sum(ccns) / len(ccns), 2), "ccn"),
        measure("maint.ccn.p90", _percentile(ccns, 90), "ccn"),
        measure("maint.ccn.max", ccns[-1], "ccn"),
        measure("maint.functions.over_limits", round(100 * over / len(functions), 2), "%"),
        measure("maint.files.syntax_errors", syntax_errors, "files"),
    ]
    measures += [measure("maint.functions", n, "functions", language=language)
                 for language, n in sorted(per_language.items())]  # fmt: skip
    return measures


def _percentile(ordered: Iterable[int], percent: int) -> int:
    """Nearest-rank percentile of sorted values: the smallest value with ``percent`` at or below."""
    values = list(ordered)
    rank = max(1, math.ceil(percent / 100 * len(values)))
    return values[rank - 1]
