"""``process.releases``: are releases tagged, and does each come with a changelog?

A release is a tag whose name follows the version scheme (a regular expression,
run with RE2), on a commit in the history of the audited commit. Releases are put
in order of their commits' times; several version tags on one commit make one
release. A release of the window is judged against the release before it (which
may be older than the window): at least one changelog file must differ between the
two commits. The first release is judged against nothing: it must have one.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import re2
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assay.checks.api import CheckOutput, finding
from assay.checks.process.common import NO_HISTORY, day, measure, open_window, share
from assay.history import Tag, changed_paths, read_tags, shallow_commits
from assay.model import Finding, Severity
from assay.snapshot.base import Snapshot

CHECK_ID = "process.releases"
RULE = "process.changelog-not-updated"
DEFAULT_VERSION_PATTERN = r"^v?\d+\.\d+(\.\d+)?"
DEFAULT_CHANGELOGS = (
    "CHANGELOG*", "CHANGES*", "HISTORY*", "NEWS*",
    "docs/CHANGELOG*", "docs/CHANGES*", "docs/HISTORY*", "docs/NEWS*",
)  # fmt: skip


def _re2_options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print a refused pattern on stderr
    return options


class ReleasesParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    # Releases are rarer than commits: a year holds several for most products.
    window_days: int = Field(
        default=365, ge=1, description="Length of the window of releases judged, in days."
    )
    version_pattern: str = Field(
        default=DEFAULT_VERSION_PATTERN,
        description="RE2 regular expression a tag name matches (anywhere) if it names a release.",
    )
    changelog_paths: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CHANGELOGS),
        min_length=1,
        description="Glob patterns (any case; * stays within a folder) of changelog files.",
    )

    @field_validator("version_pattern")
    @classmethod
    def _valid_pattern(cls, pattern: str) -> str:
        try:
            re2.compile(pattern, _re2_options())
        except re2.error as exc:
            message = exc.args[0] if exc.args else exc
            text = message.decode() if isinstance(message, bytes) else str(message)
            raise ValueError(f"not a regular expression RE2 accepts: {text}") from exc
        return pattern

    @field_validator("changelog_paths")
    @classmethod
    def _valid_paths(cls, patterns: list[str]) -> list[str]:
        if any(not pattern.strip() for pattern in patterns):
            raise ValueError("a changelog pattern is empty")
        return patterns


class ReleasesCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "none"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "Tags that follow a version scheme, and a changelog updated for every release."
    )
    Params: ClassVar[type[BaseModel]] = ReleasesParams

    def run(self, snapshot: Snapshot, params: ReleasesParams) -> CheckOutput:
        window = open_window(snapshot, params.window_days)
        if window is None:
            return CheckOutput(not_applicable=NO_HISTORY)
        pattern = re2.compile(params.version_pattern, _re2_options())
        tags = read_tags(window.root, window.commit)
        versions = [tag for tag in tags if pattern.search(tag.name)]
        if not versions:
            return CheckOutput(
                not_applicable=f"no tag in the history of {window.commit[:12]} follows the "
                f"version scheme {params.version_pattern}"
            )
        releases = _releases(versions)
        recent = [(index, tag) for index, tag in enumerate(releases)
                  if tag.commit_time >= window.since]  # fmt: skip
        if not recent:
            last = releases[-1]
            return CheckOutput(
                not_applicable=f"no release in {window.describe()}; the last is {last.name} "
                f"({day(last.commit_time)})"
            )
        if recent[0][0] == 0 and shallow_commits(window.root):
            # The release before it may be past the cut: it would pass for the first one.
            return CheckOutput(
                not_applicable=f"the clone is shallow: the release before {recent[0][1].name} "
                "may be missing from its history; fetch the whole history "
                "(git fetch --unshallow) to judge it"
            )
        pathspecs = [f":(glob,icase){glob}" for glob in params.changelog_paths]
        findings = []
        for index, tag in recent:
            previous = releases[index - 1] if index else None
            base = previous.commit if previous else None
            if not changed_paths(window.root, base, tag.commit, pathspecs):
                findings.append(_no_changelog(tag, previous))
        measures = [
            measure(CHECK_ID, "process.tags", len(tags), "tags"),
            measure(CHECK_ID, "process.version_tags", len(versions), "tags"),
            measure(CHECK_ID, "process.version_tag_share", share(len(versions), len(tags)), "%"),
            measure(CHECK_ID, "process.releases", len(recent), "releases"),
            measure(CHECK_ID, "process.releases_with_changelog", len(recent) - len(findings),
                    "releases"),
            measure(CHECK_ID, "process.changelog_share",
                    share(len(recent) - len(findings), len(recent)), "%"),
        ]  # fmt: skip
        return CheckOutput(findings=findings, measures=measures)


def _releases(versions: list[Tag]) -> list[Tag]:
    """Version tags in release order, one per commit (the first name in that order)."""
    ordered = sorted(versions, key=lambda tag: (tag.commit_time, tag.time, tag.name))
    releases: list[Tag] = []
    seen: set[str] = set()
    for tag in ordered:
        if tag.commit not in seen:
            seen.add(tag.commit)
            releases.append(tag)
    return releases


def _no_changelog(tag: Tag, previous: Tag | None) -> Finding:
    where = f"release {tag.name} ({tag.commit[:12]}, {day(tag.commit_time)})"
    if previous is None:
        message = f"{where}: the first release has no changelog file"
    else:
        message = f"{where}: no changelog file changed since {previous.name}"
    properties = {"tag": tag.name, "commit": tag.commit}
    if previous is not None:
        properties["previous"] = previous.name
    return finding(CHECK_ID, RULE, message, severity=Severity.LOW, key=tag.name,
                   properties=properties)  # fmt: skip
