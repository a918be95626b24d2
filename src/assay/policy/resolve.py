"""Resolving a policy for one product: which controls apply, with which settings, and why.

The pipeline's ``resolve(product)`` stage. A policy's controls are its own, those of
the standards it extends (``iso27001-2022:A.8.28``) and those of the policies it
extends. For one product:

* **Applicability.** An exclusion whose ``when`` matches the product takes the
  control out, with its justification and approver. Otherwise, a control that some
  ``scope`` rule selects applies only where one of those rules matches; a control no
  scope rule selects applies to every product.
* **Settings.** Each value comes from the most specific source that sets it:
  a ``parameters`` rule whose ``when`` matches (the one with more keys in ``when``
  wins; between equals, the one read last: a policy's own rules come after those of
  the policies it extends), else the policy's ``checks:`` (the extending policy's
  over the extended one's), else the standard's default, else the check's own.

Every decision keeps where it came from (``file:line``), for ``assay policy explain``.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from assay.checks.registry import Registry
from assay.errors import ConfigError
from assay.model import ProductInfo, Severity, Verdict, VerdictStatus
from assay.policy import LoadedPolicy
from assay.policy.model import (
    Control,
    Enforcement,
    MeasureCondition,
    NoFindings,
    NoFindingsCondition,
    ParameterRule,
    ProductMatch,
)
from assay.snapshot.base import Snapshot
from assay.standards.model import Catalog, CatalogControl

_HINT = "fix the policy; docs/policy.md (Tailoring) describes scope, exclude and parameters"


@dataclass(frozen=True, kw_only=True)
class ProductFacts:
    """What rules match on; ``languages`` is asked only if a rule names languages."""

    name: str
    tier: int | None = None
    team: str | None = None
    tags: frozenset[str] = frozenset()
    data_classification: str | None = None
    languages: Callable[[], frozenset[str]] = field(default=frozenset, repr=False)


@dataclass(frozen=True, kw_only=True)
class Setting:
    """One value a control or check gets, and where it came from."""

    name: str
    value: object
    source: str


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """A control of the policy before tailoring, with where it came from."""

    control: Control
    standard: str | None  # the catalog's id; None for the policy's own controls
    origin: str
    tags: tuple[str, ...] = ()
    needs_attestation: bool = False  # automated evidence, and a person attests the rest
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)  # the standard's


@dataclass(frozen=True, kw_only=True)
class ResolvedControl:
    control: Control  # with the settings that apply to this product
    standard: str | None
    origin: str
    applies: bool
    why: str
    settings: tuple[Setting, ...]
    needs_attestation: bool


@dataclass(frozen=True, kw_only=True)
class Resolved:
    """The policy for one product; ``loaded`` is it flattened, for binding and evaluating."""

    controls: tuple[ResolvedControl, ...]
    check_settings: dict[str, tuple[Setting, ...]]
    loaded: LoadedPolicy

    def applicable(self) -> list[ResolvedControl]:
        return [c for c in self.controls if c.applies]


@dataclass(frozen=True, kw_only=True)
class _Rule:
    """A scope, exclusion or parameter rule with its policy and place (for ordering)."""

    loaded: LoadedPolicy
    kind: str  # "scope", "exclude", "parameters"
    index: int
    order: int

    def where(self, *path: str | int) -> str:
        return self.loaded.where((self.kind, self.index, *path))


# --------------------------------------------------------------------------- candidates


def candidates(loaded: LoadedPolicy) -> list[Candidate]:
    """Every control of the policy, in order: what it extends first, then its own."""
    found: dict[str, Candidate] = {}
    for candidate in _candidates(loaded):
        known = found.get(candidate.control.id)
        if known is None:
            found[candidate.control.id] = candidate
        elif known.standard is None or candidate.standard is None:
            problem = (
                f"control {candidate.control.id!r} is defined twice: "
                f"{known.origin} and {candidate.origin}"
            )
            raise ConfigError(problem, hint=_HINT)
    return list(found.values())


def _candidates(loaded: LoadedPolicy, seen: set[str] | None = None) -> Iterator[Candidate]:
    seen = set() if seen is None else seen
    if loaded.identity:
        seen.add(loaded.identity)
    standards = iter(loaded.standards)
    parents = iter(loaded.parents)
    for extension in loaded.policy.extends:
        if extension.standard is not None:
            yield from _catalog_candidates(next(standards))
            continue
        parent = next(parents)
        if parent.identity not in seen:  # a policy extended twice (a diamond) counts once
            yield from _candidates(parent, seen)
    for index, control in enumerate(loaded.policy.controls):
        yield Candidate(control=control, standard=None,
                        origin=loaded.where(("controls", index)))  # fmt: skip


def _catalog_candidates(extended: Any) -> Iterator[Candidate]:
    catalog: Catalog = extended.catalog
    for entry in catalog.walk():
        if not entry.assessable or not _selected(entry, extended.select):
            continue
        yield Candidate(
            control=catalog_control(catalog, entry),
            standard=catalog.id,
            origin=f"{extended.source}, extended at {extended.where}",
            tags=tuple(entry.tags),
            needs_attestation=entry.manual and entry.evidence is not None,
            defaults=dict(entry.evidence.params) if entry.evidence else {},
        )


def _selected(entry: CatalogControl, select: Sequence[str]) -> bool:
    if not select:
        return True
    return any(_matches_selector(s, entry.id, tuple(entry.tags)) for s in select)


def catalog_control(catalog: Catalog, entry: CatalogControl) -> Control:
    """A catalog's assessable control as a policy control (``catalog:id``)."""
    evidence = entry.evidence
    condition = evidence.condition if evidence else NoFindingsCondition(no_findings=NoFindings())
    return Control(
        id=f"{catalog.id}:{entry.id}",
        title=entry.title,
        objective=entry.objective,
        severity=entry.severity,
        checks=list(evidence.checks) if evidence else [],
        condition=condition,
        manual=evidence is None,
    )


