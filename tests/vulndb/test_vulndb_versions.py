"""Version orderings: the versions records name, sorted once, and positions of any version."""

from __future__ import annotations

import pytest

from assay.deps.model import Ecosystem
from assay.vulndb.versions import NATIVE, Ordering, Scheme, VersionParser, build_ordering


def test_pypi_ordering_groups_equal_versions_and_sets_invalid_ones_apart() -> None:
    ordering = build_ordering(
        Scheme.PYPI, ["1.10", "1.0.0", "1.9", "1.0", "not a version!", "1.9"], VersionParser()
    )
    assert ordering.groups == (("1.0", "1.0.0"), ("1.9",), ("1.10",))
    assert ordering.invalid == frozenset({"not a version!"})
    assert ordering == Ordering.from_json(Scheme.PYPI, ordering.to_json())


@pytest.mark.parametrize(
    ("scheme", "named", "probes"),
    [
        (Scheme.PYPI, ["1.0", "1.9", "1.10"],
         {"0.9": 0, "1.0.0": 1, "1.0.post1": 2, "1.9": 3, "1.10rc1": 4, "1.10": 5, "2": 6,
          "x y": None}),
        (Scheme.SEMVER, ["1.0.0", "1.2.0"],
         {"1.0.0-rc.1": 0, "1.0.0": 1, "1.1.9": 2, "1.2.0": 3, "10.0.0": 4}),
        (Scheme.GO, ["0.7.0"], {"v0.6.0": 0, "v0.7.0": 1, "0.7.0": 1, "v0.0.0-2022": 0}),
        (Scheme.MAVEN, ["2.9.10.7", "2.10.0"],
         {"2.9.10": 0, "2.9.10.7": 1, "2.10.0-rc1": 2, "2.10": 3, "2.10.1": 4}),
        (Scheme.RUBYGEMS, ["5.2.4.9", "6.0.0"],
         {"5.2.4.3": 0, "5.2.4.10": 2, "6.0.0.rc1": 2, "6.0.0": 3}),
        (Scheme.COMPOSER, ["4.4.13"], {"v4.4.12": 0, "v4.4.13": 1, "4.4.14": 2}),
        (Scheme.NUGET, ["13.0.1"], {"13.0.1-beta1": 0, "13.0.1": 1, "13.0.1.0": 1}),
    ],
)  # fmt: skip
def test_positions(scheme: Scheme, named: list[str], probes: dict[str, int | None]) -> None:
    ordering = build_ordering(scheme, named, VersionParser())
    parser = VersionParser()
    assert {text: ordering.position(text, parser) for text in probes} == probes


def test_every_ecosystem_has_a_scheme() -> None:
    assert set(NATIVE) == set(Ecosystem)
