"""A package's advisories, evaluated in advance for every version position.

Within one version ordering (see :mod:`assay.vulndb.versions`) a version is only
ever *at* one of the versions the package's records name or *between* two of
them: a handful of positions. Which record entries affect a version depends on
its position alone, so an import works it out once for every position, and
matching a component becomes: parse its version, find its position, look the
affected entries up. The walk over a range's events (the OSV rules) runs here, at
import, in :func:`inside`.

Per package, the index stores one JSON document, laid out in columns of plain
strings and integers (decoding thousands of small nested objects would cost more
than the matching itself); entry ``e`` is an index into ``records``:

- ``records``: record ids (what a finding says about each entry, :class:`Details`,
  is stored apart, one row per entry, and read only for the entries that match);
- ``tables``: per scheme, the affected entries by position: ``starts`` (ascending
  positions, the first 0), ``members`` (entry numbers) and ``offsets`` (where the
  members of each start begin in ``members``, one more than ``starts``): a version
  at position ``p`` is affected by the members of the last start ``<= p``. Also
  ``ranged``: the entries with a range in that scheme, which cannot be evaluated
  for a version that is not valid in it. The native scheme's table includes the
  entries' explicit ``versions``;
- ``explicit_text``: ``e, version`` pairs for explicit versions that are not valid
  in the native scheme, compared as text;
- ``unusable``: ``e, reason`` pairs for what cannot be evaluated: an entry with no
  range and no versions, a range without ``introduced`` event, with an event of
  another kind, of a type that is not evaluated, or with a version that is not
  valid in its scheme.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assay.vulndb.affected import ORIGIN, Advisory, AffectedSpec, EventKind, RangeSpec
from assay.vulndb.versions import LABELS, Ordering, Scheme, VersionParser, build_ordering

# Below every version: where ``introduced: "0"`` sits.
BOTTOM = -1
INTRODUCED, FIXED, LAST_AFFECTED = 0, 1, 2
_CODES = {
    EventKind.INTRODUCED: INTRODUCED,
    EventKind.FIXED: FIXED,
    EventKind.LAST_AFFECTED: LAST_AFFECTED,
}
# Sorts after every position: a fixed version that is not valid in the native scheme.
UNPLACED = 2**62


@dataclass(frozen=True, kw_only=True, slots=True)
class Details:
    """What a finding says about one record entry."""

    record_id: str
    # The record's id and aliases: the one that names it (see ``primary_id``), the others.
    name: str
    aliases: Sequence[str]
    others: Sequence[str]
    summary: str
    # Sorted.
    cwe: Sequence[int]
    severity: str
    score: float | None
    severity_source: str
    # (position in the native ordering or UNPLACED, version), ascending.
    fixed: Sequence[tuple[int, str]]

    def to_json(self) -> str:
        return json.dumps(
            [self.name, list(self.aliases), list(self.others), self.summary, list(self.cwe),
             self.severity, self.score, self.severity_source, [list(p) for p in self.fixed]],
            separators=(",", ":"),
        )  # fmt: skip

    @classmethod
    def from_json(cls, record_id: str, text: str) -> Details:
        name, aliases, others, summary, cwe, severity, score, source, fixed = json.loads(text)
        return cls(
            record_id=record_id,
            name=name,
            aliases=aliases,
            others=others,
            summary=summary,
            cwe=cwe,
            severity=severity,
            score=score,
            severity_source=source,
            fixed=[(at, text) for at, text in fixed],
        )


@dataclass(frozen=True, slots=True)
class Table:
    """The entries affecting each position of one scheme (see the module docstring)."""

    starts: list[int]
    offsets: list[int]
    members: list[int]
    ranged: list[int]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A package's document, and the details of each of its entries (JSON texts)."""

    document: dict[str, Any]
    details: list[str]


class PreparedPackage:
    """A package's prepared document, decoded.

    The details of entry ``e`` are row ``details_from + e`` of the index, or
    ``inline_details[e]`` for a package prepared in memory.
    """

    def __init__(
        self,
        document: dict[str, Any],
        *,
        details_from: int | None = None,
        inline_details: list[str] | None = None,
    ) -> None:
        self.details_from = details_from
        self.inline_details = inline_details
        self.native: str = document["native"]
        self.orderings: dict[str, Ordering] = {
            scheme: Ordering.from_json(Scheme(scheme), item)
            for scheme, item in document["orderings"].items()
        }
        self.records: list[str] = document["records"]
        self.tables: dict[str, Table] = {
            scheme: Table(t["starts"], t["offsets"], t["members"], t["ranged"])
            for scheme, t in document["tables"].items()
        }
        self.explicit_text: list[Any] = document["explicit_text"]
        self.unusable: list[Any] = document["unusable"]


def prepare(
    native: Scheme, items: Sequence[tuple[Advisory, AffectedSpec]], parser: VersionParser
) -> Prepared:
    """The prepared document of a package's record entries (JSON-ready), and their details."""
    texts: dict[Scheme, set[str]] = {}
    for _, spec in items:
        for scheme, named in spec.version_texts().items():
            texts.setdefault(scheme, set()).update(named)
    orderings = {s.value: build_ordering(s, named, parser) for s, named in sorted(texts.items())}
    builder = _Builder(orderings, native)
    for advisory, spec in sorted(items, key=lambda pair: pair[0].id):
        builder.add(advisory, spec)
    return builder.document()


