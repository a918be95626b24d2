"""Loading a policy (built-in or the company's file) and binding it to the installed checks."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assay.checks.registry import Registry
from assay.engine import BoundCheck, Limits
from assay.errors import ConfigError
from assay.policy.model import Control, Policy

if TYPE_CHECKING:
    from assay.config import KeyPath, YamlDocument

BUILTIN_POLICIES = ("assay-baseline",)
DEFAULT_POLICY = "assay-baseline"
_HINT = "fix the file, then check it with `assay policy validate FILE`"


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedPolicy:
    policy: Policy
    source: str
    hash: str
    document: YamlDocument | None = field(default=None, compare=False, repr=False)

    def problem_at(self, path: KeyPath, problem: str, *, key: bool = False) -> str:
        """A problem line citing file:line:column when the YAML positions are known.

        With ``key``, the position is that of the last key of ``path`` (an unknown key).
        """
        if self.document is None:
            from assay.config import format_path

            return f"{self.source}: {format_path(path)}: {problem}"
        return self.document.problem_at(path, problem, key=key)

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
    from assay.config import describe_validation_error, parse_yaml_document, read_config_text

    name = str(location) if location is not None else DEFAULT_POLICY
    if name in BUILTIN_POLICIES:
        text = resources.files("assay.policy").joinpath(f"{name}.yaml").read_text("utf-8")
        source = f"{name} (built-in)"
    else:
        source = name
        text = read_config_text(Path(name), hint=_HINT)
    document = parse_yaml_document(text, source, hint=_HINT)
    try:
        policy = Policy.model_validate(document.data)
    except ValidationError as error:
        message = describe_validation_error(document, Policy, error)
        raise ConfigError(message, hint=_HINT) from None
    loaded = LoadedPolicy(policy=policy, source=source, hash=policy_hash(policy), document=document)
    _check_unique_ids(loaded)
    return loaded


def _check_unique_ids(loaded: LoadedPolicy) -> None:
    seen: set[str] = set()
    for index, control in enumerate(loaded.policy.controls):
        if control.id in seen:
            problem = f"duplicate control id {control.id!r}"
            raise ConfigError(loaded.problem_at(("controls", index, "id"), problem), hint=_HINT)
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
    policy = loaded.policy
    known = registry.names
    problems: list[str] = []
    bound: list[BoundCheck] = []
    for check_id in needed_check_ids(policy):
        check = registry.get(check_id)
        if check_id in registry.broken:
            continue  # its controls get `error` with the reason
        if check is None:
            problems.append(loaded.problem_at(_where(policy, check_id), _unknown(check_id, known)))
            continue
        try:
            params = check.Params.model_validate(policy.checks.get(check_id, {}))
        except ValidationError as exc:
            for error in exc.errors():
                path = ("checks", check_id, *error["loc"])
                at_key = error["type"] == "extra_forbidden"
                problems.append(loaded.problem_at(path, _param_problem(error), key=at_key))
            continue
        bound.append(BoundCheck(check=check, params=params))
    if problems:
        raise ConfigError("\n".join(problems), hint=_HINT)
    return bound


def _where(policy: Policy, check_id: str) -> KeyPath:
    for index, control in enumerate(policy.controls):
        if check_id in control.checks:
            return ("controls", index, "checks", control.checks.index(check_id))
    return ("checks", check_id)


def _param_problem(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown parameter {error['loc'][-1]!r}"
    if error["type"] == "missing":
        return "missing required parameter"
    return f"{error['msg']} (got {error.get('input')!r})"


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
