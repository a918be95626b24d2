"""``sarif.import``: findings from SARIF 2.1.0 files written by the product's own CI.

Any analyzer that writes SARIF (CodeQL, semgrep, Checkov, Trivy, ESLint, SpotBugs...)
becomes evidence without an adapter of its own: the files are read either from the
audited commit (parameter ``files``, globs of repository paths) or from the host
(parameter ``external``, filled by ``assay audit --sarif FILE``), and each result that
reports a problem becomes a finding of rule ``<tool>.<ruleId>``. How results are read
(severity, CWE, locations, suppressions) is :mod:`assay.sarif.ingest`'s business.

A configured file that cannot be used (missing, a symlink in the repository, over the
size cap, malformed) makes the check fail with an error naming it, never a pass.
The check always runs (cache scope ``none``): the host files change without a commit.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, finding
from assay.checks.config_files import occurrence_keys
from assay.model import EntryKind, Finding, Measure
from assay.sarif.ingest import (
    DEFAULT_MAX_SIZE,
    SarifError,
    SarifLog,
    SarifResult,
    check_size,
    parse_sarif,
    read_sarif,
)
from assay.snapshot.base import READABLE_KINDS, Snapshot

NOT_CONFIGURED = "no SARIF file configured (parameters files and external are empty)"
_SPACES = re.compile(r"\s+")


class SarifImportParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    files: list[str] = Field(
        default_factory=list, description="Globs of SARIF files in the repository."
    )
    external: list[str] = Field(
        default_factory=list, description="SARIF files on the host (assay audit --sarif)."
    )
    max_size: int = Field(
        default=DEFAULT_MAX_SIZE, ge=1, description="Largest SARIF file read, in bytes."
    )


def tool_slug(name: str) -> str:
    """The tool's name as the first part of a rule id: lowercased, spaces made dashes."""
    return _SPACES.sub("-", name.strip().lower()) or "unknown-tool"


class SarifImportCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    version: ClassVar[str] = "1"
    id: ClassVar[str] = "sarif.import"
    description: ClassVar[str] = (
        "Findings of any analyzer that writes SARIF 2.1.0, read from the repository or the host."
    )
    Params: ClassVar[type[BaseModel]] = SarifImportParams

    def run(self, snapshot: Snapshot, params: SarifImportParams) -> CheckOutput:
        if not params.files and not params.external:
            return CheckOutput(not_applicable=NOT_CONFIGURED)
        logs = [*self._from_repository(snapshot, params), *self._from_host(snapshot, params)]
        if not logs:
            globs = ", ".join(params.files)
            return CheckOutput(not_applicable=f"no file of the repository matches {globs}")
        return CheckOutput(
            findings=self._findings(logs),
            measures=self._measures(logs),
            tool_versions=_versions(logs),
        )

    def _from_repository(self, snapshot: Snapshot, params: SarifImportParams) -> list[SarifLog]:
        entries = [
            entry for entry in snapshot.entries
            if any(fnmatch.fnmatchcase(entry.path, glob) for glob in params.files)
        ]  # fmt: skip
        for entry in entries:
            if entry.kind not in READABLE_KINDS:
                what = "a symlink" if entry.kind == EntryKind.SYMLINK else f"a {entry.kind.value}"
                raise SarifError(f"{entry.path}: is {what}; it is not read")
            check_size(entry.path, entry.size, params.max_size)
        logs = {
            entry.path: parse_sarif(data, source=entry.path, root=snapshot.root,
                                    max_size=params.max_size)
            for entry, data in snapshot.read_blobs(entries)
        }  # fmt: skip
        missing = sorted({entry.path for entry in entries} - set(logs))
        if missing:
            raise SarifError(f"{missing[0]}: could not be read from the snapshot")
        return [logs[path] for path in sorted(logs)]

    def _from_host(self, snapshot: Snapshot, params: SarifImportParams) -> list[SarifLog]:
        return [
            read_sarif(Path(name), root=snapshot.root, max_size=params.max_size, source=name)
            for name in params.external
        ]

    def _findings(self, logs: Iterable[SarifLog]) -> list[Finding]:
        pending: list[tuple[str, str, SarifResult]] = []
        for log in logs:
            for run in log.runs:
                for result in run.results:
                    pending.append((log.source, run.tool, result))
        keys = occurrence_keys(
            [
                f"{tool_slug(tool)}.{r.rule_id}\x1f{r.path or ''}\x1f{r.key}"
                for _, tool, r in pending
            ]
        )
        return [
            finding(
                self.id, f"{tool_slug(tool)}.{result.rule_id}", result.message,
                severity=result.severity, path=result.path, start_line=result.start_line,
                end_line=result.end_line, key=key.split("\x1f", 2)[2], cwe=result.cwe,
                properties={"tool": tool, "sarif_file": source, **result.properties},
            )
            for (source, tool, result), key in zip(pending, keys, strict=True)
        ]  # fmt: skip

    def _measures(self, logs: list[SarifLog]) -> list[Measure]:
        counts: dict[str, Counter[str]] = {}
        for log in logs:
            for run in log.runs:
                tally = counts.setdefault(tool_slug(run.tool), Counter())
                tally["sarif.results"] += run.total
                tally["sarif.suppressed"] += run.suppressed
                tally["sarif.results_not_failing"] += run.not_failing
                tally["sarif.locations_dropped"] += sum(r.location_dropped for r in run.results)
        measures = [Measure(check_id=self.id, name="sarif.files", value=len(logs), unit="files")]
        for tool, tally in sorted(counts.items()):
            for name in ("sarif.results", "sarif.suppressed", "sarif.results_not_failing",
                         "sarif.locations_dropped"):  # fmt: skip
                measures.append(Measure(check_id=self.id, name=name, value=tally[name],
                                        unit="results", labels={"tool": tool}))  # fmt: skip
        return measures


def _versions(logs: Iterable[SarifLog]) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for log in logs:
        for run in log.runs:
            found.setdefault(tool_slug(run.tool), set()).add(run.version or "unknown")
    return {tool: ", ".join(sorted(versions)) for tool, versions in sorted(found.items())}
