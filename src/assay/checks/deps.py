"""Dependency inventory: every manifest and lock file read, components counted.

The check's findings are the files Assay could not read (a lock file nobody can
read is a dependency nobody can audit) and the entries a parser had to skip.
Its measures say how many components the product has, direct and transitive,
and how many of the direct ones are pinned to an exact version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, finding
from assay.deps.inventory import DEFAULT_MAX_SIZE, Inventory, collect
from assay.deps.model import Component
from assay.model import Finding, Measure, Severity
from assay.snapshot.base import Snapshot

# CWE-1104: use of unmaintained (here: unauditable) third-party components.
_CWE_UNAUDITABLE = 1104


class DepsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    max_file_size: int = Field(
        default=DEFAULT_MAX_SIZE,
        ge=1,
        description="Dependency files larger than this many bytes are reported, not read.",
    )


class DepsInventoryCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = "deps.inventory"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Reads every manifest and lock file into components; reports files it cannot read."
    )
    Params: ClassVar[type[BaseModel]] = DepsParams

    def run(self, snapshot: Snapshot, params: DepsParams) -> CheckOutput:
        inventory = collect(snapshot, max_size=params.max_file_size)
        if not inventory.files and not inventory.errors:
            return CheckOutput(not_applicable="no dependency manifest or lock file")
        return CheckOutput(findings=self._findings(inventory), measures=self._measures(inventory))

    def _findings(self, inventory: Inventory) -> list[Finding]:
        found = [
            finding(self.id, "deps.unreadable", f"{error}", severity=Severity.MEDIUM,
                    path=error.path, start_line=error.line, end_line=error.line,
                    cwe=[_CWE_UNAUDITABLE])
            for error in inventory.errors
        ]  # fmt: skip
        for parsed in inventory.files:
            found.extend(
                finding(self.id, "deps.skipped-entry", f"{parsed.path}: {problem.message}",
                        severity=Severity.LOW, path=parsed.path, start_line=problem.line,
                        end_line=problem.line, key=problem.message)
                for problem in parsed.problems
            )  # fmt: skip
        found.extend(
            finding(self.id, "deps.parser-unavailable", f"parser {fmt} cannot be loaded: {why}",
                    severity=Severity.MEDIUM, key=fmt)
            for fmt, why in sorted(inventory.broken_parsers.items())
        )  # fmt: skip
        return found

    def _measures(self, inventory: Inventory) -> list[Measure]:
        unique = inventory.unique()

        def measure(name: str, value: float, unit: str = "components") -> Measure:
            return Measure(check_id=self.id, name=name, value=value, unit=unit)

        measures = [
            measure("deps.files", len(inventory.files), "files"),
            measure("deps.components", len(unique)),
            measure("deps.direct", sum(1 for c in unique if c.direct is True)),
            measure("deps.transitive", sum(1 for c in unique if c.direct is False)),
            measure("deps.directness_unknown", sum(1 for c in unique if c.direct is None)),
            measure("deps.unreadable_files", len(inventory.errors), "files"),
        ]
        share = pinned_share(inventory)
        if share is not None:
            measures.append(measure("deps.direct_pinned", share, "%"))
        return measures


def pinned_share(inventory: Inventory) -> float | None:
    """Percentage of direct dependencies that their manifests pin to one exact version."""
    declared: Sequence[Component] = [
        c for f in inventory.files if f.kind == "manifest" for c in f.components if c.direct
    ]
    if not declared:
        return None
    pinned = sum(1 for c in declared if c.version is not None)
    return round(100.0 * pinned / len(declared), 1)
