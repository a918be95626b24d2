"""The catalog format: pydantic models, published as JSON Schema (``assay schema catalog``)."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assay.model import Severity
from assay.policy.model import Condition, NoFindings, NoFindingsCondition


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class RelationType(StrEnum):
    """How a control relates to one of another standard (as set theory reads them)."""

    EQUAL = "equal"  # the two ask for the same
    SUBSET = "subset"  # meeting this one meets a part of the other
    SUPERSET = "superset"  # meeting this one meets all of the other, and more
    INTERSECTS = "intersects"  # they overlap


class Relation(_Strict):
    standard: str = Field(min_length=1, description="Id of the other catalog.")
    control: str = Field(min_length=1, description="Id of the control there, exactly.")
    type: RelationType
    rationale: str | None = Field(default=None, description="Why, in a sentence.")


class Evidence(_Strict):
    """What checks evidence the control, and when they make it pass."""

    checks: list[str] = Field(min_length=1, description="Ids of the checks.")
    condition: Condition = Field(
        default_factory=lambda: NoFindingsCondition(no_findings=NoFindings()),
        description="Pass condition over the checks' observations (default: no finding).",
    )
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Default parameters, per check id."
    )


class CatalogControl(_Strict):
    """A group of controls (it has ``controls``) or an assessable control (a leaf)."""

    id: str = Field(min_length=1, description="The official identifier, exactly: A.8.28, PW.7.2.")
    title: str = Field(min_length=1, description="A short title, in Assay's own words.")
    objective: str | None = Field(default=None, description="What it asks for, in our words.")
    severity: Severity = Severity.MEDIUM
    tags: list[str] = Field(default_factory=list)
    level: int | None = Field(default=None, ge=1, description="Maturity level, where the "
                              "standard has them (OpenSSF baseline, ASVS).")  # fmt: skip
    evidence: Evidence | None = None
    manual: bool = Field(
        default=False, description="A person must attest it (alone, or beside the evidence)."
    )
    relations: list[Relation] = Field(default_factory=list)
    controls: list[CatalogControl] = Field(default_factory=list)

    @model_validator(mode="after")
    def _group_or_assessable(self) -> CatalogControl:
        if self.controls and (self.evidence is not None or self.manual):
            raise ValueError(f"{self.id}: a group of controls has no evidence of its own")
        if not self.controls and self.evidence is None and not self.manual:
            raise ValueError(f"{self.id}: give its evidence (checks) or mark it manual")
        return self

    @property
    def assessable(self) -> bool:
        return not self.controls

    def walk(self) -> Iterator[CatalogControl]:
        yield self
        for child in self.controls:
            yield from child.walk()


class Catalog(_Strict):
    assay_catalog: Literal[1] = Field(alias="assay-catalog", description="Format version.")
    id: str = Field(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$", description="e.g. iso27001-2022.")
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    source: str = Field(min_length=1, description="The published standard this catalog follows.")
    url: str | None = None
    controls: list[CatalogControl] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalog:
        seen: set[str] = set()
        for control in self.walk():
            if control.id in seen:
                raise ValueError(f"control id {control.id!r} appears twice")
            seen.add(control.id)
        return self

    def walk(self) -> Iterator[CatalogControl]:
        for control in self.controls:
            yield from control.walk()

    def find(self, control_id: str) -> CatalogControl | None:
        return next((c for c in self.walk() if c.id == control_id), None)
