"""Known vulnerabilities: the product's dependencies matched against the local OSV database.

Components come from the dependency inventory (every manifest and lock file,
parsed, never executed). Each component with an exact version from a package
registry is matched against the local vulnerability database (``assay vulndb``),
with its ecosystem's version semantics (:mod:`assay.vulndb.match`). One finding
per (component, advisory): the advisory's records under several ids (GHSA, CVE,
PYSEC ...) are one finding, whose rule is the advisory's id.

Fail closed: no database, no records for an ecosystem the product uses, or a
database older than ``max_age_days`` raises an error, so the controls this check
serves get the verdict ``error`` with the reason, never ``pass``. A record that
cannot be evaluated for a component is a finding of its own, and so is a
dependency file that could not be read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assay.checks.api import CheckOutput, finding
from assay.deps.inventory import DEFAULT_MAX_SIZE, collect
from assay.deps.model import Component, Scope, SourceKind
from assay.deps.purl import versionless
from assay.model import Finding, Measure, Severity
from assay.snapshot.base import Snapshot
from assay.vulndb.index import Status, VulnIndex, require_fresh
from assay.vulndb.match import HitStatus, Vulnerability, match_components

NO_FILES = "no dependency manifest or lock file"
NO_COMPONENTS = "no dependency with an exact version from a package registry"
UNCHECKED_RULE = "vulns.unchecked-file"
# CWE-1395: dependency on a vulnerable third-party component.
_CWE_VULNERABLE_COMPONENT = 1395
# CWE-1104: use of unmaintained (here: unauditable) third-party components.
_CWE_UNAUDITABLE = 1104
_ALIASES_SHOWN = 3
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class IgnoredAdvisory(BaseModel):
    """An advisory the product does not act on, with the reason (mandatory)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: NonBlank = Field(description="Advisory id or any of its aliases (CVE, GHSA, PYSEC...).")
    package: NonBlank | None = Field(
        default=None,
        description="Only for this package: its name as the lock file spells it, or its purl "
        "without version. Default: every package.",
    )
    reason: NonBlank = Field(description="Why the product is not exposed, or what mitigates it.")
    until: date | None = Field(
        default=None, description="Last day the suppression holds; after it the finding returns."
    )


class VulnsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    max_age_days: int = Field(
        default=7,
        ge=1,
        description="The database of every ecosystem the product uses must have been imported "
        "within this many days.",
    )
    ignore_dev: bool = Field(
        default=False, description="Leave out components that only serve development."
    )
    ignore: list[IgnoredAdvisory] = Field(
        default_factory=list, description="Advisories suppressed, each with a reason."
    )
    max_file_size: int = Field(
        default=DEFAULT_MAX_SIZE,
        ge=1,
        description="Dependency files larger than this many bytes are reported, not read.",
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class _Selection:
    checked: tuple[Component, ...]
    skipped: Counter[str]


class VulnsCheck:
    kind: ClassVar[Literal["product"]] = "product"
    # The database changes under an unchanged commit.
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = "vulns.osv"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Dependencies with known vulnerabilities, from the local OSV database (assay vulndb)."
    )
    Params: ClassVar[type[BaseModel]] = VulnsParams

    def run(self, snapshot: Snapshot, params: VulnsParams) -> CheckOutput:
        inventory = collect(snapshot, max_size=params.max_file_size)
        unchecked = [
            finding(self.id, UNCHECKED_RULE,
                    f"{error}; its dependencies were not checked for known vulnerabilities",
                    severity=Severity.MEDIUM, path=error.path, start_line=error.line,
                    end_line=error.line, cwe=[_CWE_UNAUDITABLE])
            for error in inventory.errors
        ]  # fmt: skip
        selection = _select(inventory.components, ignore_dev=params.ignore_dev)
        if not selection.checked and not unchecked:
            return CheckOutput(not_applicable=NO_COMPONENTS if inventory.files else NO_FILES)
        now = datetime.now(UTC)
        lookup = _look_up(selection.checked, params, now) if selection.checked else _Lookup()
        report = _Report(self.id, params, now.date())
        for component, vulnerability in lookup.results:
            report.add(component, vulnerability)
        findings = sorted(report.findings, key=_finding_order) + unchecked
        return CheckOutput(
            findings=findings,
            measures=self._measures(selection, report, len(unchecked), lookup.age_days),
            tool_versions=lookup.versions,
        )

    def _measures(
        self, selection: _Selection, report: _Report, unchecked: int, age: float
    ) -> list[Measure]:
        def measure(name: str, value: float, unit: str, **labels: str) -> Measure:
            return Measure(check_id=self.id, name=name, value=value, unit=unit, labels=labels)

        measures = [
            measure("vulns.components.checked", len(selection.checked), "components"),
            measure("vulns.components.vulnerable", len(report.vulnerable), "components"),
        ]
        measures.extend(
            measure("vulns.components.skipped", selection.skipped[reason], "components",
                    reason=reason)
            for reason in _SKIP_REASONS
        )  # fmt: skip
        measures.extend(
            measure("vulns.advisories", len(report.advisories[severity]), "advisories",
                    severity=severity.value)
            for severity in sorted(Severity, key=lambda s: -s.rank)
        )  # fmt: skip
        measures += [
            measure("vulns.unevaluated", report.unevaluated, "findings"),
            measure("vulns.suppressed", report.suppressed, "findings"),
            measure("vulns.unchecked_files", unchecked, "files"),
            measure("vulns.database_age", int(age), "days"),
        ]
        return measures


_SKIP_REASONS = ("no exact version", "not from a registry", "development only")


