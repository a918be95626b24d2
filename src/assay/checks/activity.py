"""Git activity: is the product maintained? Commits, authors and age from the history."""

from __future__ import annotations

import time
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput
from assay.model import Measure
from assay.snapshot.base import Snapshot

_DAY = 86_400


class ActivityParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    window_days: int = Field(default=90, ge=1, description="Length of the recent-activity window.")


class GitActivityCheck:
    kind: ClassVar[Literal["product"]] = "product"
    # Depends on the clock, so never cached.
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = "activity.git"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Commits and distinct authors in the recent window, days since the last commit, "
        "age of the repository."
    )
    Params: ClassVar[type[BaseModel]] = ActivityParams

    def run(self, snapshot: Snapshot, params: ActivityParams) -> CheckOutput:
        history = snapshot.history()
        if history is None:
            return CheckOutput(not_applicable="a plain directory has no git history")
        now = int(time.time())
        recent = history.commits_since(now - params.window_days * _DAY)
        last = history.last_commit_time()
        first = history.first_commit_time()
        window = str(params.window_days)

        def measure(name: str, value: float, unit: str, **labels: str) -> Measure:
            return Measure(check_id=self.id, name=name, value=value, unit=unit, labels=labels)

        return CheckOutput(
            measures=[
                measure("commits.recent", len(recent), "commits", window_days=window),
                measure("authors.recent", len({c.author for c in recent}), "authors",
                        window_days=window),
                measure("days_since_last_commit", max(0, (now - last) // _DAY), "days"),
                measure("repository_age", max(0, (now - first) // _DAY), "days"),
            ]
        )  # fmt: skip
