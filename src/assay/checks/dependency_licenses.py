"""Licences of dependencies: denied or unrecognised licences among the declared ones.

Licences come from where the files carry them: ``package-lock.json`` entries,
``composer.lock`` packages, the manifests of path dependencies kept in the
repository (``pyproject.toml``, ``Cargo.toml``, ``package.json`` at the path), and
the ``.nuspec`` of NuGet packages kept in the repository.
Most lock formats do not record licences at all; those components count as
``undeclared`` in the measures and give no finding (docs/checks.md).
"""

from __future__ import annotations

import posixpath
from collections import Counter
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, finding
from assay.deps.inventory import DEFAULT_MAX_SIZE, collect, decode
from assay.deps.licenses import JudgedLicense, LicenseCategory, acceptable, judge
from assay.deps.model import Component, Ecosystem, ManifestError, SourceKind
from assay.deps.nuspec import MAX_NUSPEC_BYTES, package_key, read_nuspec
from assay.deps.path_licenses import declared_license
from assay.model import Finding, Measure, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot, entry_index, read_one

_CATEGORY_NAMES = ", ".join(category.value for category in LicenseCategory)


class LicenseParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    allow: list[str] = Field(
        default_factory=list,
        description="SPDX ids or categories always accepted; when not empty, every other "
        "licence is denied. Categories: " + _CATEGORY_NAMES + ".",
    )
    deny: list[str] = Field(
        default_factory=lambda: ["strong-copyleft", "proprietary"],
        description="SPDX ids or categories denied (ignored for licences in `allow`).",
    )
    report_unknown: bool = Field(
        default=True, description="A declared licence that is not recognised is a finding."
    )
    ignore_dev: bool = Field(
        default=False, description="Leave out components only used for development."
    )


class DependencyLicensesCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = "license.dependencies"
    version: ClassVar[str] = "2"  # 2: licences from the .nuspec of NuGet packages in the tree
    description: ClassVar[str] = (
        "Declared licences of dependencies: denied categories or ids, and unrecognised ones."
    )
    Params: ClassVar[type[BaseModel]] = LicenseParams

    def run(self, snapshot: Snapshot, params: LicenseParams) -> CheckOutput:
        inventory = collect(snapshot, max_size=DEFAULT_MAX_SIZE)
        components = [
            c for c in inventory.unique() if not (params.ignore_dev and c.scope.value == "dev")
        ]
        if not components:
            return CheckOutput(not_applicable="no dependency declared in the repository")
        findings: list[Finding] = []
        categories: Counter[str] = Counter()
        nuspecs = _Nuspecs(snapshot)
        for component in components:
            declared = (
                component.license
                or _path_license(snapshot, component)
                or nuspecs.license(component)
            )
            if declared is None:
                categories["undeclared"] += 1
                continue
            judged = judge(declared)
            categories[judged.category.value] += 1
            problem = _problem(judged, params)
            if problem is not None:
                findings.append(self._finding(component, judged, problem))
        measures = [
            Measure(check_id=self.id, name="license.components", value=count,
                    unit="components", labels={"category": name})
            for name, count in sorted(categories.items())
        ]  # fmt: skip
        return CheckOutput(findings=findings, measures=measures)

    def _finding(self, component: Component, judged: JudgedLicense, problem: str) -> Finding:
        version = f" {component.version}" if component.version else ""
        rule = "license.unknown" if judged.category is LicenseCategory.UNKNOWN else "license.denied"
        return finding(
            self.id,
            rule,
            f"{component.name}{version} ({component.ecosystem.value}) is licensed "
            f"{judged.declared!r}: {problem}",
            severity=Severity.LOW if rule == "license.unknown" else Severity.HIGH,
            path=component.declared_in,
            start_line=component.line,
            end_line=component.line,
            key=f"{component.purl.split('@')[0]}|{judged.declared}",
            properties={"purl": component.purl, "category": judged.category.value},
        )


