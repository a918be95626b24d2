"""The result model shared by every stage: observations, verdicts and the audit.

These are the data that flow between pipeline stages and into the store and the
renderers. They are frozen pydantic models so that the JSON document of an audit
and its JSON Schema (``assay schema audit``) come from one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

AUDIT_SCHEMA_VERSION: Literal["1"] = "1"


def displayable(text: str) -> str:
    """``text`` with undecodable bytes of a file name (surrogate escapes) shown as ``\\xNN``.

    Paths are read from git byte for byte; a name that is not UTF-8 would make the
    JSON document and the store fail to encode, so the result model shows it escaped.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _displayable(value: object) -> object:
    return displayable(value) if isinstance(value, str) else value


DisplayStr = Annotated[str, BeforeValidator(_displayable)]


class Frozen(BaseModel):
    """Base of every result type: immutable, keyword-only, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class VerdictStatus(StrEnum):
    PASS = "pass"  # noqa: S105 (a verdict)
    FAIL = "fail"
    WARN = "warn"
    NOT_APPLICABLE = "not_applicable"
    MANUAL = "manual"
    ERROR = "error"


class SkipReason(StrEnum):
    BINARY = "binary"
    TOO_LARGE = "too_large"
    UNDECODABLE = "undecodable"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    SPECIAL = "special"  # a named pipe, socket or device in a plain directory
    UNREADABLE = "unreadable"  # vanished or swapped for a symlink while being read


class EntryKind(StrEnum):
    FILE = "file"
    EXECUTABLE = "executable"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    SPECIAL = "special"


@dataclass(frozen=True, kw_only=True, slots=True)
class FileEntry:
    """One path of a snapshot. ``blob_id`` is git's object id of the content.

    A plain dataclass, not a pydantic model: a snapshot makes one per file, and
    it never leaves the process in an audit document.
    """

    path: str
    kind: EntryKind
    blob_id: str | None
    size: int
    language: str | None = None


class Finding(Frozen):
    """A located problem yielded by a check."""

    check_id: str
    rule: str
    message: DisplayStr
    severity: Severity
    path: DisplayStr | None = None
    start_line: int | None = None
    end_line: int | None = None
    fingerprint: str
    # CWE ids the rule maps to (e.g. 798 for hard-coded credentials).
    cwe: list[int] = Field(default_factory=list)
    # Rule-specific details worth showing or exporting (component purl, fixed versions…).
    properties: dict[str, DisplayStr] = Field(default_factory=dict)


class Measure(Frozen):
    """A number yielded by a check; ``labels`` qualify it (e.g. the language)."""

    check_id: str
    name: str
    value: float
    unit: str
    labels: dict[str, DisplayStr] = Field(default_factory=dict)


class SkippedFile(Frozen):
    path: DisplayStr
    reason: SkipReason
    size: int


class CheckStatus(StrEnum):
    OK = "ok"
    ERROR = "error"


class CheckRun(Frozen):
    """How one check ran in an audit: its version, parameters and outcome."""

    check_id: str
    version: str
    params_hash: str
    status: CheckStatus
    error: str | None = None
    duration_s: float
    tool_versions: dict[str, str] = Field(default_factory=dict)


class Verdict(Frozen):
    control_id: str
    title: str
    severity: Severity
    enforced: bool
    status: VerdictStatus
    reason: DisplayStr
    evidence: list[str] = Field(
        default_factory=list, description="Check ids whose observations decided the verdict."
    )
    finding_fingerprints: list[str] = Field(default_factory=list)


class ProductInfo(Frozen):
    name: str
    path: str
    team: str | None = None
    tier: int | None = None
    tags: list[str] = Field(default_factory=list)
    data_classification: str | None = None


class SourceInfo(Frozen):
    kind: Literal["git", "directory"]
    commit: str | None = None
    tree: str | None = None
    ref: str | None = None


class PolicyInfo(Frozen):
    id: str
    title: str
    hash: str


class FileStats(Frozen):
    total: int
    read: int
    from_cache: int
    bytes_read: int
    skipped: dict[SkipReason, int] = Field(default_factory=dict)


class Summary(Frozen):
    counts: dict[VerdictStatus, int]
    score: float = Field(description="0-100; formula in docs/scoring.md.")
    failed_enforced: int


class TestOutcome(StrEnum):
    """The final outcome of one test case in a report the product's CI wrote."""

    __test__ = False  # not a test class, whatever its name says

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"

    @property
    def badness(self) -> int:
        """Order when one test has two outcomes: skipped, passed, failed, error."""
        return _TEST_BADNESS[self]

    @property
    def failing(self) -> bool:
        return self in (TestOutcome.FAILED, TestOutcome.ERROR)


_TEST_BADNESS = {
    TestOutcome.SKIPPED: 0, TestOutcome.PASSED: 1, TestOutcome.FAILED: 2, TestOutcome.ERROR: 3,
}  # fmt: skip


class Grade(StrEnum):
    """An ISO/IEC 25010 rating: A best, E worst (ordered as letters)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Rating(Frozen):
    """The grade of one quality characteristic (or sub-characteristic) and what it rests on."""

    characteristic: str
    subcharacteristic: str | None = None
    grade: Grade | None = Field(description="None: not assessed (no evidence), never A.")
    basis: list[DisplayStr] = Field(default_factory=list)


class Audit(Frozen):
    """One immutable evaluation of a product at one commit under one policy."""

    schema_version: Literal["1"] = AUDIT_SCHEMA_VERSION
    id: str
    product: ProductInfo
    source: SourceInfo
    policy: PolicyInfo
    assay_version: str
    started_at: datetime
    duration_s: float
    checks: list[CheckRun]
    verdicts: list[Verdict]
    findings: list[Finding]
    measures: list[Measure]
    files: FileStats
    skipped: list[SkippedFile]
    summary: Summary
    ratings: list[Rating] = Field(
        default_factory=list, description="ISO/IEC 25010 ratings; formula in docs/ratings.md."
    )
    test_outcomes: dict[DisplayStr, TestOutcome] = Field(
        default_factory=dict,
        description="Outcome of each test case in the test reports judged (classname::name).",
    )
