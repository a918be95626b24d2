"""Matching components against OSV records, with each ecosystem's version semantics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from univers.versions import PypiVersion
from vulndb_helpers import affected, build, component, outcomes, record, span

from assay.deps.model import Ecosystem
from assay.model import Severity
from assay.vulndb.index import VulnIndex
from assay.vulndb.match import HitStatus, Vulnerability, match_components, primary_id

E = Ecosystem
EMPTY_PACKAGE = {
    "native": "pypi", "orderings": {}, "records": [], "details": [], "tables": {},
    "explicit_text": [], "unusable": [],
}  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "vulndb.sqlite3"


def affected_versions(db: Path, ecosystem: Ecosystem, name: str, versions: list[str]) -> list[str]:
    """Which of ``versions`` the database says are affected (status affected)."""
    found = outcomes(db, [component(ecosystem, name, v) for v in versions])
    return [version for _, version, _, status, _, _ in found if status == "affected"]


# ------------------------------------------------------------------- semantics per ecosystem


def test_pypi_uses_pep_440_order_not_text_order(db: Path) -> None:
    build(db, [record("PYSEC-2024-1", affected(
        "PyPI", "Django", span("ECOSYSTEM", ("introduced", "1.2"), ("fixed", "1.10")),
    ))])  # fmt: skip
    versions = ["1.1", "1.2", "1.2.0", "1.9", "1.10rc1", "1.10", "1.10.1", "1.2a1"]
    assert affected_versions(db, E.PYPI, "django", versions) == [
        "1.2", "1.2.0", "1.9", "1.10rc1",
    ]  # fmt: skip


def test_pypi_names_are_normalised_as_pep_503_says(db: Path) -> None:
    build(db, [record("PYSEC-2024-2", affected(
        "PyPI", "Zope.Interface", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "5")),
    ))])  # fmt: skip
    assert affected_versions(db, E.PYPI, "zope-interface", ["4.7.2", "5.0"]) == ["4.7.2"]
    assert affected_versions(db, E.PYPI, "ZOPE_INTERFACE", ["4.7.2"]) == ["4.7.2"]


def test_npm_semver_range_with_prereleases(db: Path) -> None:
    build(db, [record("GHSA-p6mc-m468-83gw", affected(
        "npm", "lodash", span("SEMVER", ("introduced", "0"), ("fixed", "4.17.21"))))])  # fmt: skip
    versions = ["3.10.1", "4.17.20", "4.17.21-beta.1", "4.17.21", "10.0.0", "4.9.0"]
    assert affected_versions(db, E.NPM, "lodash", versions) == [
        "3.10.1", "4.17.20", "4.17.21-beta.1", "4.9.0",
    ]  # fmt: skip


def test_npm_scoped_package(db: Path) -> None:
    build(db, [record("GHSA-aaaa-bbbb-cccc", affected(
        "npm", "@babel/traverse", span("SEMVER", ("introduced", "0"), ("fixed", "7.23.2")),
    ))])  # fmt: skip
    assert affected_versions(db, E.NPM, "@babel/traverse", ["7.23.0", "7.23.2"]) == ["7.23.0"]


def test_go_versions_match_with_or_without_the_v_prefix(db: Path) -> None:
    build(db, [record("GO-2022-0969", affected(
        "Go", "golang.org/x/net",
        span("SEMVER", ("introduced", "0"), ("fixed", "0.7.0"))))])  # fmt: skip
    versions = ["v0.6.0", "v0.0.0-20220906165146-f3363e06e74c", "v0.7.0", "v0.17.0", "0.5.0"]
    assert affected_versions(db, E.GO, "golang.org/x/net", versions) == [
        "v0.6.0", "v0.0.0-20220906165146-f3363e06e74c", "0.5.0",
    ]  # fmt: skip


def test_maven_order_and_qualifiers(db: Path) -> None:
    name = "com.fasterxml.jackson.core:jackson-databind"
    build(db, [record("GHSA-57j2-w4cx-62h2", affected(
        "Maven", name, span("ECOSYSTEM", ("introduced", "2.9.0"), ("fixed", "2.9.10.7")),
        span("ECOSYSTEM", ("introduced", "2.10.0"), ("fixed", "2.10.5.1"))))])  # fmt: skip
    versions = ["2.8.11", "2.9.0", "2.9.10.6", "2.9.10.7", "2.10.0-rc1", "2.10.5", "2.10.5.1",
                "2.13.0"]  # fmt: skip
    assert affected_versions(db, E.MAVEN, name, versions) == ["2.9.0", "2.9.10.6", "2.10.5"]


def test_crates_io_semver_and_name_spelling(db: Path) -> None:
    build(db, [record("RUSTSEC-2021-0078", affected(
        "crates.io", "hyper",
        span("SEMVER", ("introduced", "0"), ("fixed", "0.14.10"))))])  # fmt: skip
    versions = ["0.13.10", "0.14.9", "0.14.10", "1.0.0"]
    assert affected_versions(db, E.CARGO, "hyper", versions) == ["0.13.10", "0.14.9"]


def test_rubygems_segments_and_prereleases(db: Path) -> None:
    build(db, [record("GHSA-wh98-p28r-vrc9", affected(
        "RubyGems", "rails",
        span("ECOSYSTEM", ("introduced", "5.2.0"), ("fixed", "5.2.4.10")),
        span("ECOSYSTEM", ("introduced", "6.0.0.rc1"), ("fixed", "6.0.3"))))])  # fmt: skip
    versions = ["5.1.7", "5.2.4.3", "5.2.4.10", "5.2.4.9", "6.0.0.beta1", "6.0.0.rc1", "6.0.0",
                "6.0.3"]  # fmt: skip
    assert affected_versions(db, E.RUBYGEMS, "rails", versions) == [
        "5.2.4.3", "5.2.4.9", "6.0.0.rc1", "6.0.0",
    ]  # fmt: skip


def test_packagist_names_are_case_insensitive_and_a_v_prefix_is_allowed(db: Path) -> None:
    build(db, [record("GHSA-9f46-5r25-5wfm", affected(
        "Packagist", "symfony/http-kernel",
        span("ECOSYSTEM", ("introduced", "4.4.0"), ("fixed", "4.4.13"))))])  # fmt: skip
    versions = ["v4.4.12", "4.4.13", "v4.3.0"]
    assert affected_versions(db, E.PACKAGIST, "Symfony/Http-Kernel", versions) == ["v4.4.12"]


def test_nuget_names_are_case_insensitive(db: Path) -> None:
    build(db, [record("GHSA-5crp-9r3c-p9vr", affected(
        "NuGet", "Newtonsoft.Json",
        span("ECOSYSTEM", ("introduced", "0"), ("fixed", "13.0.1"))))])  # fmt: skip
    versions = ["12.0.3", "13.0.1", "13.0.1-beta1", "9.0.1"]
    assert affected_versions(db, E.NUGET, "newtonsoft.json", versions) == [
        "12.0.3", "13.0.1-beta1", "9.0.1",
    ]  # fmt: skip


# --------------------------------------------------------------------------- events


def test_last_affected_includes_that_version(db: Path) -> None:
    build(db, [record("PYSEC-2024-3", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "1.0"), ("last_affected", "1.4")),
    ))])  # fmt: skip
    versions = ["0.9", "1.0", "1.4", "1.4.0", "1.4.1", "1.5"]
    assert affected_versions(db, E.PYPI, "pkg", versions) == ["1.0", "1.4", "1.4.0"]


def test_limit_caps_an_open_range(db: Path) -> None:
    build(db, [record("GHSA-limt-limt-limt", affected(
        "npm", "pkg", span("SEMVER", ("introduced", "1.0.0"), ("limit", "2.0.0"))))])  # fmt: skip
    versions = ["0.9.0", "1.0.0", "1.9.9", "2.0.0", "3.0.0"]
    assert affected_versions(db, E.NPM, "pkg", versions) == ["1.0.0", "1.9.9"]


def test_several_intervals_in_one_range_in_any_order(db: Path) -> None:
    # Events listed out of version order: the walk sorts them first.
    build(db, [record("PYSEC-2024-4", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "2.0"), ("fixed", "1.2"),
                            ("introduced", "1.0"), ("fixed", "2.3"))))])  # fmt: skip
    versions = ["0.9", "1.0", "1.1", "1.2", "1.5", "2.0", "2.2", "2.3", "3.0"]
    assert affected_versions(db, E.PYPI, "pkg", versions) == ["1.0", "1.1", "2.0", "2.2"]


def test_an_open_range_affects_every_later_version(db: Path) -> None:
    build(db, [record("PYSEC-2024-5", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "3.0"))))])  # fmt: skip
    assert affected_versions(db, E.PYPI, "pkg", ["2.9", "3.0", "99.0"]) == ["3.0", "99.0"]
    assert outcomes(db, [component(E.PYPI, "pkg", "3.1")]) == [
        ("pkg", "3.1", "PYSEC-2024-5", "affected", "", ""),
    ]


def test_explicit_versions_list_alone_and_with_ranges(db: Path) -> None:
    build(db, [
        record("PYSEC-2024-6", affected("PyPI", "listed", versions=["1.0", "1.1", "0.5.dev-r3"])),
        record("PYSEC-2024-7", affected(
            "PyPI", "both", span("ECOSYSTEM", ("introduced", "2.0"), ("fixed", "2.1")),
            versions=["1.3"])),
    ])  # fmt: skip
    # "1.0.0" equals "1.0" in PEP 440; the legacy version that is not PEP 440 matches as text.
    versions = ["0.9", "1.0.0", "1.1", "1.2", "0.5.dev-r3"]
    assert affected_versions(db, E.PYPI, "listed", versions) == ["1.0.0", "1.1", "0.5.dev-r3"]
    assert affected_versions(db, E.PYPI, "both", ["1.3", "1.4", "2.0"]) == ["1.3", "2.0"]


def test_git_ranges_are_ignored_but_the_versions_list_is_used(db: Path) -> None:
    git = span("GIT", ("introduced", "a" * 40), ("fixed", "b" * 40))
    build(db, [
        record("OSV-2024-1", affected("PyPI", "withlist", git, versions=["1.0"])),
        record("OSV-2024-2", affected("PyPI", "gitonly", git)),
    ])  # fmt: skip
    assert outcomes(db, [component(E.PYPI, "withlist", "1.0"),
                         component(E.PYPI, "withlist", "1.1"),
                         component(E.PYPI, "gitonly", "1.0")]) == [
        ("withlist", "1.0", "OSV-2024-1", "affected", "", ""),
        ("gitonly", "1.0", "OSV-2024-2", "unevaluated", "", ""),
    ]  # fmt: skip


def test_withdrawn_records_match_nothing(db: Path) -> None:
    build(db, [record("GHSA-wwww-wwww-wwww", affected(
        "npm", "pkg", span("SEMVER", ("introduced", "0"))),
        withdrawn="2024-04-01T00:00:00Z")])  # fmt: skip
    assert outcomes(db, [component(E.NPM, "pkg", "1.0.0")]) == []


def test_unknown_ecosystems_are_counted_and_matched_to_nothing(db: Path) -> None:
    report = build(db, [record("DSA-1-1",
        affected("Debian:11", "openssl", span("ECOSYSTEM", ("introduced", "0"))),
        affected("FooBar", "openssl", span("ECOSYSTEM", ("introduced", "0"))),
        affected("PyPI", "openssl", span("ECOSYSTEM", ("introduced", "0"))))])  # fmt: skip
    assert report.unsupported == {"Debian:11": 1, "FooBar": 1}
    assert report.ecosystems == {"PyPI": 1}
    assert outcomes(db, [component(E.PYPI, "openssl", "1.0")]) == [
        ("openssl", "1.0", "DSA-1-1", "affected", "", ""),
    ]


def test_components_without_a_version_or_unknown_package_are_not_matched(db: Path) -> None:
    build(db, [record("PYSEC-2024-8", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"))))])  # fmt: skip
    assert outcomes(db, [component(E.PYPI, "pkg", None), component(E.PYPI, "other", "1.0"),
                         component(E.NPM, "pkg", "1.0.0")]) == []  # fmt: skip


# --------------------------------------------------------------------------- fail closed


def test_broken_ranges_give_unevaluated_results_with_reasons(db: Path) -> None:
    build(db, [
        record("PYSEC-2024-10", affected("PyPI", "pkg", span("ECOSYSTEM", ("fixed", "2.0")))),
        record("PYSEC-2024-11", affected(
            "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "not a version")))),
        record("PYSEC-2024-12", affected("PyPI", "pkg", span("WEIRD", ("introduced", "0")))),
        record("PYSEC-2024-13", affected(
            "PyPI", "pkg", {"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "2"}]})),
        record("PYSEC-2024-14", affected("PyPI", "pkg")),
    ])  # fmt: skip
    with VulnIndex.open_for_reading(db) as index:
        (found,) = match_components([component(E.PYPI, "pkg", "1.0")], index)
    assert [(v.id, v.status, v.reasons) for v in found.vulnerabilities] == [
        ("PYSEC-2024-10", HitStatus.UNEVALUATED, ("range 1 has no introduced event",)),
        ("PYSEC-2024-11", HitStatus.UNEVALUATED,
         ("its fixed version 'not a version' is not a valid PEP 440 version",)),
        ("PYSEC-2024-12", HitStatus.UNEVALUATED,
         ("range 1 has type 'WEIRD', which is not evaluated",)),
        ("PYSEC-2024-13", HitStatus.UNEVALUATED,
         ("range 1, event 1 is not one of introduced, fixed, last_affected or limit with a "
          "version",)),
        ("PYSEC-2024-14", HitStatus.UNEVALUATED,
         ("it has neither a SEMVER or ECOSYSTEM range nor a versions list",)),
    ]  # fmt: skip


def test_a_good_range_that_matches_wins_over_a_broken_one(db: Path) -> None:
    build(db, [record("PYSEC-2024-15", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("fixed", "9")),
        span("ECOSYSTEM", ("introduced", "1.0"), ("fixed", "2.0"))))])  # fmt: skip
    assert outcomes(db, [component(E.PYPI, "pkg", "1.5"), component(E.PYPI, "pkg", "3.0")]) == [
        ("pkg", "1.5", "PYSEC-2024-15", "affected", "2.0,9", "2.0"),
        ("pkg", "3.0", "PYSEC-2024-15", "unevaluated", "2.0,9", "9"),
    ]


def test_a_component_version_that_does_not_parse_is_unevaluated(db: Path) -> None:
    build(db, [record("PYSEC-2024-16", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "2.0"))),
        summary="Bad thing")])  # fmt: skip
    with VulnIndex.open_for_reading(db) as index:
        (found,) = match_components([component(E.PYPI, "pkg", "1.0-custom-build!")], index)
    assert found.vulnerabilities == (
        Vulnerability(
            id="PYSEC-2024-16", aliases=(), records=("PYSEC-2024-16",),
            status=HitStatus.UNEVALUATED,
            reasons=("the version '1.0-custom-build!' is not a valid PEP 440 version",),
            summary="Bad thing", severity=Severity.MEDIUM, score=None,
            severity_source="default (no severity in the record)", cwe=(), fixed=("2.0",),
            upgrade_to=None,
        ),
    )  # fmt: skip


# --------------------------------------------------------------------------- merging, remedy


def test_records_sharing_an_alias_are_one_vulnerability(db: Path) -> None:
    v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    build(db, [
        record("GHSA-2222-3333-4444", affected(
            "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "1.0"), ("fixed", "1.2.4"))),
            aliases=["CVE-2024-1000"], summary="Remote code execution",
            severity=[{"type": "CVSS_V3", "score": v3}],
            database_specific={"cwe_ids": ["CWE-94", "CWE-20"]}),
        record("PYSEC-2024-20", affected(
            "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "2.0"), ("fixed", "2.0.1")),
            span("ECOSYSTEM", ("introduced", "1.0"), ("fixed", "1.2.4"))),
            aliases=["CVE-2024-1000"], summary="RCE in pkg",
            database_specific={"cwe_ids": ["CWE-94"]}),
        # Merged through PYSEC-2024-20's own alias list, not through the CVE.
        record("OSV-2024-30", affected(
            "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"), ("fixed", "2.0.1"))),
            aliases=["PYSEC-2024-20"]),
        record("PYSEC-2024-21", affected("PyPI", "pkg", span("ECOSYSTEM", ("introduced", "0"))),
               summary="Unrelated"),
    ])  # fmt: skip
    with VulnIndex.open_for_reading(db) as index:
        (found,) = match_components([component(E.PYPI, "pkg", "1.1")], index)
    assert found.vulnerabilities == (
        Vulnerability(
            id="CVE-2024-1000",
            aliases=("GHSA-2222-3333-4444", "OSV-2024-30", "PYSEC-2024-20"),
            records=("GHSA-2222-3333-4444", "OSV-2024-30", "PYSEC-2024-20"),
            status=HitStatus.AFFECTED, reasons=(), summary="Remote code execution",
            severity=Severity.CRITICAL, score=9.8, severity_source=f"CVSS_V3 {v3}",
            cwe=(20, 94), fixed=("1.2.4", "2.0.1"), upgrade_to="1.2.4",
        ),
        Vulnerability(
            id="PYSEC-2024-21", aliases=(), records=("PYSEC-2024-21",),
            status=HitStatus.AFFECTED, reasons=(), summary="Unrelated",
            severity=Severity.MEDIUM, score=None,
            severity_source="default (no severity in the record)", cwe=(), fixed=(),
            upgrade_to=None,
        ),
    )  # fmt: skip


def test_primary_id_prefers_cve_then_ghsa_then_alphabetical() -> None:
    assert primary_id(["PYSEC-2021-1", "GHSA-aaaa-bbbb-cccc", "CVE-2021-2"]) == "CVE-2021-2"
    assert primary_id(["PYSEC-2021-1", "GHSA-zzzz-bbbb-cccc", "GHSA-aaaa-bbbb-cccc"]) == (
        "GHSA-aaaa-bbbb-cccc"
    )
    assert primary_id(["RUSTSEC-2021-1", "OSV-2021-1"]) == "OSV-2021-1"


def test_upgrade_is_the_lowest_fix_above_the_version(db: Path) -> None:
    build(db, [record("GHSA-fix1-fix1-fix1", affected(
        "npm", "pkg", span("SEMVER", ("introduced", "2.0.0"), ("fixed", "2.0.3")),
        span("SEMVER", ("introduced", "1.0.0"), ("fixed", "1.2.10")),
        span("SEMVER", ("introduced", "3.0.0"), ("fixed", "3.1.0-rc.1"))))])  # fmt: skip
    assert outcomes(db, [component(E.NPM, "pkg", v) for v in ("1.2.9", "2.0.0", "3.0.5")]) == [
        ("pkg", "1.2.9", "GHSA-fix1-fix1-fix1", "affected", "1.2.10,2.0.3,3.1.0-rc.1", "1.2.10"),
        ("pkg", "2.0.0", "GHSA-fix1-fix1-fix1", "affected", "1.2.10,2.0.3,3.1.0-rc.1", "2.0.3"),
        ("pkg", "3.0.5", "GHSA-fix1-fix1-fix1", "affected", "1.2.10,2.0.3,3.1.0-rc.1",
         "3.1.0-rc.1"),
    ]  # fmt: skip


def test_same_package_in_several_affected_entries_of_one_record(db: Path) -> None:
    build(db, [record("GHSA-twoe-twoe-twoe",
        affected("npm", "pkg", span("SEMVER", ("introduced", "1.0.0"), ("fixed", "1.1.0"))),
        affected("npm", "pkg", span("SEMVER", ("introduced", "2.0.0"), ("fixed", "2.1.0"))),
    )])  # fmt: skip
    assert outcomes(db, [component(E.NPM, "pkg", "2.0.5"), component(E.NPM, "pkg", "1.5.0")]) == [
        ("pkg", "2.0.5", "GHSA-twoe-twoe-twoe", "affected", "1.1.0,2.1.0", "2.1.0"),
    ]


# --------------------------------------------------------------------------- the index's tables


def test_tables_prepared_by_other_version_libraries_are_not_trusted(db: Path) -> None:
    """A database prepared with other version semantics is re-prepared in memory, same result."""
    import json
    import sqlite3

    build(db, [record("PYSEC-2024-40", affected(
        "PyPI", "pkg", span("ECOSYSTEM", ("introduced", "1.2"), ("fixed", "1.10"))))])  # fmt: skip
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = 'other' WHERE key = 'semantics'")
        # Whatever the other library prepared is not read: here, a table that matches nothing.
        raw.execute("UPDATE packages SET prepared = ?", (json.dumps(EMPTY_PACKAGE),))
    raw.close()
    assert affected_versions(db, E.PYPI, "pkg", ["1.1", "1.9", "1.10"]) == ["1.9"]


def test_semver_range_in_an_ecosystem_of_another_order(db: Path) -> None:
    build(db, [record("PYSEC-2024-50", affected(
        "PyPI", "pkg", span("SEMVER", ("introduced", "1.0.0"), ("fixed", "1.2.0")),
    ))])  # fmt: skip
    assert affected_versions(db, E.PYPI, "pkg", ["0.9", "1.1", "1.2.0", "1.10"]) == ["1.1"]


# --------------------------------------------------------------------------- against an oracle

POOL = ["0.1", "0.9", "1.0", "1.0.0", "1.1", "1.2rc1", "1.2", "1.10", "2.0.dev1", "2.0", "3.0"]
KINDS = ["introduced", "fixed", "last_affected", "limit"]


def oracle(version: str, ranges: list[list[tuple[str, str]]], listed: list[str]) -> bool:
    """The OSV schema's evaluation, written straight from its text with univers' order."""
    v = PypiVersion(version)
    if any(PypiVersion(item) == v for item in listed):
        return True

    def key(event: tuple[str, str]) -> tuple[int, PypiVersion]:
        kind, text = event
        if (kind, text) == ("introduced", "0"):
            return (0, PypiVersion("0"))  # before everything
        return (1, PypiVersion(text))

    for events in ranges:
        if not any(kind == "introduced" for kind, _ in events):
            continue  # not evaluable: never "affected"
        limits = [PypiVersion(text) for kind, text in events if kind == "limit"]
        if limits and not any(v < limit for limit in limits):
            continue
        vulnerable = False
        for kind, text in sorted(events, key=key):  # stable: equal versions in record order
            if kind == "introduced":
                vulnerable = vulnerable or text == "0" or v >= PypiVersion(text)
            elif kind in ("fixed", "last_affected"):
                bound = PypiVersion(text)
                closes = v >= bound if kind == "fixed" else v > bound
                vulnerable = vulnerable and not closes
        if vulnerable:
            return True
    return False


events_strategy = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from(["0", *POOL])).filter(
        lambda e: e[1] != "0" or e[0] == "introduced"
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(
    ranges=st.lists(events_strategy, min_size=1, max_size=3),
    listed=st.lists(st.sampled_from(POOL), max_size=2),
)
def test_positions_agree_with_a_direct_evaluation(
    tmp_path_factory: pytest.TempPathFactory,
    ranges: list[list[tuple[str, str]]],
    listed: list[str],
) -> None:
    db = tmp_path_factory.mktemp("oracle") / "vulndb.sqlite3"
    spans = [span("ECOSYSTEM", *events) for events in ranges]
    build(db, [record("PYSEC-1", affected("PyPI", "pkg", *spans, versions=listed))])
    probes = [*POOL, "0.0.1", "1.5", "2.5", "99"]
    found = {v for _, v, _, status, _, _ in outcomes(db, [component(E.PYPI, "pkg", v)
                                                          for v in probes])
             if status == "affected"}  # fmt: skip
    assert found == {v for v in probes if oracle(v, ranges, listed)}
