"""What one OSV record says about each package it affects, in the form matching needs.

A record becomes an :class:`Advisory` (ids, summary, CWE ids) and one
:class:`AffectedSpec` per affected package of an ecosystem Assay matches. The
structural problems of a range (no ``introduced`` event, an event that is not one
of the four kinds, a range type that is neither ``SEMVER``, ``ECOSYSTEM`` nor
``GIT``) are kept on the range: matching reports them for each component of the
package instead of silently treating the range as "not affected". ``GIT`` ranges
are left out: they name commits, not releases. Whether the versions parse is
settled later, against the package's version ordering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assay.deps.model import Ecosystem
from assay.model import Severity
from assay.vulndb.osv import Affected, Range, Record, utc_text
from assay.vulndb.severity import rate
from assay.vulndb.versions import NATIVE, Scheme, scheme_for

_ECOSYSTEMS = {member.value: member for member in Ecosystem}
_CWE = re.compile(r"CWE-(\d+)$")
_SUMMARY_LIMIT = 200
# The version ``introduced: "0"`` stands for "every version from the first one".
ORIGIN = "0"


class EventKind(StrEnum):
    INTRODUCED = "introduced"
    FIXED = "fixed"
    LAST_AFFECTED = "last_affected"
    LIMIT = "limit"


_EVENT_KINDS = {kind.value: kind for kind in EventKind}


@dataclass(frozen=True, kw_only=True, slots=True)
class RangeSpec:
    """One range: its scheme and events in record order, and why it cannot be evaluated if so."""

    scheme: Scheme | None
    events: tuple[tuple[EventKind, str], ...] = ()
    problem: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AffectedSpec:
    """One affected package of one record."""

    ecosystem: Ecosystem
    name: str
    ranges: tuple[RangeSpec, ...]
    versions: tuple[str, ...]
    # Why nothing of this entry can be evaluated (no usable range and no versions).
    problem: str | None
    severity: Severity
    score: float | None
    severity_source: str

    @property
    def fixed(self) -> tuple[str, ...]:
        """The versions that fix it, in record order, without repeats."""
        found = (
            version
            for spec in self.ranges
            for kind, version in spec.events
            if kind is EventKind.FIXED
        )
        return tuple(dict.fromkeys(found))

    def version_texts(self) -> dict[Scheme, set[str]]:
        """Every version this entry names, by the scheme it is compared in."""
        texts: dict[Scheme, set[str]] = {}
        if self.versions:
            texts.setdefault(NATIVE[self.ecosystem], set()).update(self.versions)
        for spec in self.ranges:
            if spec.scheme is not None:
                texts.setdefault(spec.scheme, set()).update(
                    v for kind, v in spec.events if (kind, v) != (EventKind.INTRODUCED, ORIGIN)
                )
        return texts

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ranges": [
                {
                    "scheme": spec.scheme,
                    "events": [[kind.value, version] for kind, version in spec.events],
                    "problem": spec.problem,
                }
                for spec in self.ranges
            ],
            "versions": list(self.versions),
            "problem": self.problem,
            "severity": self.severity.value,
            "score": self.score,
            "severity_source": self.severity_source,
        }

    @classmethod
    def from_json(cls, ecosystem: Ecosystem, data: dict[str, Any]) -> AffectedSpec:
        return cls(
            ecosystem=ecosystem,
            name=data["name"],
            ranges=tuple(
                RangeSpec(
                    scheme=None if item["scheme"] is None else Scheme(item["scheme"]),
                    events=tuple((EventKind(kind), version) for kind, version in item["events"]),
                    problem=item["problem"],
                )
                for item in data["ranges"]
            ),
            versions=tuple(data["versions"]),
            problem=data["problem"],
            severity=Severity(data["severity"]),
            score=data["score"],
            severity_source=data["severity_source"],
        )


# Which id names an advisory known under several: a CVE id, then a GHSA id, then any.
_PREFERENCE = ("CVE-", "GHSA-")


def id_rank(identifier: str) -> tuple[int, str]:
    """Sort key of ids by preference for naming an advisory."""
    for order, prefix in enumerate(_PREFERENCE):
        if identifier.startswith(prefix):
            return order, identifier
    return len(_PREFERENCE), identifier


def primary_id(ids: Iterable[str]) -> str:
    """The id an advisory is shown under: a CVE id, else a GHSA id, else the first id."""
    return min(ids, key=id_rank)


@dataclass(frozen=True, kw_only=True, slots=True)
class Advisory:
    """What a finding says about a record: its ids, summary and weaknesses."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    cwe: tuple[int, ...]
    modified: str

    @property
    def name(self) -> str:
        """The id a finding about this record alone is named by."""
        return primary_id((self.id, *self.aliases))


