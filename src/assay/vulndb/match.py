"""Which advisories affect which components, with each ecosystem's version semantics.

For one component and one record entry about its package, in the words of the
OSV schema: the component is affected when its version is in the entry's
``versions`` list, or inside one of its ``SEMVER`` / ``ECOSYSTEM`` ranges. A range
is walked over its events sorted by version (``introduced: "0"`` first, ties in
record order): an ``introduced`` at or below the version opens it, a ``fixed`` at
or below closes it, a ``last_affected`` below closes it; ``limit`` events, when
present, cap it (the version must be below one of them). ``GIT`` ranges are not
evaluated; ``withdrawn`` records are not in the index. The walk runs at import,
for every position a version can take (:mod:`assay.vulndb.prepared`); here a
component's version is placed and the entries of its position looked up.

Fail closed: when an entry does not say "affected" but some part of it could not
be evaluated (a range without ``introduced``, a version that does not parse in
the ecosystem's scheme, a component version that does not parse either), the
result is *unevaluated*, with the reasons, never "not affected".

Records known under several ids (a GHSA and a PYSEC record with the same CVE
alias) are merged into one :class:`Vulnerability` per component, named by the
first of its ids in this order: a CVE id, then a GHSA id, then any other; ties
alphabetical.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assay.deps.model import Component
from assay.deps.purl import package_key
from assay.model import Severity
from assay.vulndb.affected import id_rank, primary_id
from assay.vulndb.index import PackageKey, VulnIndex
from assay.vulndb.prepared import UNPLACED, Details, PreparedPackage
from assay.vulndb.versions import LABELS, Ordering, Scheme, VersionParser

_PACKAGES_AT_ONCE = 500


class HitStatus(StrEnum):
    AFFECTED = "affected"
    # The record could not be evaluated for this component; it may affect it.
    UNEVALUATED = "unevaluated"


@dataclass(frozen=True, kw_only=True, slots=True)
class Vulnerability:
    """One advisory (all its records merged) that affects, or may affect, one component."""

    id: str
    # Every other id the advisory is known under, sorted.
    aliases: tuple[str, ...]
    # The ids of the database records that matched.
    records: tuple[str, ...]
    status: HitStatus
    # Why it could not be evaluated (empty when affected).
    reasons: tuple[str, ...]
    summary: str
    severity: Severity
    score: float | None
    severity_source: str
    cwe: tuple[int, ...]
    # Versions that fix it, ascending.
    fixed: tuple[str, ...]
    # The lowest fixed version above the component's version, when one is known.
    upgrade_to: str | None


@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentVulnerabilities:
    component: Component
    vulnerabilities: tuple[Vulnerability, ...]


def match_components(
    components: Sequence[Component], index: VulnIndex
) -> tuple[ComponentVulnerabilities, ...]:
    """Every component of ``components`` that has an exact version, with what affects it."""
    with _collector_paused():
        return _match(components, index)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while matching.

    Matching allocates tens of thousands of small objects that never form cycles
    (reference counting frees them as usual); meanwhile the collector would walk
    every live object of the process again and again, a quarter of the matching
    time in the benchmark.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _match(
    components: Sequence[Component], index: VulnIndex
) -> tuple[ComponentVulnerabilities, ...]:
    by_package: dict[PackageKey, list[int]] = {}
    for number, component in enumerate(components):
        if component.version:
            by_package.setdefault(_key(component), []).append(number)
    parser = VersionParser()
    found: dict[int, tuple[Vulnerability, ...]] = {}
    keys = sorted(by_package)
    # A few hundred packages at a time: what is done with is freed, so the garbage
    # collector does not walk the whole database's worth of objects again and again.
    for start in range(0, len(keys), _PACKAGES_AT_ONCE):
        chunk = keys[start : start + _PACKAGES_AT_ONCE]
        evaluated: list[tuple[list[int], _Located, list[_Found]]] = []
        for key, package in index.packages(chunk).items():
            # The same package at the same version in several files is evaluated once.
            versions: dict[str, list[int]] = {}
            for number in by_package[key]:
                versions.setdefault(components[number].version or "", []).append(number)
            for version, numbers in versions.items():
                located = _Located(key, package, version, parser)
                hits = _evaluate(located)
                if hits:
                    evaluated.append((numbers, located, hits))
        details = index.details(
            (located.key, located.package, hit.entry)
            for _, located, hits in evaluated
            for hit in hits
        )
        for numbers, located, hits in evaluated:
            vulnerabilities = _merge(
                [_Hit(details[(located.key, h.entry)], h.status, h.reasons) for h in hits],
                located,
            )
            found.update((number, vulnerabilities) for number in numbers)
    return tuple(
        ComponentVulnerabilities(component=components[number], vulnerabilities=found[number])
        for number in sorted(found)
    )


def _key(component: Component) -> PackageKey:
    return (component.ecosystem, package_key(component.ecosystem, component.name))


# --------------------------------------------------------------------------- one component


class _Located:
    """A component's version and where it sits in each ordering of its package (lazily)."""

    def __init__(
        self, key: PackageKey, package: PreparedPackage, version: str, parser: VersionParser
    ) -> None:
        self.key = key
        self.package = package
        self.version = version
        self._parser = parser
        self._positions: dict[str, int | None] = {}

    def at(self, scheme: str) -> int | None:
        """Position in ``scheme``'s ordering; None when the version is not valid there."""
        try:
            return self._positions[scheme]
        except KeyError:
            pass
        ordering = self.package.orderings.get(scheme) or Ordering(
            scheme=Scheme(scheme), heads=(), ties={}, invalid=frozenset()
        )
        position = ordering.position(self.version, self._parser)
        self._positions[scheme] = position
        return position


