"""From a tool's issues to findings and measures, shared by the SAST adapters.

The identity of a SAST finding must survive edits elsewhere in the file: a line
inserted above moves every issue down, and the nonconformity must stay the same. So
the fingerprint key is a hash of the offending source lines and their context, never
the line number. The context is the chain of headers of the blocks that enclose the
issue (``class Api:``, ``def run(self, cmd):``): each is the nearest line above with
less indentation than the one below it, blank and comment lines skipped. It tells
apart the same line in two functions, and it does not change when code is added or
removed around the issue; only editing the offending lines or renaming an enclosing
block gives a new identity. Lines are normalised first (leading and trailing white
space removed, inner runs of white space made one space). Two issues of one rule with
the same key in one file are told apart by their order (``key#2``, ``key#3``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assay.checks.api import finding
from assay.checks.config_files import occurrence_keys
from assay.model import Finding, Measure, Severity

# A region longer than this is keyed by its first lines: enough to identify it.
MAX_KEY_LINES = 20
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """One issue a tool reported, with its path already made a repository path."""

    rule: str
    message: str
    severity: Severity
    path: str
    start_line: int
    end_line: int
    cwe: tuple[int, ...] = ()
    properties: Mapping[str, str] = field(default_factory=dict)


def normalise(line: str) -> str:
    return _SPACES.sub(" ", line.strip())


def context_text(lines: Sequence[str], start: int, end: int) -> str:
    """The enclosing block headers, outermost first, then the offending lines (1-based)."""
    first = min(max(start, 1), len(lines) + 1) - 1
    last = min(max(end, start), first + MAX_KEY_LINES, len(lines))
    offending = [normalise(line) for line in lines[first:last]]
    return "\n".join([*enclosing_headers(lines, first), *offending])


def enclosing_headers(lines: Sequence[str], index: int) -> list[str]:
    """Normalised headers of the blocks around ``lines[index]`` (0-based), outermost first."""
    if index >= len(lines):
        return []
    headers: list[str] = []
    limit = _indentation(lines[index])
    for line in reversed(lines[:index]):
        if limit == 0:
            break
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indentation = _indentation(line)
        if indentation < limit:
            headers.append(normalise(line))
            limit = indentation
    return headers[::-1]


def _indentation(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def source_key(lines: Sequence[str], start: int, end: int) -> str:
    return hashlib.sha256(context_text(lines, start, end).encode("utf-8")).hexdigest()[:24]


def findings_of(
    check_id: str, issues: Iterable[Issue], lines_of: Callable[[str], list[str]]
) -> list[Finding]:
    """Findings in (path, line, rule) order, keyed by their source context."""
    ordered = sorted(issues, key=lambda i: (i.path, i.start_line, i.end_line, i.rule))
    cache: dict[str, list[str]] = {}
    raw_keys = []
    for issue in ordered:
        if issue.path not in cache:
            cache[issue.path] = lines_of(issue.path)
        key = source_key(cache[issue.path], issue.start_line, issue.end_line)
        raw_keys.append(f"{issue.path}\x1f{issue.rule}\x1f{key}")
    return [
        finding(check_id, issue.rule, issue.message, severity=issue.severity, path=issue.path,
                start_line=issue.start_line, end_line=issue.end_line,
                key=unique.split("\x1f", 2)[2], cwe=issue.cwe, properties=issue.properties)
        for issue, unique in zip(ordered, occurrence_keys(raw_keys), strict=True)
    ]  # fmt: skip


def unparsable_findings(check_id: str, tool: str, problems: Mapping[str, str]) -> list[Finding]:
    """One finding per file the tool could not parse: it was not analysed."""
    return [
        finding(check_id, f"{check_id}.unparsable",
                f"{path}: {tool} could not parse it ({reason}); it was not analysed",
                severity=Severity.LOW, path=path)
        for path, reason in sorted(problems.items())
    ]  # fmt: skip


def sast_measures(
    check_id: str,
    *,
    analysed: int,
    findings: Sequence[Finding],
    skipped: Mapping[str, int],
    unparsable: int,
    suppressed: int | None,
) -> list[Measure]:
    """Files analysed, issues by severity, files skipped by reason, inline suppressions."""

    def measure(name: str, value: float, unit: str, **labels: str) -> Measure:
        return Measure(check_id=check_id, name=name, value=value, unit=unit, labels=labels)

    counts = Counter(f.severity for f in findings if f.rule != f"{check_id}.unparsable")
    measures = [measure("sast.files_analysed", analysed, "files")]
    measures += [
        measure("sast.issues", counts[severity], "issues", severity=severity.value)
        for severity in Severity
    ]
    measures.append(measure("sast.files_unparsable", unparsable, "files"))
    measures += [
        measure("sast.files_skipped", count, "files", reason=reason)
        for reason, count in sorted(skipped.items())
    ]
    if suppressed is not None:
        measures.append(measure("sast.suppressed_inline", suppressed, "issues"))
    return measures