@dataclass(frozen=True, kw_only=True, slots=True)
class CompiledRecord:
    advisory: Advisory
    entries: tuple[AffectedSpec, ...]
    # Ecosystems of affected packages that Assay does not match (Debian:12, GIT ...).
    unsupported: tuple[str, ...]


def compile_record(record: Record) -> CompiledRecord:
    """The advisory and the affected packages of ``record``."""
    entries: list[AffectedSpec] = []
    unsupported: list[str] = []
    for affected in record.affected:
        if affected.package is None:
            continue  # a repository-only entry (GIT ranges): no package to match
        ecosystem = _ECOSYSTEMS.get(affected.package.ecosystem)
        if ecosystem is None or not affected.package.name:
            unsupported.append(affected.package.ecosystem or "(empty)")
            continue
        entries.append(_entry(record, affected, ecosystem))
    return CompiledRecord(
        advisory=Advisory(
            id=record.id,
            aliases=tuple(sorted(set(record.aliases) - {record.id})),
            summary=_summary(record),
            cwe=_cwe_ids(record.database_specific),
            modified=utc_text(record.modified),
        ),
        entries=tuple(entries),
        unsupported=tuple(unsupported),
    )


def _entry(record: Record, affected: Affected, ecosystem: Ecosystem) -> AffectedSpec:
    assert affected.package is not None
    ranges = tuple(
        _range(number, item, ecosystem)
        for number, item in enumerate(affected.ranges, 1)
        if item.type != "GIT"
    )
    problem = None
    if not ranges and not affected.versions:
        only_git = bool(affected.ranges)
        problem = (
            "it has only GIT ranges (commits, not releases) and no versions list"
            if only_git
            else "it has neither a SEMVER or ECOSYSTEM range nor a versions list"
        )
    rating = rate(record, affected)
    return AffectedSpec(
        ecosystem=ecosystem,
        name=affected.package.name,
        ranges=ranges,
        versions=tuple(dict.fromkeys(affected.versions)),
        problem=problem,
        severity=rating.severity,
        score=rating.score,
        severity_source=rating.source,
    )


def _range(number: int, item: Range, ecosystem: Ecosystem) -> RangeSpec:
    scheme = scheme_for(ecosystem, item.type)
    if scheme is None:
        return RangeSpec(
            scheme=None, problem=f"range {number} has type {item.type!r}, which is not evaluated"
        )
    events: list[tuple[EventKind, str]] = []
    problem = None
    for index, event in enumerate(item.events, 1):
        parsed = _event(event)
        if parsed is not None:
            events.append(parsed)
        elif problem is None:
            problem = (
                f"range {number}, event {index} is not one of introduced, fixed, "
                "last_affected or limit with a version"
            )
    if problem is None and not any(kind is EventKind.INTRODUCED for kind, _ in events):
        problem = f"range {number} has no introduced event"
    # A range that cannot be evaluated keeps its events: its fixed versions are still the remedy.
    return RangeSpec(scheme=scheme, events=tuple(events), problem=problem)


def _event(event: dict[str, Any]) -> tuple[EventKind, str] | None:
    if len(event) != 1:
        return None
    ((key, value),) = event.items()
    kind = _EVENT_KINDS.get(key)
    if kind is None or not isinstance(value, str) or not value.strip():
        return None
    return kind, value


def _summary(record: Record) -> str:
    text = record.summary.strip() or next(iter(record.details.strip().splitlines()), "")
    text = " ".join(text.split())
    return text if len(text) <= _SUMMARY_LIMIT else text[: _SUMMARY_LIMIT - 1] + "…"


def _cwe_ids(data: dict[str, Any] | None) -> tuple[int, ...]:
    raw = (data or {}).get("cwe_ids")
    if not isinstance(raw, list):
        return ()
    found = {
        int(match.group(1))
        for item in raw
        if isinstance(item, str) and (match := _CWE.match(item.strip()))
    }
    return tuple(sorted(found))
