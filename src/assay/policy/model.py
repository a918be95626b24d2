"""The policy schema: which controls apply, what evidences them, with which parameters.

A policy file is YAML validated by these models; ``assay policy schema`` prints
their JSON Schema for editors. The built-in ``assay-baseline`` is a policy file
like any other.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from assay.model import Severity
from assay.ratings.rules import CHARACTERISTICS, Evidence

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$")
_UNITS = {
    None: 1, "B": 1, "KB": 1000, "KiB": 1024, "MB": 1000**2, "MiB": 1024**2,
    "GB": 1000**3, "GiB": 1024**3,
}  # fmt: skip


def _parse_size(value: object) -> object:
    """Accept sizes such as ``2 MiB`` or ``500KB`` besides a plain number of bytes."""
    if isinstance(value, bool):
        raise ValueError("expected a size such as 2097152, '2 MiB' or '500 KB', not true/false")
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match is None:
            raise ValueError("expected a size such as 2097152, '2 MiB' or '500 KB'")
        size = float(match[1]) * _UNITS[match[2]]
        if not size.is_integer():
            raise ValueError(f"{value!r} is not a whole number of bytes")
        return int(size)
    return value


ByteSize = Annotated[int, BeforeValidator(_parse_size), Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Enforcement(StrEnum):
    ENFORCE = "enforce"  # failing gives `fail` and a non-zero exit
    WARN = "warn"  # failing gives `warn`; reported, never blocking


class NoFindings(_Strict):
    rules: list[str] = Field(
        default_factory=lambda: ["*"], description="Glob patterns of finding rules that count."
    )
    min_severity: Severity = Field(
        default=Severity.INFO, description="Findings below this severity do not count."
    )


class NoFindingsCondition(_Strict):
    """Pass when the control's checks yield no finding matching ``rules`` at ``min_severity``+."""

    no_findings: NoFindings


class MeasureBound(_Strict):
    name: str = Field(description="Measure name, e.g. days_since_last_commit.")
    labels: dict[str, str] = Field(
        default_factory=dict, description="Labels the measure must carry."
    )
    min: float | None = Field(default=None, description="Pass when the value is at least this.")
    max: float | None = Field(default=None, description="Pass when the value is at most this.")


class MeasureCondition(_Strict):
    """Pass when the named measure lies within the bounds."""

    measure: MeasureBound


Condition = NoFindingsCondition | MeasureCondition


class Control(_Strict):
    id: str = Field(min_length=1, description="Identifier, unique in the policy.")
    title: str = Field(min_length=1)
    objective: str | None = Field(default=None, description="Why the control exists.")
    severity: Severity = Severity.MEDIUM
    enforcement: Enforcement = Enforcement.ENFORCE
    checks: list[str] = Field(
        default_factory=list, description="Ids of the checks whose observations evidence it."
    )
    condition: Condition = Field(
        default_factory=lambda: NoFindingsCondition(no_findings=NoFindings()),
        description="Pass condition over the checks' observations (default: no finding).",
    )
    pass_reason: str | None = Field(
        default=None, description="One line shown when the control passes."
    )
    manual: bool = Field(
        default=False,
        description="A person must attest it: alone, or (with checks) once its checks pass.",
    )


class ProductMatch(_Strict):
    """The products a rule is for: each key given must match (any one of its values).

    An empty match is every product. ``languages`` are the languages present in the
    product's files (by name and extension, as ``inventory.languages`` counts them).
    """

    products: list[str] = Field(default_factory=list, description="Product names.")
    tier: list[Annotated[int, Field(ge=1, le=3)]] = Field(
        default_factory=list, description="Tiers, 1 = most critical ... 3."
    )
    team: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list, description="The product has one of these.")
    data_classification: list[str] = Field(default_factory=list)
    languages: list[str] = Field(
        default_factory=list, description="One of these languages is present (e.g. python)."
    )

    @property
    def specificity(self) -> int:
        """How many keys the rule sets: the more, the more specific it is."""
        return sum(1 for name in type(self).model_fields if getattr(self, name))