def _matches_selector(selector: str, control_id: str, tags: tuple[str, ...]) -> bool:
    if selector.startswith("tag:"):
        return selector[4:] in tags
    return fnmatch.fnmatchcase(control_id, selector)


def selects(selector: str, candidate: Candidate) -> bool:
    return _matches_selector(selector, candidate.control.id, candidate.tags)


# --------------------------------------------------------------------------- rules


def _rules(loaded: LoadedPolicy, kind: str) -> list[_Rule]:
    """The rules of ``kind`` of the extended policies, then the policy's own."""
    rules: list[_Rule] = []
    for policy in _chain(loaded):
        own = getattr(policy.policy, kind)
        rules += [_Rule(loaded=policy, kind=kind, index=i, order=len(rules) + i)
                  for i in range(len(own))]  # fmt: skip
    return rules


def _rule(rule: _Rule) -> Any:
    return getattr(rule.loaded.policy, rule.kind)[rule.index]


def matches(match: ProductMatch, facts: ProductFacts) -> bool:
    """Whether every key ``match`` sets holds for the product."""
    if match.products and facts.name not in match.products:
        return False
    if match.tier and facts.tier not in match.tier:
        return False
    if match.team and facts.team not in match.team:
        return False
    if match.tags and not facts.tags.intersection(match.tags):
        return False
    if match.data_classification and facts.data_classification not in match.data_classification:
        return False
    return not match.languages or bool(facts.languages().intersection(match.languages))


def describe_match(match: ProductMatch) -> str:
    """``tier 1 or 2, team payments``: what a ``when`` asks, in words."""
    parts = []
    for name in type(match).model_fields:
        values = getattr(match, name)
        if values:
            shown = " or ".join(str(v) for v in values)
            parts.append(f"{name.replace('_', ' ')} {shown}")
    return ", ".join(parts) or "every product"


# --------------------------------------------------------------------------- validation


def validate(loaded: LoadedPolicy) -> None:
    """Rules that select no control, and thresholds on controls without a measure."""
    every = candidates(loaded)
    problems: list[str] = []
    for kind in ("scope", "exclude"):
        for index, rule in enumerate(getattr(loaded.policy, kind)):
            for number, selector in enumerate(rule.controls):
                if not any(selects(selector, c) for c in every):
                    problem = f"{selector!r} selects no control of the policy"
                    problems.append(loaded.problem_at((kind, index, "controls", number), problem))
    for index, rule in enumerate(loaded.policy.parameters):
        problems += _parameter_problems(loaded, index, rule, every)
    if problems:
        raise ConfigError("\n".join(problems), hint=_HINT)


