"""Loading a policy (built-in or the company's file) and binding it to the installed checks."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from assay.checks.registry import Registry
from assay.engine import BoundCheck, Limits
from assay.errors import ConfigError
from assay.policy.model import Control, Policy

BUILTIN_POLICIES = ("assay-baseline",)
DEFAULT_POLICY = "assay-baseline"
_HINT = "fix the file, then check it with `assay policy validate FILE`"


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedPolicy:
    policy: Policy
    source: str
    hash: str

    @property
    def limits(self) -> Limits:
        return Limits(
            max_file_size=self.policy.limits.max_file_size,
            check_timeout_s=self.policy.limits.check_timeout,
        )


def policy_hash(policy: Policy) -> str:
    """Content hash of the validated policy: its version in every audit."""
    canonical = json.dumps(policy.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_policy(location: str | Path | None = None) -> LoadedPolicy:
    """Load a built-in policy by name, or a policy file by path; default ``assay-baseline``."""
    from assay.config import load_yaml_model, parse_yaml_model

    name = str(location) if location is not None else DEFAULT_POLICY
    if name in BUILTIN_POLICIES:
        text = resources.files("assay.policy").joinpath(f"{name}.yaml").read_text("utf-8")
        source = f"{name} (built-in)"
        policy = parse_yaml_model(text, source, Policy, hint=_HINT)
    else:
        source = str(location)
        policy = load_yaml_model(Path(source), Policy, hint=_HINT)
    _check_unique_ids(policy, source)
    return LoadedPolicy(policy=policy, source=source, hash=policy_hash(policy))


def _check_unique_ids(policy: Policy, source: str) -> None:
    seen: set[str] = set()
    for index, control in enumerate(policy.controls):
        if control.id in seen:
            raise ConfigError(
                f"{source}: controls[{index}].id: duplicate control id {control.id!r}", hint=_HINT
            )
        seen.add(control.id)


def needed_check_ids(policy: Policy) -> list[str]:
    """Checks the policy runs: those its controls name, then those it only parameterises."""
    ids = [c for control in policy.controls if not control.manual for c in control.checks]
    ids.extend(policy.checks)
    return list(dict.fromkeys(ids))


def bind_checks(loaded: LoadedPolicy, registry: Registry) -> list[BoundCheck]:
    """Pair every needed check with its validated parameters.

    An id that no installed package registers is a configuration error (with a
    suggestion); a registered check whose plugin fails to load is left out here
    and its controls get the verdict ``error``.
    """
    policy, source = loaded.policy, loaded.source
    known = sorted({*registry.checks, *registry.broken})
    problems: list[str] = []
    bound: list[BoundCheck] = []
    for check_id in needed_check_ids(policy):
        if check_id in registry.broken:
            continue
        check = registry.get(check_id)
        if check is None:
            problems.append(f"{source}: {_where(policy, check_id)}: {_unknown(check_id, known)}")
            continue
        try:
            params = check.Params.model_validate(policy.checks.get(check_id, {}))
        except ValidationError as exc:
            for error in exc.errors():
                key = ".".join(str(part) for part in error["loc"])
                problems.append(f"{source}: checks.{check_id}.{key}: {error['msg']}")
            continue
        bound.append(BoundCheck(check=check, params=params))
    if problems:
        raise ConfigError("\n".join(problems), hint=_HINT)
    return bound


def _where(policy: Policy, check_id: str) -> str:
    for index, control in enumerate(policy.controls):
        if check_id in control.checks:
            return f"controls[{index}].checks[{control.checks.index(check_id)}]"
    return f"checks.{check_id}"


def _unknown(check_id: str, known: list[str]) -> str:
    close = difflib.get_close_matches(check_id, known, n=1)
    if close:
        return f"unknown check {check_id!r}; did you mean {close[0]!r}?"
    return f"unknown check {check_id!r}; `assay checks` lists the installed checks"


__all__ = [
    "BUILTIN_POLICIES",
    "Control",
    "LoadedPolicy",
    "Policy",
    "bind_checks",
    "load_policy",
    "needed_check_ids",
]
