"""Loading what a policy ``extends``: catalogs (standards) and other policies.

A name is a built-in id (``iso27001-2022``, ``assay-baseline``) or a path relative
to the folder of the policy file that names it. A policy that extends itself, through
any chain, is an error, as is anything that cannot be loaded: the message starts at
the ``extends`` entry that names it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from assay.errors import ConfigError

if TYPE_CHECKING:
    from assay.policy import ExtendedStandard, LoadedPolicy

_HINT = "fix the extends entry; docs/policy.md (Tailoring) describes it"

T = TypeVar("T")
LoadPolicy = Callable[[str, tuple[str, ...]], "LoadedPolicy"]


def load_extensions(
    loaded: LoadedPolicy, folder: Path | None, chain: tuple[str, ...], load_policy: LoadPolicy
) -> tuple[tuple[ExtendedStandard, ...], tuple[LoadedPolicy, ...]]:
    """The catalogs and the policies that ``loaded`` extends, in the order it names them."""
    from assay.policy import BUILTIN_POLICIES, ExtendedStandard, _identity
    from assay.standards.catalog import BUILTIN_CATALOGS, load_catalog

    standards: list[ExtendedStandard] = []
    parents: list[LoadedPolicy] = []
    for index, extension in enumerate(loaded.policy.extends):
        if extension.standard is not None:
            path = ("extends", index, "standard")
            name = _located(extension.standard, BUILTIN_CATALOGS, folder, loaded, path)
            catalog = _or_say_where(functools.partial(load_catalog, name), loaded, path)
            standards.append(
                ExtendedStandard(catalog=catalog.catalog, source=catalog.source,
                                 select=tuple(extension.select), where=loaded.where(path))
            )  # fmt: skip
            continue
        assert extension.policy is not None  # the model asks for one of the two
        path = ("extends", index, "policy")
        name = _located(extension.policy, BUILTIN_POLICIES, folder, loaded, path)
        if _identity(name) in chain:
            problem = f"{extension.policy!r} extends this policy itself (a cycle)"
            raise ConfigError(loaded.problem_at(path, problem), hint=_HINT)
        parents.append(_or_say_where(functools.partial(load_policy, name, chain), loaded, path))
    return tuple(standards), tuple(parents)


def _located(
    name: str,
    builtins: tuple[str, ...],
    folder: Path | None,
    loaded: LoadedPolicy,
    path: tuple[str | int, ...],
) -> str:
    if name in builtins:
        return name
    if folder is None:
        known = ", ".join(builtins)
        problem = f"{name!r} is not built in ({known}); a built-in policy cannot name files"
        raise ConfigError(loaded.problem_at(path, problem), hint=_HINT)
    return str(folder / name)


def _or_say_where(load: Callable[[], T], loaded: LoadedPolicy, path: tuple[str | int, ...]) -> T:
    try:
        return load()
    except ConfigError as error:
        raise ConfigError(loaded.problem_at(path, str(error)), hint=error.hint) from None
