"""The Check API: what a check is, what it receives and what it yields.

Two kinds of checks exist. A *file check* declares which files it wants and gets
each wanted blob once, in the single pass over the bytes shared by all file
checks; its per-file result is cached by blob id, and ``summarize`` rolls the
per-file results up into product-level observations. A *product check* sees the
whole snapshot (index, history, safe reads).

Checks register through the ``assay.checks`` entry-point group, built-ins
exactly like third-party ones.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from assay.model import FileEntry, Finding, Measure, Severity, TestOutcome
from assay.snapshot.base import Snapshot

JSONValue = Any


class NoParams(BaseModel):
    """Parameter model of a check that takes none."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, kw_only=True, slots=True)
class FileSelector:
    """Which files a file check wants. A file is wanted if any criterion matches."""

    languages: frozenset[str] = frozenset()
    globs: tuple[str, ...] = ()
    names: frozenset[str] = frozenset()
    all_text: bool = False

    def wants(self, entry: FileEntry) -> bool:
        if self.all_text:
            return True
        if entry.language is not None and entry.language in self.languages:
            return True
        if posixpath.basename(entry.path) in self.names:
            return True
        return any(fnmatch.fnmatchcase(entry.path, glob) for glob in self.globs)


class FileInput:
    """One wanted file as a file check receives it: its bytes, text and language.

    The bytes are known to be UTF-8. The text is decoded on first use (then kept):
    a check that works on bytes, such as ``secrets.scan``, never pays for it.
    """

    __slots__ = ("_text", "data", "entry", "language")

    def __init__(
        self, *, entry: FileEntry, data: bytes, language: str | None, text: str | None = None
    ) -> None:
        self.entry = entry
        self.data = data
        self.language = language
        self._text = text

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.data.decode("utf-8")
        return self._text


@dataclass(frozen=True, kw_only=True, slots=True)
class FileResult:
    """What a file check found in one file: findings, and JSON facts for the roll-up.

    Both are cached by blob id, so ``facts`` must be plain JSON values. A check may
    return one result object for many files (the engine then encodes it once), so a
    result must never be changed once returned.
    """

    findings: tuple[Finding, ...] = ()
    facts: Mapping[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckOutput:
    """Observations of a check over a whole product.

    ``not_applicable`` says, in plain words, why the check had nothing to judge
    (e.g. no git history in a plain directory); controls it serves become
    ``not_applicable`` with that reason.
    """

    findings: Sequence[Finding] = ()
    measures: Sequence[Measure] = ()
    not_applicable: str | None = None
    tool_versions: Mapping[str, str] = field(default_factory=dict)
    # Outcome of each test case a check read (test id -> TestOutcome), kept with the
    # audit so that a test whose outcome changes on unchanged code can be found flaky.
    test_outcomes: Mapping[str, TestOutcome] = field(default_factory=dict)


@runtime_checkable
class FileCheck(Protocol):
    kind: ClassVar[Literal["file"]]
    id: ClassVar[str]
    version: ClassVar[str]
    description: ClassVar[str]
    Params: ClassVar[type[BaseModel]]

    def selector(self, params: Any) -> FileSelector: ...

    def scan(self, file: FileInput, params: Any) -> FileResult: ...

    def summarize(self, results: Mapping[str, FileResult], params: Any) -> CheckOutput: ...


@runtime_checkable
class ProductCheck(Protocol):
    kind: ClassVar[Literal["product"]]
    id: ClassVar[str]
    version: ClassVar[str]
    description: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    # "tree": the output depends only on the files of the commit, so it is cached by tree id.
    # "none": it also depends on something else (history, the clock) and always runs.
    # A "tree" check whose output also depends on something cheap to fingerprint (the
    # build of a tool it runs, a host file the policy names) may define
    # ``cache_salt(params) -> str``, which becomes part of its cache key (see
    # :func:`cache_salt_of`).
    cache_scope: ClassVar[Literal["tree", "none"]]

    def run(self, snapshot: Snapshot, params: Any) -> CheckOutput: ...


Check = FileCheck | ProductCheck


def cache_salt_of(check: object, params: BaseModel) -> str | None:
    """The check's ``cache_salt(params)``, if it has one; "" if not; None if it fails.

    A salt that cannot be worked out means the result is neither taken from the cache
    nor stored there, rather than taken from it wrongly.
    """
    salt = getattr(check, "cache_salt", None)
    if salt is None:
        return ""
    try:
        return str(salt(params))
    except Exception:
        return None


def params_hash(params: BaseModel) -> str:
    """Stable hash of a check's parameters; part of every cache key."""
    canonical = json.dumps(params.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def fingerprint(*parts: str) -> str:
    """A stable identity for a finding from the parts that define it (never a line number)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def finding(
    check_id: str,
    rule: str,
    message: str,
    *,
    severity: Severity,
    path: str | None = None,
    start_line: int | None = None,
    end_line: int | None = None,
    key: str = "",
    cwe: Sequence[int] = (),
    properties: Mapping[str, str] | None = None,
) -> Finding:
    """Build a finding whose fingerprint is (check, rule, path, key)."""
    return Finding(
        check_id=check_id,
        rule=rule,
        message=message,
        severity=severity,
        path=path,
        start_line=start_line,
        end_line=end_line,
        fingerprint=fingerprint(check_id, rule, path or "", key),
        cwe=list(cwe),
        properties=dict(properties or {}),
    )