def _parameter_problems(
    loaded: LoadedPolicy, index: int, rule: ParameterRule, every: Sequence[Candidate]
) -> list[str]:
    problems = []
    for key in ("thresholds", "severity"):
        for selector in getattr(rule, key):
            chosen = [c for c in every if selects(selector, c)]
            path = ("parameters", index, key, selector)
            if not chosen:
                problem = f"{selector!r} selects no control of the policy"
                problems.append(loaded.problem_at(path, problem, key=True))
            elif key == "thresholds":
                no_measure = [c.control.id for c in chosen
                              if not isinstance(c.control.condition, MeasureCondition)]  # fmt: skip
                if no_measure:
                    problem = f"{', '.join(no_measure)} has no measure condition to set bounds of"
                    problems.append(loaded.problem_at(path, problem, key=True))
    return problems


# --------------------------------------------------------------------------- resolving


def resolve(loaded: LoadedPolicy, facts: ProductFacts) -> Resolved:
    """The policy as it applies to the product ``facts`` describes."""
    every = candidates(loaded)
    parameter_rules = _winning_order(
        [r for r in _rules(loaded, "parameters") if matches(_rule(r).when, facts)]
    )
    exclusions = _rules(loaded, "exclude")
    scopes = _rules(loaded, "scope")
    resolved = []
    for candidate in every:
        applies, why = _applicability(candidate, exclusions, scopes, facts)
        control, settings = _tailored(candidate, parameter_rules)
        resolved.append(
            ResolvedControl(
                control=control, standard=candidate.standard, origin=candidate.origin,
                applies=applies, why=why, settings=settings,
                needs_attestation=candidate.needs_attestation,
            )
        )  # fmt: skip
    applicable = [c for c in resolved if c.applies]
    applying = [c for c, r in zip(every, resolved, strict=True) if r.applies]
    checks, check_settings = _check_params(loaded, applying, parameter_rules)
    policy = loaded.policy.model_copy(
        update={"controls": [c.control for c in applicable], "checks": checks}
    )
    # The flattened policy is no longer the file: problems found binding it name the
    # source and the key, never a line of the file that holds something else.
    flat = dataclasses.replace(loaded.with_policy(policy, loaded.source), document=None)
    return Resolved(controls=tuple(resolved), check_settings=check_settings, loaded=flat)


def resolve_for_validation(loaded: LoadedPolicy) -> Resolved:
    """Every control applying, with the parameters no product rule changes: what
    ``assay policy validate`` binds to the installed checks."""
    everything = resolve(loaded, ProductFacts(name="\0every product"))
    every = candidates(loaded)
    checks, check_settings = _check_params(loaded, every, [])
    policy = loaded.policy.model_copy(
        update={"controls": [c.control for c in every], "checks": checks}
    )
    flat = dataclasses.replace(loaded.with_policy(policy, loaded.source), document=None)
    return Resolved(
        controls=tuple(dataclasses.replace(c, applies=True) for c in everything.controls),
        check_settings=check_settings,
        loaded=flat,
    )


def parameter_rule_problems(loaded: LoadedPolicy, registry: Registry) -> list[str]:
    """Check parameters in ``parameters`` rules that the check does not take, with where."""
    problems = []
    for rule in _rules(loaded, "parameters"):
        for check_id, params in _rule(rule).checks.items():
            check = registry.get(check_id)
            path = ("parameters", rule.index, "checks", check_id)
            if check is None:
                if check_id not in registry.broken:
                    problem = f"unknown check {check_id!r}; `assay checks` lists the installed ones"
                    problems.append(rule.loaded.problem_at(path, problem, key=True))
                continue
            try:
                check.Params.model_validate(params)
            except ValidationError as error:
                for item in error.errors():
                    problems.append(rule.loaded.problem_at((*path, *item["loc"]), item["msg"]))
    return problems


