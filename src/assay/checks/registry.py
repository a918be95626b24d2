"""Discovery of checks through the ``assay.checks`` entry-point group.

Built-in checks are registered in Assay's own ``pyproject.toml`` exactly as a
third-party package registers its checks, so both are found the same way. The
registry is built when asked for, never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

from assay.checks.api import Check, FileCheck, ProductCheck
from assay.errors import AssayError

ENTRY_POINT_GROUP = "assay.checks"


class CheckLoadError(AssayError):
    """A registered check cannot be imported or does not follow the Check API."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Registry:
    checks: dict[str, Check]
    # Checks whose plugin failed to load: id -> reason. Controls they serve get `error`.
    broken: dict[str, str]

    def get(self, check_id: str) -> Check | None:
        return self.checks.get(check_id)


def load_registry() -> Registry:
    checks: dict[str, Check] = {}
    broken: dict[str, str] = {}
    points = list(entry_points(group=ENTRY_POINT_GROUP))
    claimed: dict[str, set[str]] = {}
    for point in points:
        claimed.setdefault(point.name, set()).add(point.value)
    for point in points:
        if len(claimed[point.name]) > 1:
            # Two packages claim one id: neither may silently stand in for the other.
            sources = " and ".join(sorted(claimed[point.name]))
            broken[point.name] = f"check id {point.name!r} is registered twice: {sources}"
            continue
        try:
            factory = point.load()
            check = factory()
        except Exception as exc:  # a broken plugin must not break the audit
            broken[point.name] = f"cannot load {point.value}: {type(exc).__name__}: {exc}"
            continue
        if not isinstance(check, FileCheck | ProductCheck):
            broken[point.name] = f"{point.value} does not implement the Check API"
            continue
        if check.id != point.name:
            broken[point.name] = (
                f"{point.value} declares id {check.id!r}, registered as {point.name!r}"
            )
            continue
        checks[check.id] = check
    return Registry(checks=checks, broken=broken)