# A control selector: an id or glob on ids (AB-SEC-*, iso27001-2022:A.8.*), or tag:NAME.
Selector = Annotated[str, Field(min_length=1)]


class Extension(_Strict):
    """A standard (catalog) or another policy whose controls this policy takes on."""

    standard: str | None = Field(
        default=None, description="Built-in catalog id, or a catalog file (relative path)."
    )
    policy: str | None = Field(
        default=None, description="Built-in policy, or a policy file (relative path)."
    )
    select: list[Selector] = Field(
        default_factory=list,
        description="Of a standard, only these controls (ids or globs within it, or tag:NAME); "
        "default: every assessable control.",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Extension:
        if (self.standard is None) == (self.policy is None):
            raise ValueError("give either standard or policy, not both and not neither")
        if self.policy is not None and self.select:
            raise ValueError("select applies to a standard; a policy is taken whole")
        return self


class ScopeRule(_Strict):
    """The selected controls apply only to the products ``when`` matches."""

    controls: list[Selector] = Field(min_length=1)
    when: ProductMatch


class Exclusion(_Strict):
    """The selected controls do not apply (where ``when`` matches, or everywhere)."""

    controls: list[Selector] = Field(min_length=1)
    when: ProductMatch = Field(default_factory=ProductMatch)
    justification: str = Field(min_length=1, description="Why the controls do not apply.")
    approver: str = Field(min_length=1, description="Who approved the exclusion.")


class Threshold(_Strict):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> Threshold:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        return self


class ParameterRule(_Strict):
    """Parameters, thresholds and severities for the products ``when`` matches."""

    when: ProductMatch = Field(default_factory=ProductMatch)
    checks: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Check parameters, per check id."
    )
    thresholds: dict[Selector, Threshold] = Field(
        default_factory=dict, description="Bounds of measure conditions, per control selector."
    )
    severity: dict[Selector, Severity] = Field(
        default_factory=dict, description="Severity, per control selector."
    )


class Limits(_Strict):
    max_file_size: ByteSize = Field(
        default=2 * 1024 * 1024,
        description="Files larger than this are skipped (bytes or '2 MiB').",
    )
    check_timeout: float = Field(
        default=60.0, gt=0, description="Seconds a check may run on one product before it errors."
    )


class Policy(_Strict):
    assay_policy: Literal[1] = Field(alias="assay-policy", description="Schema version.")
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str | None = None
    limits: Limits = Field(default_factory=Limits)
    checks: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Parameters per check id; a check listed here runs even if no control uses it.",
    )
    controls: list[Control] = Field(default_factory=list)
    extends: list[Extension] = Field(
        default_factory=list, description="Standards and policies whose controls apply too."
    )
    scope: list[ScopeRule] = Field(
        default_factory=list, description="Controls that apply only to some products."
    )
    exclude: list[Exclusion] = Field(
        default_factory=list, description="Controls that do not apply, with why and who agreed."
    )
    parameters: list[ParameterRule] = Field(
        default_factory=list, description="Parameters, thresholds and severities per products."
    )
    ratings: dict[str, list[Evidence]] | None = Field(
        default=None,
        description=(
            "ISO/IEC 25010 rating rules by 'characteristic.sub-characteristic'; "
            "absent: the built-in rules (docs/ratings.md)."
        ),
    )

    @field_validator("ratings")
    @classmethod
    def _known_characteristics(
        cls, ratings: dict[str, list[Evidence]] | None
    ) -> dict[str, list[Evidence]] | None:
        for key in ratings or {}:
            characteristic, _, sub = key.partition(".")
            if sub not in CHARACTERISTICS.get(characteristic, ()):
                raise ValueError(
                    f"ratings: {key!r} is not an ISO/IEC 25010 'characteristic.sub-characteristic'"
                    " (e.g. maintainability.analysability; names in docs/ratings.md)"
                )
        return ratings