def _winning_order(rules: list[_Rule]) -> list[_Rule]:
    """Weakest first: a later rule's value replaces an earlier one's."""
    return sorted(rules, key=lambda r: (_rule(r).when.specificity, r.order))


def _applicability(
    candidate: Candidate, exclusions: list[_Rule], scopes: list[_Rule], facts: ProductFacts
) -> tuple[bool, str]:
    for rule in exclusions:
        exclusion = _rule(rule)
        if _rule_selects(exclusion.controls, candidate) and matches(exclusion.when, facts):
            return False, (
                f"excluded: {exclusion.justification} (approved by {exclusion.approver}; "
                f"{rule.where()})"
            )
    selecting = [r for r in scopes if _rule_selects(_rule(r).controls, candidate)]
    if not selecting:
        return True, "applies to every product (no scope rule selects it)"
    for rule in selecting:
        if matches(_rule(rule).when, facts):
            return True, f"in scope: {describe_match(_rule(rule).when)} ({rule.where()})"
    asked = "; ".join(f"{describe_match(_rule(r).when)} ({r.where()})" for r in selecting)
    return False, f"out of scope: applies only to {asked}"


def _rule_selects(selectors: Sequence[str], candidate: Candidate) -> bool:
    return any(selects(s, candidate) for s in selectors)


def _tailored(candidate: Candidate, rules: list[_Rule]) -> tuple[Control, tuple[Setting, ...]]:
    """The control with the severity and bounds that win for this product."""
    control = candidate.control
    severity = _severity(candidate, rules)
    bounds = _bounds(candidate, rules)
    update: dict[str, Any] = {"severity": Severity(str(severity.value))}
    if bounds:
        assert isinstance(control.condition, MeasureCondition)  # bounds come from one
        measure = control.condition.measure.model_copy(
            update={name: s.value for name, s in bounds.items()}
        )
        update["condition"] = MeasureCondition(measure=measure)
    return control.model_copy(update=update), (severity, *bounds.values())


def _severity(candidate: Candidate, rules: list[_Rule]) -> Setting:
    control = candidate.control
    setting = Setting(name="severity", value=control.severity.value, source=candidate.origin)
    for rule in rules:
        for selector, level in _rule(rule).severity.items():
            if selects(selector, candidate):
                where = rule.where("severity", selector)
                setting = Setting(name="severity", value=level.value, source=where)
    return setting


def _bounds(candidate: Candidate, rules: list[_Rule]) -> dict[str, Setting]:
    condition = candidate.control.condition
    if not isinstance(condition, MeasureCondition):
        return {}
    bounds = {
        bound: Setting(name=bound, value=value, source=candidate.origin)
        for bound in ("min", "max")
        if (value := getattr(condition.measure, bound)) is not None
    }
    for rule in rules:
        for selector, threshold in _rule(rule).thresholds.items():
            if not selects(selector, candidate):
                continue
            where = rule.where("thresholds", selector)
            for bound in ("min", "max"):
                value = getattr(threshold, bound)
                if value is not None:
                    bounds[bound] = Setting(name=bound, value=value, source=where)
    return bounds


def _check_params(
    loaded: LoadedPolicy,
    applicable: Sequence[Candidate],
    rules: list[_Rule],
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[Setting, ...]]]:
    """Each needed check's parameters, every value with the place it came from."""
    needed = {check for c in applicable for check in c.control.checks}
    values: dict[str, dict[str, Setting]] = {}
    for candidate in applicable:  # the standards' defaults: the first to set one keeps it
        for check, params in candidate.defaults.items():
            for name, value in params.items():
                values.setdefault(check, {}).setdefault(
                    name, Setting(name=name, value=value, source=candidate.origin)
                )
    for policy in _chain(loaded):  # the policies' checks: the extending one's last
        for check, params in policy.policy.checks.items():
            values.setdefault(check, {})  # listed: it runs, with no parameter given too
            for name, value in params.items():
                values.setdefault(check, {})[name] = Setting(
                    name=name, value=value, source=policy.where(("checks", check, name))
                )
    for rule in rules:
        for check, params in _rule(rule).checks.items():
            if check not in needed and check not in values:
                continue  # no applicable control runs it here
            for name, value in params.items():
                values.setdefault(check, {})[name] = Setting(
                    name=name, value=value, source=rule.where("checks", check, name)
                )
    checks = {check: {n: s.value for n, s in found.items()} for check, found in values.items()}
    return checks, {check: tuple(found.values()) for check, found in values.items()}


