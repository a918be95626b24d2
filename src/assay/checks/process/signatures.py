"""``process.signatures``: are commits and tags signed?

Presence is what is measured: a commit whose object carries a signature block
(OpenPGP, SSH or X.509), an annotated tag whose message ends with one. Nothing is
verified: verifying needs the signers' keys and runs a signing program, and Assay
runs no program a repository could configure. A signature block no verifier could
read (an unknown kind, or cut short) is reported, since it can never be checked.
"""

from __future__ import annotations

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
from assay.history import LogCommit, SignatureFormat, read_log, read_tags
from assay.model import Finding, Measure, Severity
from assay.snapshot.base import Snapshot

CHECK_ID = "process.signatures"
RULE = "process.unreadable-signature"


class SignaturesParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    window_days: int = Field(default=90, ge=1, description=WINDOW_HELP)


class SignaturesCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Share of the commits and of the tags in the history window that carry a signature."
    )
    Params: ClassVar[type[BaseModel]] = SignaturesParams

    def run(self, snapshot: Snapshot, params: SignaturesParams) -> CheckOutput:
        window = open_window(snapshot, params.window_days)
        if window is None:
            return CheckOutput(not_applicable=NO_HISTORY)
        commits = list(read_log(window.root, window.commit, since=window.since))
        cut = shallow_cut(window, commits)
        if cut is not None:
            return CheckOutput(not_applicable=cut)
        if not commits:  # the audited commit is in its window; git would have to disagree
            return CheckOutput(not_applicable=f"no commit in {window.describe()}")
        tags = [tag for tag in read_tags(window.root, window.commit)
                if tag.commit_time >= window.since]  # fmt: skip
        signed_tags = sum(tag.signed for tag in tags)
        unreadable = [c for c in commits if c.signature is SignatureFormat.UNKNOWN]
        measures = [
            *_commit_measures(commits),
            measure(CHECK_ID, "process.tags", len(tags), "tags"),
            measure(CHECK_ID, "process.signed_tags", signed_tags, "tags"),
        ]
        if tags:
            measures.append(
                measure(CHECK_ID, "process.signed_tag_share", share(signed_tags, len(tags)), "%")
            )
        return CheckOutput(findings=[_unreadable(c) for c in unreadable], measures=measures)


def _commit_measures(commits: list[LogCommit]) -> list[Measure]:
    formats = Counter(c.signature for c in commits if c.signature is not None)
    signed = sum(formats.values())
    return [
        measure(CHECK_ID, "process.commits", len(commits), "commits"),
        measure(CHECK_ID, "process.signed_commits", signed, "commits"),
        *(measure(CHECK_ID, "process.signed_commits", formats[kind], "commits",
                  format=kind.value)
          for kind in SignatureFormat if formats[kind]),
        measure(CHECK_ID, "process.signed_share", share(signed, len(commits)), "%"),
    ]  # fmt: skip


def _unreadable(commit: LogCommit) -> Finding:
    return finding(
        CHECK_ID, RULE,
        f"commit {commit.short_id} by {author(commit)} on {day(commit.commit_time)} "
        f"({subject(commit)}) carries a signature no verifier can read: not an OpenPGP, "
        "SSH or X.509 signature block, or one cut short",
        severity=Severity.MEDIUM, key=commit.id,
        properties={"commit": commit.id, "author": commit.author_email},
    )  # fmt: skip
