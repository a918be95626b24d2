"""``process.maintenance``: is the work spread over people, and where does it gather?

Only commits that change something count (merge commits only join work done in
other commits, and their author is whoever merged). People are told apart by
their author e-mail address (any case).

* **Bus factor**: the fewest authors whose commits make up a share (80% by
  default) of the window's commits. 1 means one person does most of the work.
* **Hotspots**: the files changed by the most commits of the window, among the
  files of the audited commit (a file deleted since is no longer a risk).
* **Risky files**: hotspots joined with complexity. Each hotspot in a language
  :mod:`assay.syntax` measures is parsed (never run) and its most complex function
  found; a file changed that often *and* holding a function over ``risky_ccn`` is
  where changes most often go wrong, and is a finding.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, finding
from assay.checks.process.common import (
    NO_HISTORY,
    WINDOW_HELP,
    measure,
    open_window,
    shallow_cut,
    share,
)
from assay.history import LogCommit, read_log
from assay.model import Finding, Severity
from assay.snapshot.base import Snapshot
from assay.syntax.functions import measure_functions
from assay.syntax.languages import RULES

CHECK_ID = "process.maintenance"


class MaintenanceParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    window_days: int = Field(default=90, ge=1, description=WINDOW_HELP)
    bus_factor_share: int = Field(
        default=80, ge=1, le=100,
        description="Share of the commits (%) the fewest authors must cover for the bus factor.",
    )  # fmt: skip
    hotspots: int = Field(default=10, ge=0, description="How many most-changed files to list.")
    risky_ccn: int = Field(
        default=15, ge=1,
        description="A hotspot with a function of more complexity than this is a risky file.",
    )  # fmt: skip


def bus_factor(counts: Counter[str], share_percent: int) -> int:
    """Fewest authors whose commits add up to ``share_percent`` % of all of them."""
    total = sum(counts.values())
    covered = 0
    for rank, (_, count) in enumerate(counts.most_common(), 1):
        covered += count
        if covered * 100 >= share_percent * total:
            return rank
    return len(counts)


class MaintenanceCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "2"
    description: ClassVar[str] = (
        "Authors and bus factor of the history window, the files changed most often, and "
        "those of them that are also complex."
    )
    Params: ClassVar[type[BaseModel]] = MaintenanceParams

    def run(self, snapshot: Snapshot, params: MaintenanceParams) -> CheckOutput:
        window = open_window(snapshot, params.window_days)
        if window is None:
            return CheckOutput(not_applicable=NO_HISTORY)
        everything = list(read_log(window.root, window.commit, since=window.since, paths=True))
        cut = shallow_cut(window, everything)
        if cut is not None:
            return CheckOutput(not_applicable=cut)
        commits = [commit for commit in everything if not commit.is_merge]
        if not commits:
            return CheckOutput(not_applicable=f"no commit other than merges in {window.describe()}")
        authors = Counter(_identity(commit) for commit in commits)
        top = authors.most_common(1)[0][1]
        measures = [
            measure(CHECK_ID, "process.authored_commits", len(commits), "commits"),
            measure(CHECK_ID, "process.authors", len(authors), "authors"),
            measure(CHECK_ID, "process.bus_factor", bus_factor(authors, params.bus_factor_share),
                    "authors"),
            measure(CHECK_ID, "process.top_author_share", share(top, len(commits)), "%"),
        ]  # fmt: skip
        hotspots = _hotspots(snapshot, commits, params.hotspots)
        measures += [measure(CHECK_ID, "process.hotspot_changes", count, "commits", path=path)
                     for path, count in hotspots]  # fmt: skip
        complexity = _most_complex(snapshot, [path for path, _ in hotspots])
        measures += [measure(CHECK_ID, "process.hotspot_max_ccn", ccn, "ccn", path=path)
                     for path, (_, ccn) in complexity.items()]  # fmt: skip
        findings = [
            _risky(path, count, complexity[path], window.describe())
            for path, count in hotspots
            if path in complexity and complexity[path][1] > params.risky_ccn
        ]
        return CheckOutput(findings=findings, measures=measures)


def _identity(commit: LogCommit) -> str:
    return commit.author_email.lower() or commit.author_name


def _hotspots(snapshot: Snapshot, commits: list[LogCommit], limit: int) -> list[tuple[str, int]]:
    if limit == 0:
        return []
    present = {entry.path for entry in snapshot.entries}
    changes = Counter(path for commit in commits for path in commit.paths if path in present)
    return sorted(changes.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _most_complex(snapshot: Snapshot, paths: list[str]) -> dict[str, tuple[str, int]]:
    """For each path in a measured language: its most complex function and that complexity."""
    wanted = {e.path: e for e in snapshot.entries
              if e.path in set(paths) and e.language in RULES and e.size <= _MAX_BYTES}  # fmt: skip
    found: dict[str, tuple[str, int]] = {}
    for entry, data in snapshot.read_blobs(list(wanted.values())):
        measured = measure_functions(entry.language or "", data)
        if measured is not None and measured.functions:
            top = max(measured.functions, key=lambda f: (f.ccn, -f.start_line))
            found[entry.path] = (top.name, top.ccn)
    return found


def _risky(path: str, changes: int, top: tuple[str, int], window: str) -> Finding:
    name, ccn = top
    message = (
        f"{path} changed in {changes} commits of {window} and has a function of "
        f"cyclomatic complexity {ccn} ({name}): a risky file"
    )
    return finding(CHECK_ID, "process.risky-file", message, severity=Severity.LOW, path=path,
                   key=path, properties={"changes": str(changes), "max_ccn": str(ccn)})  # fmt: skip


_MAX_BYTES = 2 * 1024 * 1024