def inside(position: int, events: Sequence[tuple[int, int]], limits: Sequence[int]) -> bool:
    """Whether a version at ``position`` is in a range: the OSV walk over its events.

    ``events`` are (code, position) pairs sorted by position: an ``introduced`` at
    or below the version opens the range, a ``fixed`` at or below it closes it, a
    ``last_affected`` below it closes it. ``limits``, when any, cap the range: the
    version must be below one of them.
    """
    if limits and not any(position < limit for limit in limits):
        return False
    vulnerable = False
    for code, bound in events:
        if code == INTRODUCED:
            if position >= bound:
                vulnerable = True
        elif code == FIXED:
            if position >= bound:
                vulnerable = False
        elif position > bound:  # last_affected
            vulnerable = False
    return vulnerable


@dataclass(kw_only=True, slots=True)
class _Ranges:
    """A scheme's ranges and explicit versions while a package is being prepared."""

    ranges: list[tuple[int, list[tuple[int, int]], list[int]]] = field(default_factory=list)
    explicit: list[tuple[int, int]] = field(default_factory=list)

    def table(self) -> dict[str, list[int]]:
        # Membership changes only at a bound (p >= e, p < limit, p == explicit) or just
        # after it (p > e), so these positions are all the table needs.
        bounds = [at for _, events, _ in self.ranges for _, at in events]
        bounds += [at for _, _, limits in self.ranges for at in limits]
        bounds += [at for _, at in self.explicit]
        candidates = sorted({0} | {p for at in bounds if at >= 0 for p in (at, at + 1)})
        starts: list[int] = []
        offsets: list[int] = [0]
        members: list[int] = []
        previous: list[int] | None = None
        for position in candidates:
            found = {entry for entry, at in self.explicit if at == position}
            found |= {e for e, events, limits in self.ranges if inside(position, events, limits)}
            current = sorted(found)
            if current != previous:
                starts.append(position)
                members.extend(current)
                offsets.append(len(members))
                previous = current
        ranged = sorted({entry for entry, _, _ in self.ranges})
        return {"starts": starts, "offsets": offsets, "members": members, "ranged": ranged}


class _Builder:
    def __init__(self, orderings: dict[str, Ordering], native: Scheme) -> None:
        self.orderings = orderings
        self.native = native
        self.records: list[str] = []
        self.details: list[Details] = []
        self.explicit_text: list[Any] = []
        self.unusable: list[Any] = []
        self.schemes: dict[str, _Ranges] = {}

    def place(self, text: str) -> int | None:
        ordering = self.orderings.get(self.native.value)
        return ordering.bound(text) if ordering is not None else None

    def add(self, advisory: Advisory, spec: AffectedSpec) -> None:
        entry = len(self.records)
        fixed = sorted(
            (UNPLACED if (at := self.place(text)) is None else at, text) for text in spec.fixed
        )
        name = advisory.name
        others = sorted({advisory.id, *advisory.aliases} - {name})
        details = Details(
            record_id=advisory.id, name=name, aliases=advisory.aliases, others=others,
            summary=advisory.summary,
            cwe=advisory.cwe, severity=spec.severity.value, score=spec.score,
            severity_source=spec.severity_source, fixed=fixed,
        )  # fmt: skip
        self.records.append(advisory.id)
        self.details.append(details)
        if spec.problem:
            self.unusable.extend((entry, spec.problem))
        for text in spec.versions:
            at = self.place(text)
            if at is None:
                self.explicit_text.extend((entry, text))
            else:
                self.schemes.setdefault(self.native.value, _Ranges()).explicit.append((entry, at))
        for item in spec.ranges:
            self.add_range(entry, item)

    def add_range(self, entry: int, item: RangeSpec) -> None:
        if item.problem is not None or item.scheme is None:
            self.unusable.extend((entry, item.problem or "the range has no version scheme"))
            return
        ordering = self.orderings.get(item.scheme.value)
        placed: list[tuple[int, int]] = []
        limits: list[int] = []
        for kind, text in item.events:
            position = BOTTOM if kind is EventKind.INTRODUCED and text == ORIGIN else None
            if position is None and ordering is not None:
                position = ordering.bound(text)
            if position is None:
                label = LABELS[item.scheme]
                why = f"its {kind.value} version {text!r} is not a valid {label} version"
                self.unusable.extend((entry, why))
                return
            if kind is EventKind.LIMIT:
                limits.append(position)
            else:
                placed.append((position, _CODES[kind]))
        events = [(code, at) for at, code in sorted(placed, key=lambda pair: pair[0])]  # stable
        self.schemes.setdefault(item.scheme.value, _Ranges()).ranges.append((entry, events, limits))

    def document(self) -> Prepared:
        document = {
            "native": self.native.value,
            "orderings": {s: o.to_json() for s, o in sorted(self.orderings.items())},
            "records": self.records,
            "tables": {s: ranges.table() for s, ranges in sorted(self.schemes.items())},
            "explicit_text": self.explicit_text,
            "unusable": self.unusable,
        }
        return Prepared(document=document, details=[d.to_json() for d in self._remedies()])

    def _remedies(self) -> list[Details]:
        """The details, with the fixes of every entry of a record given to each of them.

        A record can name the package in several entries (one per branch): each
        entry's remedy is all of the record's fixed versions.
        """
        fixes: dict[str, set[tuple[int, str]]] = {}
        for details in self.details:
            fixes.setdefault(details.record_id, set()).update(details.fixed)
        return [
            dataclasses.replace(d, fixed=sorted(fixes[d.record_id]))
            if self.records.count(d.record_id) > 1
            else d
            for d in self.details
        ]
