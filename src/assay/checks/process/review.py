"""``process.review``: do changes reach the default branch through review?

The default branch is the audited commit's first-parent line: the commits made on
the branch itself, one per change that landed, whatever was merged into it. A
change counts as reviewed when it arrived through a merge (a commit with two or
more parents, as a pull or merge request merge makes), as a squash merge naming its
pull or merge request (a subject ending in ``(#123)``, or GitLab's ``See merge
request group/project!12`` line), or with a review trailer (``Reviewed-by:``,
``Approved-by:``, ``Reviewed-on:``). Any other commit was pushed directly.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, finding
from assay.checks.process.common import (
    NO_HISTORY,
    WINDOW_HELP,
    author,
    day,
    measure,
    open_window,
    shallow_cut,
    share,
    subject,
)
from assay.history import LogCommit, read_log, trailers
from assay.model import Finding, Severity
from assay.snapshot.base import Snapshot

CHECK_ID = "process.review"
RULE = "process.direct-commit"
VIAS = ("merge", "squash", "trailer")
_SQUASH_SUBJECT = re.compile(r"\(#[0-9]+\)\s*$")
_MERGE_REQUEST = re.compile(r"^See merge request \S+![0-9]+\s*$", re.MULTILINE)
_REVIEW_TRAILERS = frozenset({"reviewed-by", "approved-by", "reviewed-on"})


class ReviewParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    window_days: int = Field(default=90, ge=1, description=WINDOW_HELP)
    max_findings: int = Field(
        default=50, ge=0, description="Most direct commits reported as findings (newest first)."
    )


def how_reviewed(commit: LogCommit) -> str | None:
    """How a change on the first-parent line was reviewed (one of VIAS), or None: direct."""
    if commit.is_merge:
        return "merge"
    if _SQUASH_SUBJECT.search(commit.subject) or _MERGE_REQUEST.search(commit.body):
        return "squash"
    if any(key.lower() in _REVIEW_TRAILERS and value for key, value in trailers(commit.body)):
        return "trailer"
    return None


class ReviewCheck:
    kind: ClassVar[Literal["product"]] = "product"
    # The history is not part of the tree, so the output is never cached by tree.
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Share of the changes on the default branch (first-parent line) that arrived "
        "through a merge, a squash merge of a pull request or with a review trailer."
    )
    Params: ClassVar[type[BaseModel]] = ReviewParams

    def run(self, snapshot: Snapshot, params: ReviewParams) -> CheckOutput:
        window = open_window(snapshot, params.window_days)
        if window is None:
            return CheckOutput(not_applicable=NO_HISTORY)
        line = list(read_log(window.root, window.commit, since=window.since, first_parent=True))
        cut = shallow_cut(window, line)
        if cut is not None:
            return CheckOutput(not_applicable=cut)
        # A repository's first commit has nothing it could have been reviewed against.
        changes = [commit for commit in line if commit.parents]
        if not changes:
            return CheckOutput(
                not_applicable=f"no change to judge in {window.describe()}: "
                "only the repository's first commit"
            )
        judged = [(commit, how_reviewed(commit)) for commit in changes]
        vias = Counter(via for _, via in judged)
        direct = [commit for commit, via in judged if via is None]
        reported = direct[: params.max_findings]
        reviewed = len(changes) - len(direct)
        measures = [
            measure(CHECK_ID, "process.changes", len(changes), "changes"),
            measure(CHECK_ID, "process.reviewed_changes", reviewed, "changes"),
            *(measure(CHECK_ID, "process.reviewed_changes", vias[via], "changes", via=via)
              for via in VIAS),
            measure(CHECK_ID, "process.direct_commits", len(direct), "commits"),
            measure(CHECK_ID, "process.reviewed_share", share(reviewed, len(changes)), "%"),
            measure(CHECK_ID, "process.findings_left_out", len(direct) - len(reported),
                    "findings"),
        ]  # fmt: skip
        return CheckOutput(findings=[_direct(commit) for commit in reported], measures=measures)


def _direct(commit: LogCommit) -> Finding:
    return finding(
        CHECK_ID, RULE,
        f"direct commit {commit.short_id} by {author(commit)} on {day(commit.commit_time)}: "
        f"{subject(commit)}",
        severity=Severity.LOW, key=commit.id,
        properties={"commit": commit.id, "author": commit.author_email,
                    "date": day(commit.commit_time)},
    )  # fmt: skip
