"""Version order per ecosystem, through univers, and the rank tables that make matching fast.

Comparing versions with univers is correct but slow (microseconds per parse and
per comparison), and an advisory database names the same few versions of a
package over and over. So the versions that a package's records mention are
parsed and sorted once, at import, into an :class:`Ordering`: groups of equal
versions in ascending order. Matching a component then costs one parse and a
binary search over that table, and every range test is a comparison of integers.

Comparisons use the ``value`` of univers' Version objects: univers orders its
Version objects by that value alone (attrs ``order`` on the one field), so the
order is the same, without the wrapper's cost on every comparison.

Positions: group ``i`` of an ordering sits at position ``2*i + 1``; a version
between groups ``k - 1`` and ``k`` (or below all, ``k = 0``) sits at ``2*k``. So
``v >= bound`` is ``position(v) >= position(bound)`` for any version ``v``, equal
to a bound or not.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import version as distribution_version
from typing import Any

from univers.versions import (
    ComposerVersion,
    GolangVersion,
    MavenVersion,
    NugetVersion,
    PypiVersion,
    RubygemsVersion,
    SemverVersion,
)

from assay.deps.model import Ecosystem


class Scheme(StrEnum):
    """How versions compare: one univers class each."""

    PYPI = "pypi"
    SEMVER = "semver"
    GO = "go"
    MAVEN = "maven"
    RUBYGEMS = "rubygems"
    COMPOSER = "composer"
    NUGET = "nuget"


_CLASSES: dict[Scheme, Any] = {
    Scheme.PYPI: PypiVersion,  # PEP 440
    Scheme.SEMVER: SemverVersion,
    Scheme.GO: GolangVersion,  # SemVer with Go's leading "v"
    Scheme.MAVEN: MavenVersion,
    Scheme.RUBYGEMS: RubygemsVersion,
    Scheme.COMPOSER: ComposerVersion,
    Scheme.NUGET: NugetVersion,
}
LABELS: dict[Scheme, str] = {
    Scheme.PYPI: "PEP 440",
    Scheme.SEMVER: "SemVer",
    Scheme.GO: "Go module",
    Scheme.MAVEN: "Maven",
    Scheme.RUBYGEMS: "RubyGems",
    Scheme.COMPOSER: "Composer",
    Scheme.NUGET: "NuGet",
}
# How each ecosystem orders its versions (``ECOSYSTEM`` ranges and ``versions`` lists).
NATIVE: dict[Ecosystem, Scheme] = {
    Ecosystem.PYPI: Scheme.PYPI,
    Ecosystem.NPM: Scheme.SEMVER,
    Ecosystem.GO: Scheme.GO,
    Ecosystem.CARGO: Scheme.SEMVER,
    Ecosystem.RUBYGEMS: Scheme.RUBYGEMS,
    Ecosystem.PACKAGIST: Scheme.COMPOSER,
    Ecosystem.MAVEN: Scheme.MAVEN,
    Ecosystem.NUGET: Scheme.NUGET,
    Ecosystem.HEX: Scheme.SEMVER,
    Ecosystem.PUB: Scheme.SEMVER,
}
# Bumped when the way orderings are built changes, so stored tables are rebuilt.
ORDERING_FORMAT = "1"


def semantics_fingerprint() -> str:
    """Identity of the version semantics in use; stored orderings from another are rebuilt."""
    return (
        f"{ORDERING_FORMAT};univers {distribution_version('univers')};"
        f"packaging {distribution_version('packaging')}"
    )


def scheme_for(ecosystem: Ecosystem, range_type: str) -> Scheme | None:
    """The scheme of a range of ``range_type`` in ``ecosystem``; None for others (``GIT``)."""
    if range_type == "ECOSYSTEM":
        return NATIVE[ecosystem]
    if range_type == "SEMVER":
        return Scheme.GO if ecosystem is Ecosystem.GO else Scheme.SEMVER
    return None


class VersionParser:
    """Parses version texts once per scheme and remembers the comparable value (None: invalid)."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[Scheme, str], Any] = {}

    def parse(self, scheme: Scheme, text: str) -> Any:
        key = (scheme, text)
        try:
            return self._parsed[key]
        except KeyError:
            pass
        try:
            value = _CLASSES[scheme](text).value
        except Exception:  # univers raises several types on odd input; all mean "not valid"
            value = None
        self._parsed[key] = value
        return value


