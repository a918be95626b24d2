#!/usr/bin/env python3
"""Benchmark of vulnerability matching: 5,000 components against 50,000 OSV records.

A database is generated (deterministic, seeded): ``--records`` OSV records over
``--packages`` packages spread across eight ecosystems (PyPI, npm, Go, Maven,
crates.io, RubyGems, Packagist, NuGet), in the shapes real records take: one or
two ``ECOSYSTEM`` or ``SEMVER`` ranges with ``introduced`` and ``fixed`` or
``last_affected`` events, an explicit ``versions`` list on some PyPI records,
CVE aliases shared by pairs of records (which matching merges), CVSS v3 and v4
vectors, CWE ids, a few withdrawn records. They are written as one ``all.zip``
per ecosystem, as OSV publishes them, and imported with ``assay vulndb import``'s
code into a fresh SQLite index: that time is reported apart.

``--components`` components are then drawn (80 % from packages the database
knows, 20 % unknown; versions from each package's releases) and matched with
``match_components`` on the index opened read-only, as an audit does. The
matching time (best of ``--repeat``, each with a fresh index connection and
fresh version caches) is judged against the 1 s target.

Usage::

    .venv/bin/python benchmarks/bench_vulns.py [--repeat N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.deps.model import Component, Ecosystem, Scope
from assay.deps.purl import make_purl
from assay.vulndb.index import VulnIndex
from assay.vulndb.load import load_paths
from assay.vulndb.match import HitStatus, match_components

TARGET_S = 1.0
ECOSYSTEMS = (
    Ecosystem.PYPI,
    Ecosystem.NPM,
    Ecosystem.GO,
    Ecosystem.MAVEN,
    Ecosystem.CARGO,
    Ecosystem.RUBYGEMS,
    Ecosystem.PACKAGIST,
    Ecosystem.NUGET,
)
VECTORS = (
    ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
    ("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"),
    ("CVSS_V3", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"),
    ("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
    ("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Package:
    ecosystem: Ecosystem
    name: str
    releases: tuple[str, ...]  # ascending, as the database spells them


def _release_text(ecosystem: Ecosystem, major: int, minor: int, patch: int, pre: bool) -> str:
    base = f"{major}.{minor}.{patch}"
    if not pre:
        return base
    suffix = {
        Ecosystem.PYPI: "rc1",
        Ecosystem.MAVEN: "-RC1",
        Ecosystem.RUBYGEMS: ".rc1",
        Ecosystem.NUGET: "-preview.1",
    }.get(ecosystem, "-rc.1")
    return base + suffix


def make_packages(rng: random.Random, count: int) -> list[Package]:
    packages: list[Package] = []
    for number in range(count):
        ecosystem = ECOSYSTEMS[number % len(ECOSYSTEMS)]
        releases: list[str] = []
        for major in range(rng.randint(1, 4)):
            for minor in range(rng.randint(2, 6)):
                for patch in range(rng.randint(1, 5)):
                    if major and not minor and not patch:
                        releases.append(_release_text(ecosystem, major, 0, 0, pre=True))
                    releases.append(_release_text(ecosystem, major, minor, patch, pre=False))
        packages.append(Package(ecosystem=ecosystem, name=_name(ecosystem, number),
                                releases=tuple(releases)))  # fmt: skip
    return packages


def _name(ecosystem: Ecosystem, number: int) -> str:
    if ecosystem is Ecosystem.MAVEN:
        return f"org.example{number % 97}:artifact-{number}"
    if ecosystem is Ecosystem.GO:
        return f"github.com/org{number % 89}/module{number}"
    if ecosystem is Ecosystem.PACKAGIST:
        return f"vendor{number % 83}/package-{number}"
    if ecosystem is Ecosystem.NPM and number % 5 == 0:
        return f"@scope{number % 7}/pkg-{number}"
    return f"package-{number}"


def make_record(rng: random.Random, number: int, package: Package, shared_cve: str | None) -> Any:
    releases = package.releases
    start = rng.randrange(len(releases))
    end = min(len(releases) - 1, start + rng.randint(1, 6))
    range_type = "SEMVER" if package.ecosystem in (Ecosystem.GO, Ecosystem.CARGO) else "ECOSYSTEM"
    events: list[dict[str, str]] = [{"introduced": "0" if start == 0 else releases[start]}]
    events.append({"last_affected": releases[end - 1]} if number % 9 == 0
                  else {"fixed": releases[end]})  # fmt: skip
    ranges = [{"type": range_type, "events": events}]
    if number % 8 == 0 and end + 2 < len(releases):  # reintroduced later, not fixed yet
        ranges.append({"type": range_type, "events": [{"introduced": releases[end + 1]}]})
    affected: dict[str, Any] = {
        "package": {"ecosystem": package.ecosystem.value, "name": package.name},
        "ranges": ranges,
    }
    if package.ecosystem is Ecosystem.PYPI and number % 3 == 0:
        affected["versions"] = list(releases[start:end])
    kind, vector = VECTORS[number % len(VECTORS)]
    cve = shared_cve or f"CVE-2024-{number:06d}"
    record: dict[str, Any] = {
        "schema_version": "1.6.0",
        "id": f"OSV-2024-{number:06d}",
        "modified": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}T00:00:00Z",
        "published": "2024-01-01T00:00:00Z",
        "aliases": [cve],
        "summary": f"Synthetic vulnerability {number} in {package.name}",
        "details": "Generated for the benchmark.",
        "severity": [{"type": kind, "score": vector}],
        "affected": [affected],
        "database_specific": {"cwe_ids": [f"CWE-{79 + number % 20}"]},
    }
    if number % 500 == 0:
        record["withdrawn"] = "2024-06-01T00:00:00Z"
    return record


def write_exports(
    folder: Path, rng: random.Random, packages: list[Package], records: int
) -> list[Path]:
    by_ecosystem: dict[Ecosystem, list[Any]] = {}
    for number in range(records):
        package = packages[rng.randrange(len(packages))]
        # Every tenth record repeats the CVE of the one before: two ids, one advisory.
        shared = f"CVE-2024-{number - 1:06d}" if number % 10 == 1 else None
        by_ecosystem.setdefault(package.ecosystem, []).append(
            make_record(rng, number, package, shared)
        )
    paths: list[Path] = []
    for ecosystem, items in sorted(by_ecosystem.items()):
        path = folder / f"{ecosystem.value}-all.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in items:
                archive.writestr(f"{item['id']}.json", json.dumps(item))
        paths.append(path)
    return paths


def make_components(rng: random.Random, packages: list[Package], count: int) -> list[Component]:
    components: list[Component] = []
    for number in range(count):
        if number % 5 == 4:
            ecosystem = ECOSYSTEMS[number % len(ECOSYSTEMS)]
            name, version = _name(ecosystem, 10_000_000 + number), "1.0.0"
        else:
            package = packages[rng.randrange(len(packages))]
            ecosystem, name = package.ecosystem, package.name
            version = package.releases[rng.randrange(len(package.releases))]
        if ecosystem is Ecosystem.GO:
            version = "v" + version
        components.append(
            Component(name=name, version=version, ecosystem=ecosystem,
                      purl=make_purl(ecosystem, name, version), direct=number % 3 == 0,
                      scope=Scope.RUNTIME, declared_in="lock", line=number + 1)
        )  # fmt: skip
    return components


def time_matching(path: Path, components: list[Component]) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    index = VulnIndex.open_for_reading(path)
    try:
        results = match_components(components, index)
    finally:
        index.close()
    elapsed = time.perf_counter() - started
    statuses: Counter[str] = Counter()
    for item in results:
        for vulnerability in item.vulnerabilities:
            statuses[vulnerability.status.value] += 1
            statuses[f"severity.{vulnerability.severity.value}"] += 1
    statuses["vulnerable_components"] = sum(
        any(v.status is HitStatus.AFFECTED for v in item.vulnerabilities) for item in results
    )
    return elapsed, dict(sorted(statuses.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--packages", type=int, default=4_000)
    parser.add_argument("--components", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--json", type=Path, dest="json_out")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    packages = make_packages(rng, args.packages)
    with tempfile.TemporaryDirectory(prefix="assay-bench-vulns-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        exports = write_exports(folder, rng, packages, args.records)
        generate_s = time.perf_counter() - started
        db_path = folder / "vulndb.sqlite3"
        started = time.perf_counter()
        with VulnIndex.open_for_import(db_path) as index:
            report = index.import_records(load_paths(exports), source="benchmark")
        import_s = time.perf_counter() - started
        components = make_components(rng, packages, args.components)
        time_matching(db_path, components)  # warm-up: page cache and imports
        samples = []
        for _ in range(args.repeat):
            elapsed, counts = time_matching(db_path, components)
            samples.append(elapsed)
        db_bytes = db_path.stat().st_size
    best = min(samples)
    result = {
        "records": args.records,
        "packages": args.packages,
        "components": args.components,
        "generate_s": round(generate_s, 3),
        "import_s": round(import_s, 3),
        "imported": {"added": report.added, "withdrawn": report.withdrawn,
                     "skipped": len(report.skipped)},
        "db_bytes": db_bytes,
        "match_s_best": round(best, 4),
        "match_s_samples": [round(s, 4) for s in samples],
        "target_s": TARGET_S,
        "ratio_to_target": round(best / TARGET_S, 3),
        "passed": best <= TARGET_S,
        "findings": counts,
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
    }  # fmt: skip
    print(f"records {args.records:,} over {args.packages:,} packages; "
          f"components {args.components:,}")  # fmt: skip
    print(f"generate exports   {generate_s:8.2f} s")
    print(f"import (load+index){import_s:8.2f} s   ({report.added:,} records, "
          f"{len(report.skipped)} skipped, database {db_bytes / 1e6:.1f} MB)")  # fmt: skip
    print(f"match (best of {args.repeat}) {best:8.3f} s   samples "
          f"{', '.join(f'{s:.3f}' for s in samples)}")  # fmt: skip
    print(f"target {TARGET_S:.1f} s: {best / TARGET_S:.2f} of the target -> "
          f"{'PASS' if best <= TARGET_S else 'MISS'}")  # fmt: skip
    print(f"findings: {counts}")
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if best <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
