"""The shape every Python SAST adapter shares: parameters, and the run from snapshot to output.

An adapter says which files its tool reads and how to run it on a folder; the rest is
the same for all: not applicable without Python files, ``error`` without the tool, the
tool's version recorded, the files written to a temporary folder, findings keyed by
their source context, the same measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput
from assay.checks.sast._issues import Issue, findings_of, sast_measures, unparsable_findings
from assay.checks.sast._materialize import Materialized, materialize
from assay.checks.sast._tools import (
    PYTHON_EXTRA,
    ToolError,
    require_tool,
    tool_salt,
    tool_version,
)
from assay.sarif.shape import ShapeError
from assay.snapshot.base import Snapshot

DEFAULT_TIMEOUT_S = 600.0
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


class SastParams(BaseModel):
    """Parameters of every SAST adapter.

    There is deliberately no way to pass extra arguments to a tool: a policy could
    otherwise make it load plugins, read configuration from the product, or write files.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    timeout_s: float = Field(
        default=DEFAULT_TIMEOUT_S, gt=0, description="Seconds the tool may run on one product."
    )
    max_file_bytes: int = Field(
        default=DEFAULT_MAX_FILE_BYTES, ge=1, description="Larger files are skipped and counted."
    )
    honour_inline_suppressions: bool = Field(
        default=True,
        description="Whether the tool's own inline comments (# nosec, # noqa) silence an issue.",
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class ToolReport:
    """What a tool said about the folder, with repository paths."""

    issues: list[Issue] = field(default_factory=list)
    # Files the tool could not parse, and why: they were not analysed.
    unparsable: Mapping[str, str] = field(default_factory=dict)
    # Issues silenced by inline comments, when the tool says how many.
    suppressed: int | None = None


class PythonToolCheck:
    """A product check running one Python analyzer; subclasses say how to run and read it."""

    kind: ClassVar[Literal["product"]] = "product"
    # The tool reads only the commit's files, so its output is cached by tree id.
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    version: ClassVar[str] = "1"
    id: ClassVar[str]
    tool: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]
    Params: ClassVar[type[BaseModel]] = SastParams

    def cache_salt(self, params: SastParams) -> str:
        return tool_salt(self.tool)

    def run(self, snapshot: Snapshot, params: SastParams) -> CheckOutput:
        wanted = [entry for entry in snapshot.entries if entry.path.endswith(self.suffixes)]
        if not wanted:
            patterns = ", ".join(f"*{suffix}" for suffix in self.suffixes)
            return CheckOutput(not_applicable=f"no Python files ({patterns})")
        executable = require_tool(self.tool, PYTHON_EXTRA)
        version = tool_version(executable, self.tool)
        with materialize(snapshot, wanted, max_file_bytes=params.max_file_bytes) as tree:
            report = self.analyse(executable, tree, params) if tree.files else ToolReport()
            findings = findings_of(self.id, report.issues, tree.lines)
            analysed = len(tree.files) - len(report.unparsable)
            skipped = tree.skipped
        findings += unparsable_findings(self.id, self.tool, report.unparsable)
        measures = sast_measures(
            self.id, analysed=analysed, findings=findings, skipped=skipped,
            unparsable=len(report.unparsable), suppressed=report.suppressed,
        )  # fmt: skip
        return CheckOutput(findings=findings, measures=measures, tool_versions={self.tool: version})

    def analyse(self, executable: Path, tree: Materialized, params: SastParams) -> ToolReport:
        raise NotImplementedError

    def unexpected(self, error: ShapeError) -> ToolError:
        return ToolError(f"{self.tool} wrote JSON of an unexpected shape: {error}")

    def repo_path(self, tree: Materialized, reported: Any) -> str:
        """The repository path of a file the tool named; it must be one it was given."""
        path = tree.repo_path(reported) if isinstance(reported, str) else None
        if path is None:
            raise ToolError(f"{self.tool} reported a file it was not given: {reported!r}")
        return path