@dataclass(frozen=True, slots=True)
class Ordering:
    """The versions a package's records name, in one scheme, ascending; equal ones grouped.

    ``heads`` holds one version per group; ``ties`` the other spellings of a group's
    version (``1.0`` beside ``1.0.0`` in PEP 440) with their group's index.
    """

    scheme: Scheme
    heads: tuple[str, ...]
    ties: dict[str, int]
    invalid: frozenset[str]
    _group_of: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = {text: index for index, text in enumerate(self.heads)}
        table.update(self.ties)
        object.__setattr__(self, "_group_of", table)

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Every version in ascending order, equal ones together."""
        grouped: list[list[str]] = [[head] for head in self.heads]
        for text, index in sorted(self.ties.items()):
            grouped[index].append(text)
        return tuple(tuple(group) for group in grouped)

    def bound(self, text: str) -> int | None:
        """Position of a version the records name; None if it was not valid in this scheme."""
        index = self._group_of.get(text)
        return None if index is None else 2 * index + 1

    def position(self, text: str, parser: VersionParser) -> int | None:
        """Position of any version; None when it is not valid in this scheme."""
        known = self.bound(text)
        if known is not None:
            return known
        value = parser.parse(self.scheme, text)
        if value is None:
            return None
        below = bisect.bisect_left(_Lazy(self, parser), value)
        if below < len(self.heads) and _value(self, below, parser) == value:
            return 2 * below + 1
        return 2 * below

    def to_json(self) -> dict[str, Any]:
        return {"heads": list(self.heads), "ties": self.ties, "invalid": sorted(self.invalid)}

    @classmethod
    def from_json(cls, scheme: Scheme, data: dict[str, Any]) -> Ordering:
        return cls(
            scheme=scheme,
            heads=tuple(data["heads"]),
            ties=data["ties"],
            invalid=frozenset(data["invalid"]),
        )


def _value(ordering: Ordering, index: int, parser: VersionParser) -> Any:
    return parser.parse(ordering.scheme, ordering.heads[index])


class _Lazy(Sequence[Any]):
    """The parsed first version of each group, parsed only where a binary search looks."""

    def __init__(self, ordering: Ordering, parser: VersionParser) -> None:
        self._ordering = ordering
        self._parser = parser

    def __len__(self) -> int:
        return len(self._ordering.heads)

    def __getitem__(self, index: Any) -> Any:
        return _value(self._ordering, index, self._parser)


def build_ordering(scheme: Scheme, texts: Iterable[str], parser: VersionParser) -> Ordering:
    """Sort ``texts`` in ``scheme``'s order, grouping equal versions; invalid ones set apart."""
    valid: list[tuple[Any, str]] = []
    invalid: set[str] = set()
    for text in set(texts):
        value = parser.parse(scheme, text)
        if value is None:
            invalid.add(text)
        else:
            valid.append((value, text))
    heads: list[str] = []
    ties: dict[str, int] = {}
    previous: Any = None
    # Equal versions stay in text order (stable sorts), so a group's head is always the same.
    valid.sort(key=lambda pair: pair[1])
    valid.sort(key=lambda pair: pair[0])
    for value, text in valid:
        if heads and value == previous:
            ties[text] = len(heads) - 1
        else:
            heads.append(text)
        previous = value
    return Ordering(scheme=scheme, heads=tuple(heads), ties=ties, invalid=frozenset(invalid))
