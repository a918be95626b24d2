"""Loading a policy (built-in or the company's file) and binding it to the installed checks."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from collections.abc import Mapping, Sequence
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
    from assay.standards.model import Catalog

BUILTIN_POLICIES = ("assay-baseline",)
DEFAULT_POLICY = "assay-baseline"
_HINT = "fix the file, then check it with `assay policy validate FILE`"


@dataclass(frozen=True, kw_only=True, slots=True)
class ExtendedStandard:
    """A catalog a policy extends, with the controls it selects and where it says so."""

    catalog: Catalog
    source: str  # "iso27001-2022 (built-in)" or the catalog file
    select: tuple[str, ...]
    where: str  # file:line of the extends entry


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedPolicy:
    policy: Policy
    source: str
    hash: str
    document: YamlDocument | None = field(default=None, compare=False, repr=False)
    # What ``extends`` names, loaded: catalogs, and other policies (each with its own).
    standards: tuple[ExtendedStandard, ...] = ()
    parents: tuple[LoadedPolicy, ...] = ()
    # The same policy however it was named (a built-in name, a resolved path): a policy
    # reached twice through ``extends`` counts once.
    identity: str = ""

    def where(self, path: KeyPath) -> str:
        """``file:line`` of the value at ``path``, for saying where a setting comes from."""
        if self.document is None:
            from assay.config import format_path

            return f"{self.source} {format_path(path)}"
        line, _ = self.document.position_of(path)
        return f"{self.document.source}:{line}"

    def with_policy(self, policy: Policy, source: str) -> LoadedPolicy:
        """The same extensions around another version of the policy itself."""
        return dataclasses.replace(
            self, policy=policy, source=source,
            hash=full_hash(policy, self.standards, self.parents),
        )  # fmt: skip

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
    """Content hash of the validated policy: its version in every audit.

    Values left at their defaults are left out, so a later version of the format that
    adds a key does not change the hash of a policy that does not use it.
    """
    dumped = policy.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    canonical = json.dumps(dumped, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def full_hash(
    policy: Policy, standards: Sequence[ExtendedStandard], parents: Sequence[LoadedPolicy]
) -> str:
    """The policy's hash, covering what it extends: another catalog is another version."""
    own = policy_hash(policy)
    if not standards and not parents:
        return own
    parts = [own, *(p.hash for p in parents)]
    parts += [
        json.dumps(s.catalog.model_dump(mode="json", by_alias=True), sort_keys=True)
        for s in standards
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_policy(location: str | Path | None = None) -> LoadedPolicy:
    """Load a built-in policy by name, or a policy file by path; default ``assay-baseline``.

    What the policy ``extends`` is loaded with it: catalogs and other policies, named
    by built-in id or by a path relative to the policy file.
    """
    return _load(str(location) if location is not None else DEFAULT_POLICY, ())


def _load(name: str, chain: tuple[str, ...]) -> LoadedPolicy:
    from assay.config import describe_validation_error, parse_yaml_document, read_config_text

    if name in BUILTIN_POLICIES:
        text = resources.files("assay.policy").joinpath(f"{name}.yaml").read_text("utf-8")
        source, folder = f"{name} (built-in)", None
    else:
        source, folder = name, Path(name).parent
        text = read_config_text(Path(name), hint=_HINT)
    document = parse_yaml_document(text, source, hint=_HINT)
    try:
        policy = Policy.model_validate(document.data)
    except ValidationError as error:
        message = describe_validation_error(document, Policy, error)
        raise ConfigError(message, hint=_HINT) from None
    loaded = LoadedPolicy(policy=policy, source=source, hash=policy_hash(policy),
                          document=document, identity=_identity(name))  # fmt: skip
    if policy.extends:
        from assay.policy.extending import load_extensions

        standards, parents = load_extensions(loaded, folder, (*chain, _identity(name)), _load)
        loaded = dataclasses.replace(
            loaded, standards=standards, parents=parents,
            hash=full_hash(policy, standards, parents),
        )  # fmt: skip
    _check_unique_ids(loaded)
    if policy.extends or policy.scope or policy.exclude or policy.parameters:
        from assay.policy.resolve import validate

        validate(loaded)
    return loaded


def _identity(name: str) -> str:
    """The same policy however it is named (a relative and an absolute path)."""
    return name if name in BUILTIN_POLICIES else str(Path(name).resolve())


def _check_unique_ids(loaded: LoadedPolicy) -> None:
    seen: set[str] = set()
    for index, control in enumerate(loaded.policy.controls):
        if control.id in seen:
            problem = f"duplicate control id {control.id!r}"
            raise ConfigError(loaded.problem_at(("controls", index, "id"), problem), hint=_HINT)
        seen.add(control.id)


def needed_check_ids(policy: Policy) -> list[str]:
    """Checks the policy runs: those its controls name, then those it only parameterises."""
    ids = [c for control in policy.controls for c in control.checks]
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