@dataclass(frozen=True, kw_only=True, slots=True)
class _Lookup:
    """What the database says about the components, and which database said it."""

    results: Sequence[tuple[Component, Vulnerability]] = ()
    versions: dict[str, str] = field(default_factory=dict)
    age_days: float = 0.0


def _look_up(components: Sequence[Component], params: VulnsParams, now: datetime) -> _Lookup:
    """Match ``components``; raise when the database is missing or too old for them."""
    used = {c.ecosystem.value for c in components}
    with VulnIndex.open_for_reading() as index:
        status = index.status()
        require_fresh(status, {c.ecosystem for c in components},
                      max_age_days=params.max_age_days, now=now)  # fmt: skip
        matched = match_components(components, index)
    return _Lookup(
        results=[(m.component, v) for m in matched for v in m.vulnerabilities],
        versions={"osv-database": _database_version(status, used)},
        age_days=_oldest(status, used, now),
    )


def _select(components: Sequence[Component], *, ignore_dev: bool) -> _Selection:
    checked: list[Component] = []
    skipped: Counter[str] = Counter()
    for component in components:
        if not component.version:
            skipped["no exact version"] += 1
        elif component.source is not SourceKind.REGISTRY:
            skipped["not from a registry"] += 1
        elif ignore_dev and component.scope is Scope.DEV:
            skipped["development only"] += 1
        else:
            checked.append(component)
    return _Selection(checked=tuple(checked), skipped=skipped)


def _database_version(status: Status, ecosystems: set[str]) -> str:
    """Which imports the audit used: evidence that can be reproduced."""
    return "; ".join(
        f"{entry.ecosystem} imported {entry.imported_at}"
        for entry in status.ecosystems
        if entry.ecosystem in ecosystems
    )


def _oldest(status: Status, ecosystems: set[str], now: datetime) -> float:
    """Days since the oldest import among ``ecosystems``."""
    ages = (entry.age_days(now) for entry in status.ecosystems if entry.ecosystem in ecosystems)
    return max((age for age in ages if age is not None), default=0.0)


def _finding_order(item: Finding) -> tuple[str, int, int, str]:
    return (item.path or "", item.start_line or 0, -item.severity.rank, item.rule)


class _Report:
    """Findings, with suppressions applied, and the counts the measures need."""

    def __init__(self, check_id: str, params: VulnsParams, today: date) -> None:
        self.check_id = check_id
        self.params = params
        self.today = today
        self.findings: list[Finding] = []
        self.vulnerable: set[str] = set()
        self.advisories: dict[Severity, set[str]] = {s: set() for s in Severity}
        self.unevaluated = 0
        self.suppressed = 0

    def add(self, component: Component, vulnerability: Vulnerability) -> None:
        rules = [r for r in self.params.ignore if _concerns(r, component, vulnerability)]
        if any(r.until is None or self.today <= r.until for r in rules):
            self.suppressed += 1
            return
        expired = max((r.until for r in rules if r.until is not None), default=None)
        if vulnerability.status is HitStatus.AFFECTED:
            self.vulnerable.add(component.purl)
            self.advisories[vulnerability.severity].add(vulnerability.id)
        else:
            self.unevaluated += 1
        self.findings.append(_finding(self.check_id, component, vulnerability, expired))


def _concerns(rule: IgnoredAdvisory, component: Component, vulnerability: Vulnerability) -> bool:
    if rule.id not in (vulnerability.id, *vulnerability.aliases):
        return False
    return rule.package is None or rule.package in (component.name, versionless(component.purl))


def _finding(
    check_id: str, component: Component, vulnerability: Vulnerability, expired: date | None
) -> Finding:
    v = vulnerability
    properties = {
        "package": component.name,
        "version": component.version or "",
        "ecosystem": component.ecosystem.value,
        "purl": component.purl,
        "status": v.status.value,
        "aliases": ", ".join(v.aliases),
        "records": ", ".join(v.records),
        "fixed_versions": ", ".join(v.fixed),
        "severity_source": v.severity_source,
        "scope": component.scope.value,
        "direct": {True: "yes", False: "no", None: "unknown"}[component.direct],
    }
    if v.upgrade_to is not None:
        properties["upgrade_to"] = v.upgrade_to
    if v.score is not None:
        properties["cvss_score"] = f"{v.score:.1f}"
    if v.reasons:
        properties["unevaluated_because"] = "; ".join(v.reasons)
    if expired is not None:
        properties["suppression_expired"] = expired.isoformat()
    return finding(
        check_id,
        v.id,
        _message(component, v),
        severity=v.severity,
        path=component.declared_in,
        start_line=component.line,
        end_line=component.line,
        key=f"{versionless(component.purl)} {v.id}",
        cwe=v.cwe or [_CWE_VULNERABLE_COMPONENT],
        properties=properties,
    )


def _message(component: Component, v: Vulnerability) -> str:
    known = f" (also {_shortened(v.aliases)})" if v.aliases else ""
    what = f"{component.name} {component.version}"
    summary = f": {v.summary}" if v.summary else ""
    if v.fixed:
        upgrade = f"; upgrade to {v.upgrade_to}" if v.upgrade_to else ""
        remedy = f"fixed in {', '.join(v.fixed)}{upgrade}"
    else:
        remedy = "no fixed version is known"
    if v.status is HitStatus.UNEVALUATED:
        return (
            f"{what} may be affected by {v.id}{known}{summary}; the advisory could not be "
            f"evaluated for this version ({'; '.join(v.reasons)}): check it by hand; {remedy}"
        )
    return f"{what} is affected by {v.id}{known}{summary}; {remedy}"


def _shortened(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_ALIASES_SHOWN])
    more = len(ids) - _ALIASES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown
