"""What ``assay standards`` shows: a catalog's controls, one control, and its coverage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from assay.standards.model import Catalog, CatalogControl, RelationType


class Coverage(StrEnum):
    """How an assessable control is assessed."""

    AUTOMATED = "automated"  # checks alone decide it
    PARTIAL = "partial"  # checks give evidence, a person attests the rest
    MANUAL = "manual"  # a person attests it


def coverage_of(control: CatalogControl) -> Coverage:
    if control.evidence is None:
        return Coverage.MANUAL
    return Coverage.PARTIAL if control.manual else Coverage.AUTOMATED


@dataclass(frozen=True, kw_only=True, slots=True)
class IncomingRelation:
    """A control of another catalog that names this one."""

    standard: str
    control: str
    type: RelationType  # as the other control states it
    rationale: str | None


def incoming(
    catalogs: Mapping[str, Catalog], standard: str, control_id: str
) -> list[IncomingRelation]:
    """Relations that other catalogs' controls declare towards ``standard`` ``control_id``."""
    found = []
    for other in catalogs.values():
        for control in other.walk():
            for relation in control.relations:
                if relation.standard == standard and relation.control == control_id:
                    found.append(IncomingRelation(standard=other.id, control=control.id,
                                                  type=relation.type,
                                                  rationale=relation.rationale))  # fmt: skip
    return found


def coverage_counts(controls: Iterable[CatalogControl]) -> dict[Coverage, int]:
    counts = dict.fromkeys(Coverage, 0)
    for control in controls:
        if control.assessable:
            counts[coverage_of(control)] += 1
    return counts