def _problem(judged: JudgedLicense, params: LicenseParams) -> str | None:
    """Why the licence is not acceptable, or None when it is."""
    if judged.expression is None:
        if judged.category is LicenseCategory.UNKNOWN:
            accepted = "unknown" in params.allow or not params.report_unknown
            return None if accepted else "not a recognised SPDX licence expression"
        return _by_category(judged.category, params)
    if params.allow:
        return _outside_allow(judged.expression, set(params.allow))
    denied = set(params.deny)
    if acceptable(judged.expression, lambda id_, cat: id_ not in denied and cat not in denied):
        return None
    named = sorted(set(judged.ids) & denied)
    if named:
        return f"{', '.join(named)} is denied by the policy"
    return f"{judged.category.value} licences are denied by the policy"


def _outside_allow(expression: str, allowed: set[str]) -> str | None:
    if acceptable(expression, lambda id_, cat: id_ in allowed or cat in allowed):
        return None
    return f"not in the allowed licences ({', '.join(sorted(allowed))})"


def _by_category(category: LicenseCategory, params: LicenseParams) -> str | None:
    """For declarations that are no expression (``UNLICENSED``): the category decides."""
    if params.allow:
        allowed = ", ".join(sorted(params.allow))
        return None if category in params.allow else f"not in the allowed licences ({allowed})"
    if category in params.deny:
        return f"{category.value} licences are denied by the policy"
    return None


def _path_license(snapshot: Snapshot, component: Component) -> str | None:
    """The licence a path dependency's own manifest declares, when it is in the repository."""
    if component.source is not SourceKind.PATH or not component.location:
        return None
    folder = posixpath.normpath(
        posixpath.join(posixpath.dirname(component.declared_in), component.location)
    )
    if folder.startswith(".."):
        return None
    index = entry_index(snapshot.entries)
    for name in ("pyproject.toml", "Cargo.toml", "package.json", "composer.json"):
        path = name if folder == "." else f"{folder}/{name}"
        if path not in index:
            continue
        data = read_one(snapshot, path, limit=1024 * 1024)
        if data is None:
            continue
        try:
            return declared_license(name, decode(path, data))
        except ManifestError:
            return None
    return None


class _Nuspecs:
    """Licence expressions of the NuGet packages whose ``.nuspec`` is in the tree, in the
    folder NuGet restores a package to (``<Id>.<Version>/<Id>.nuspec``; the first by path
    wins). Read on the first NuGet component that has no licence of its own, then kept.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._licenses: dict[tuple[str, str], str] | None = None

    def license(self, component: Component) -> str | None:
        if component.ecosystem is not Ecosystem.NUGET or component.version is None:
            return None
        if self._licenses is None:
            self._licenses = self._read()
        return self._licenses.get(package_key(component.name, component.version))

    def _read(self) -> dict[tuple[str, str], str]:
        wanted = [
            entry for entry in self._snapshot.entries
            if entry.kind in READABLE_KINDS and entry.path.lower().endswith(".nuspec")
            and entry.size <= MAX_NUSPEC_BYTES
        ]  # fmt: skip
        licenses: dict[tuple[str, str], str] = {}
        for entry, data in self._snapshot.read_blobs(wanted):
            nuspec = read_nuspec(data)
            if nuspec is None or nuspec.expression is None:
                continue
            # Only where NuGet puts a package, <Id>.<Version>/<Id>.nuspec: any other
            # nuspec (the product's own, a fixture) says nothing about a dependency.
            folder, name = posixpath.split(entry.path)
            expected = f"{nuspec.package}.{nuspec.version}".casefold()
            at_home = posixpath.basename(folder).casefold() == expected and (
                name.casefold() == f"{nuspec.package}.nuspec".casefold()
            )
            if at_home:
                licenses.setdefault(package_key(nuspec.package, nuspec.version), nuspec.expression)
        return licenses