@dataclass(frozen=True, slots=True)
class _Found:
    """An entry that affects the component, or could not be evaluated for it."""

    entry: int
    status: HitStatus
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Hit:
    details: Details
    status: HitStatus
    reasons: tuple[str, ...]


def _evaluate(located: _Located) -> list[_Found]:
    """The package's entries that affect the component, or could not be evaluated for it."""
    package = located.package
    affected: set[int] = set()
    reasons: dict[int, list[str]] = {}
    for scheme, table in package.tables.items():
        position = located.at(scheme)
        if position is None:
            label = LABELS[Scheme(scheme)]
            why = f"the version {located.version!r} is not a valid {label} version"
            for entry in table.ranged:
                reasons.setdefault(entry, []).append(why)
            continue
        row = bisect.bisect_right(table.starts, position) - 1
        affected.update(table.members[table.offsets[row] : table.offsets[row + 1]])
    texts = package.explicit_text
    affected.update(texts[i] for i in range(0, len(texts), 2) if texts[i + 1] == located.version)
    unusable = package.unusable
    for i in range(0, len(unusable), 2):
        reasons.setdefault(unusable[i], []).append(unusable[i + 1])
    hits = [_Found(e, HitStatus.AFFECTED, ()) for e in sorted(affected)]
    hits.extend(
        _Found(e, HitStatus.UNEVALUATED, tuple(dict.fromkeys(why)))
        for e, why in sorted(reasons.items())
        if e not in affected
    )
    return hits


# --------------------------------------------------------------------------- merging


_SEVERITIES = {member.value: member for member in Severity}


def _merge(hits: Sequence[_Hit], located: _Located) -> tuple[Vulnerability, ...]:
    if len(hits) == 1:
        return (_single(hits[0], located),)
    merged = [
        _single(group[0], located) if len(group) == 1 else _vulnerability(group, located)
        for group in _groups(hits)
    ]
    return tuple(sorted(merged, key=lambda v: (-v.severity.rank, v.id)))


def _single(hit: _Hit, located: _Located) -> Vulnerability:
    """The vulnerability of one record alone: everything was worked out at import."""
    d = hit.details
    current = located.at(located.package.native) if d.fixed else None
    upgrade = next(
        (text for at, text in d.fixed if current is not None and current < at < UNPLACED), None
    )
    return Vulnerability(
        id=d.name,
        aliases=tuple(d.others),
        records=(d.record_id,),
        status=hit.status,
        reasons=hit.reasons,
        summary=d.summary,
        severity=_SEVERITIES[d.severity],
        score=d.score,
        severity_source=d.severity_source,
        cwe=tuple(d.cwe),
        fixed=tuple(text for _, text in d.fixed),
        upgrade_to=upgrade,
    )


def _groups(hits: Sequence[_Hit]) -> list[list[_Hit]]:
    """Hits whose records share an id (directly or through others), together."""
    parent: dict[str, str] = {}

    def root(identifier: str) -> str:
        parent.setdefault(identifier, identifier)
        while parent[identifier] != identifier:
            parent[identifier] = parent[parent[identifier]]
            identifier = parent[identifier]
        return identifier

    for hit in hits:
        first = root(hit.details.record_id)
        for other in hit.details.aliases:
            other_root = root(other)
            if other_root != first:
                parent[other_root] = first
    grouped: dict[str, list[_Hit]] = {}
    for hit in hits:
        grouped.setdefault(root(hit.details.record_id), []).append(hit)
    return list(grouped.values())


def _vulnerability(group: Sequence[_Hit], located: _Located) -> Vulnerability:
    entries = [hit.details for hit in group]
    ids = {e.record_id for e in entries}.union(*(e.aliases for e in entries))
    name = primary_id(ids)
    affected = any(hit.status is HitStatus.AFFECTED for hit in group)
    worst = max(entries, key=lambda e: (_SEVERITIES[e.severity].rank, e.score or 0.0))
    fixed, upgrade = _remedy(entries, located)
    return Vulnerability(
        id=name,
        aliases=tuple(sorted(ids - {name})),
        records=tuple(sorted({e.record_id for e in entries})),
        status=HitStatus.AFFECTED if affected else HitStatus.UNEVALUATED,
        reasons=() if affected else tuple(dict.fromkeys(r for h in group for r in h.reasons)),
        summary=_summary(name, entries),
        severity=_SEVERITIES[worst.severity],
        score=worst.score,
        severity_source=worst.severity_source,
        cwe=tuple(sorted({c for e in entries for c in e.cwe})),
        fixed=fixed,
        upgrade_to=upgrade,
    )


def _summary(name: str, entries: Sequence[Details]) -> str:
    """The summary of the record named like the advisory, else of the others in id preference."""
    ordered = sorted(entries, key=lambda e: (e.record_id != name, id_rank(e.record_id)))
    return next((e.summary for e in ordered if e.summary), "")


def _remedy(entries: Sequence[Details], located: _Located) -> tuple[tuple[str, ...], str | None]:
    """The fixed versions, ascending, and the lowest of them above the component's version."""
    pairs = sorted({pair for e in entries for pair in e.fixed})
    fixed = tuple(dict.fromkeys(text for _, text in pairs))
    current = located.at(located.package.native) if pairs else None
    upgrade = next(
        (text for at, text in pairs if current is not None and current < at < UNPLACED), None
    )
    return fixed, upgrade