def _chain(loaded: LoadedPolicy, seen: set[str] | None = None) -> Iterator[LoadedPolicy]:
    """The extended policies (depth first, in order, each once), then the policy itself."""
    seen = set() if seen is None else seen
    for parent in loaded.parents:
        if parent.identity not in seen:
            yield from _chain(parent, seen)
    seen.add(loaded.identity)
    yield loaded


# --------------------------------------------------------------------------- for the audit


def tailored(loaded: LoadedPolicy) -> bool:
    """Whether the policy says anything per product (else it applies as written)."""
    policy = loaded.policy
    return bool(policy.extends or policy.scope or policy.exclude or policy.parameters)


def product_facts(product: ProductInfo, snapshot: Snapshot) -> ProductFacts:
    """The facts rules match on; the languages are listed only if a rule asks."""

    def languages() -> frozenset[str]:
        return frozenset(e.language for e in snapshot.entries if e.language is not None)

    return ProductFacts(
        name=product.name, tier=product.tier, team=product.team, tags=frozenset(product.tags),
        data_classification=product.data_classification, languages=functools.cache(languages),
    )  # fmt: skip


def facts_of(product: ProductInfo) -> ProductFacts:
    """A portfolio product's facts; its languages are listed from its repository only if
    a rule asks (for ``policy explain``, ``attest`` and ``soa``, which audit nothing)."""

    def languages() -> frozenset[str]:
        from assay.snapshot import open_snapshot

        snapshot = open_snapshot(Path(product.path))
        try:
            return frozenset(e.language for e in snapshot.entries if e.language is not None)
        finally:
            snapshot.close()

    return ProductFacts(
        name=product.name, tier=product.tier, team=product.team, tags=frozenset(product.tags),
        data_classification=product.data_classification, languages=functools.cache(languages),
    )  # fmt: skip


def tailored_verdicts(resolved: Resolved, evaluated: Sequence[Verdict]) -> list[Verdict]:
    """Every control's verdict, in the policy's order: the evaluated ones (``evaluated``
    follows the applicable controls), and not applicable for the others, saying why."""
    found = iter(evaluated)
    return [
        next(found) if control.applies else _not_applicable(control)
        for control in resolved.controls
    ]


def attestation_needs(
    controls: Sequence[Control], resolved: Resolved | None
) -> dict[str, Literal["manual", "both"]]:
    """The controls an attestation decides: manual ones, and those it completes."""
    needs: dict[str, Literal["manual", "both"]] = {
        c.id: "both" if c.checks else "manual" for c in controls if c.manual
    }
    if resolved is not None:
        needs.update(
            {c.control.id: "both" for c in resolved.controls
             if c.needs_attestation and not c.control.manual}
        )  # fmt: skip
    return needs


def _not_applicable(control: ResolvedControl) -> Verdict:
    c = control.control
    return Verdict(
        control_id=c.id, title=c.title, severity=c.severity,
        enforced=c.enforcement == Enforcement.ENFORCE,
        status=VerdictStatus.NOT_APPLICABLE, reason=control.why,
    )  # fmt: skip


def check_policy(loaded: LoadedPolicy, registry: Registry) -> int:
    """Bind every check the policy can run, with every parameter it gives anywhere; the
    number of controls. Raises ConfigError naming what is wrong, as binding does."""
    from assay.policy import bind_checks

    if not tailored(loaded):
        bind_checks(loaded, registry)
        return len(loaded.policy.controls)
    problems = parameter_rule_problems(loaded, registry)
    if problems:
        raise ConfigError("\n".join(problems), hint=_HINT)
    every = resolve_for_validation(loaded)
    bind_checks(every.loaded, registry)
    return len(every.controls)
