"""The fields of an OSV record that Assay uses (https://ossf.github.io/osv-schema/).

The model is lenient where the format lets producers be: unknown fields are
ignored, ``null`` stands for an empty list or text, and range events stay plain
mappings here so that one malformed event makes its range unusable (reported at
match time) instead of losing the whole record. What is structurally wrong (an
``id`` that is not text, ``affected`` that is not a list) rejects the record,
with a message naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError


def _none_as_empty_list(value: object) -> object:
    return [] if value is None else value


def _none_as_empty_text(value: object) -> object:
    return "" if value is None else value


Text = Annotated[str, BeforeValidator(_none_as_empty_text)]


class _Lenient(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class SeverityScore(_Lenient):
    """A severity given by a scoring system: ``CVSS_V3`` / ``CVSS_V4`` vectors among others."""

    type: str
    score: str


class Package(_Lenient):
    ecosystem: str
    name: str


class Range(_Lenient):
    """Events bounding the affected versions; ``type`` says how versions compare."""

    type: str
    events: Annotated[list[dict[str, Any]], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )


class Affected(_Lenient):
    """One affected package: its ranges, its explicit versions, its own severity."""

    package: Package | None = None
    severity: Annotated[list[SeverityScore], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    ranges: Annotated[list[Range], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    versions: Annotated[list[str], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    ecosystem_specific: dict[str, Any] | None = None
    database_specific: dict[str, Any] | None = None


class Record(_Lenient):
    """One advisory."""

    id: str = Field(min_length=1)
    modified: datetime
    withdrawn: datetime | None = None
    aliases: Annotated[list[str], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    summary: Text = ""
    details: Text = ""
    severity: Annotated[list[SeverityScore], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    affected: Annotated[list[Affected], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    database_specific: dict[str, Any] | None = None


class RecordError(ValueError):
    """A JSON value is not an OSV record; the message names the field and the problem."""


def parse_record(data: object) -> Record:
    """The record in ``data`` (a decoded JSON value), or RecordError saying what is wrong."""
    if not isinstance(data, dict):
        raise RecordError(f"not an OSV record: a JSON {_json_type(data)}, not an object")
    try:
        return Record.model_validate(data)
    except ValidationError as exc:
        raise RecordError(_describe(data, exc)) from None


def utc_text(moment: datetime) -> str:
    """``moment`` as an ISO 8601 UTC text that sorts in time order (naive means UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _describe(data: dict[str, Any], error: ValidationError) -> str:
    name = data.get("id")
    who = f"record {name}" if isinstance(name, str) and name else "record"
    problems = [
        f"{'.'.join(str(part) for part in detail['loc']) or '(record)'}: {detail['msg']}"
        for detail in error.errors()[:3]
    ]
    more = error.error_count() - len(problems)
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"{who} is not valid OSV: {'; '.join(problems)}{suffix}"


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else type(value).__name__
