"""What the ``process.*`` checks share: the history window, shallow clones, measures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assay.history import LogCommit, shallow_commits
from assay.model import Measure
from assay.snapshot.base import Snapshot

DAY = 86_400
NO_HISTORY = "a plain directory has no git history"
WINDOW_HELP = "Length of the history window, in days, ending at the audited commit's time."


@dataclass(frozen=True, kw_only=True, slots=True)
class Window:
    """The stretch of history a check judges: ``days`` days up to the audited commit.

    ``now`` is the audited commit's committer time, not the clock: auditing the same
    commit again judges the same commits.
    """

    root: Path
    commit: str
    now: int
    days: int

    @property
    def since(self) -> int:
        # git reads a negative time as no time at all; nothing is older than 1970 anyway.
        return max(0, self.now - self.days * DAY)

    def describe(self) -> str:
        days = "1 day" if self.days == 1 else f"{self.days} days"
        return f"the {days} up to {self.commit[:12]} ({day(self.now)})"


def open_window(snapshot: Snapshot, days: int) -> Window | None:
    """The window of a snapshot, or None for a plain directory (no history)."""
    history = snapshot.history()
    commit = snapshot.source.commit
    if history is None or commit is None:
        return None
    return Window(root=snapshot.root, commit=commit, now=history.last_commit_time(), days=days)


def shallow_cut(window: Window, commits: Iterable[LogCommit]) -> str | None:
    """Why the window cannot be judged when a shallow clone cuts the history inside it.

    Past the cut the clone has no commits, so counts would silently be too low.
    A cut older than the window does not matter.
    """
    shallow = shallow_commits(window.root)
    if not shallow:
        return None
    cut = [commit for commit in commits if commit.id in shallow]
    if not cut:
        return None
    oldest = min(cut, key=lambda commit: commit.commit_time)
    return (
        f"the clone is shallow: its history stops at {oldest.short_id} "
        f"({day(oldest.commit_time)}), inside {window.describe()}; "
        "fetch the whole history (git fetch --unshallow) to judge it"
    )


def day(timestamp: int) -> str:
    """The UTC date of a Unix time, ``YYYY-MM-DD``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def share(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole``, two decimals (``whole`` > 0)."""
    return round(100 * part / whole, 2)


def author(commit: LogCommit) -> str:
    return f"{commit.author_name} <{commit.author_email}>"


def subject(commit: LogCommit, limit: int = 100) -> str:
    text = commit.subject or "(no message)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def measure(check_id: str, name: str, value: float, unit: str, **labels: str) -> Measure:
    return Measure(check_id=check_id, name=name, value=value, unit=unit, labels=labels)
