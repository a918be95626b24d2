"""Discovery of checks through the ``assay.checks`` entry-point group.

Built-in checks are registered in Assay's own ``pyproject.toml`` exactly as a
third-party package registers its checks, so both are found the same way. The
registry is built when asked for, never at import time, and a check's module is
imported only when a policy needs that check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points

from assay.checks.api import Check, FileCheck, ProductCheck
from assay.errors import AssayError

ENTRY_POINT_GROUP = "assay.checks"


class CheckLoadError(AssayError):
    """A registered check cannot be imported or does not follow the Check API."""


class Registry:
    """The installed checks by id; each is loaded on first use."""

    def __init__(
        self,
        points: Iterable[EntryPoint] = (),
        *,
        checks: Mapping[str, Check] | None = None,
        broken: Mapping[str, str] | None = None,
    ) -> None:
        """From entry points; ``checks`` and ``broken`` give an in-memory registry."""
        self._points: dict[str, list[EntryPoint]] = {}
        for point in points:
            self._points.setdefault(point.name, []).append(point)
        self._loaded: dict[str, Check] = dict(checks or {})
        # Checks that cannot be used: id -> reason. Controls they serve get `error`.
        self.broken: dict[str, str] = dict(broken or {})

    @property
    def names(self) -> list[str]:
        """Every registered id, loaded or not."""
        return sorted({*self._points, *self._loaded, *self.broken})

    def get(self, check_id: str) -> Check | None:
        """The check registered under ``check_id``; None if unknown or broken (see ``broken``)."""
        if check_id in self._loaded:
            return self._loaded[check_id]
        if check_id in self.broken or check_id not in self._points:
            return None
        problem, check = _load(check_id, self._points[check_id])
        if check is None:
            self.broken[check_id] = problem
            return None
        self._loaded[check_id] = check
        return check

    @property
    def checks(self) -> dict[str, Check]:
        """Every usable check, loading all of them (for listings)."""
        for name in self.names:
            self.get(name)
        return dict(self._loaded)


def _load(check_id: str, points: list[EntryPoint]) -> tuple[str, Check | None]:
    values = sorted({point.value for point in points})
    if len(values) > 1:
        # Two packages claim one id: neither may silently stand in for the other.
        return f"check id {check_id!r} is registered twice: {' and '.join(values)}", None
    point = points[0]
    try:
        check = point.load()()
    except Exception as exc:  # a broken plugin must not break the audit
        return f"cannot load {point.value}: {type(exc).__name__}: {exc}", None
    if not isinstance(check, FileCheck | ProductCheck):
        return f"{point.value} does not implement the Check API", None
    if check.id != check_id:
        return f"{point.value} declares id {check.id!r}, registered as {check_id!r}", None
    return "", check


def load_registry() -> Registry:
    return Registry(entry_points(group=ENTRY_POINT_GROUP))
