"""``maint.readme-sections``: the README tells a user how to install and how to use the product.

Sections are found by their headings: Markdown (``#`` and underlined), reStructuredText
(a title underlined with punctuation) and AsciiDoc (``=``). Each topic is a list of
words, any of which in a heading (any case) covers it.
"""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.checks.api import CheckOutput, finding
from assay.checks.hygiene import find_doc
from assay.model import Measure, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot, read_one

CHECK_ID = "maint.readme-sections"
RULE = "maint.readme-section-missing"
_READ_LIMIT = 1024 * 1024
_ATX = re.compile(r"^\s{0,3}(?:#{1,6}|={1,6})\s+(.+?)\s*#*\s*$")  # Markdown, AsciiDoc
_UNDERLINE = re.compile(r"^\s{0,3}([=\-~^\"'`#*+_.:])\1{2,}\s*$")  # setext, reStructuredText

_DEFAULT_TOPICS = {
    "installation": ["install", "setup", "set up", "getting started", "quick start",
                     "quickstart", "build", "requirements", "deploy"],
    "usage": ["usage", "use", "using", "example", "getting started", "quick start",
              "quickstart", "tutorial", "run", "how to", "commands", "configuration"],
}  # fmt: skip


class ReadmeSectionsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    topics: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in _DEFAULT_TOPICS.items()},
        description="Topic -> words; a heading containing one of the words covers the topic.",
    )


def headings(text: str) -> list[str]:
    """Section titles of a Markdown, reStructuredText or AsciiDoc document, in order."""
    found: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx:
            found.append(atx.group(1))
            continue
        title = line.strip()
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if title and not _UNDERLINE.match(line) and _UNDERLINE.match(following):
            found.append(title)
    return found


def _covers(heading: str, words: list[str]) -> bool:
    lowered = heading.lower()
    return any(re.search(rf"\b{re.escape(word.lower())}", lowered) for word in words)


class ReadmeSectionsCheck:
    kind: ClassVar[Literal["product"]] = "product"
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "The README has the sections a user needs: installation, usage."
    Params: ClassVar[type[BaseModel]] = ReadmeSectionsParams

    def run(self, snapshot: Snapshot, params: ReadmeSectionsParams) -> CheckOutput:
        entry = find_doc(snapshot.entries, ["readme"], dirs=[""])
        if entry is None or entry.kind not in READABLE_KINDS:
            return CheckOutput(not_applicable="no readable README at the repository root")
        data = read_one(snapshot, entry.path, limit=_READ_LIMIT)
        if data is None:
            return CheckOutput(not_applicable=f"{entry.path} is not read (over 1 MiB)")
        titles = headings(data.decode("utf-8", "replace"))
        missing = [t for t, words in params.topics.items()
                   if not any(_covers(h, words) for h in titles)]  # fmt: skip
        findings = [
            finding(CHECK_ID, RULE, _missing_message(entry.path, topic, params.topics[topic]),
                    severity=Severity.LOW, path=entry.path, key=topic)
            for topic in missing
        ]  # fmt: skip
        measures = [
            Measure(check_id=CHECK_ID, name="maint.readme.topics_covered",
                    value=len(params.topics) - len(missing), unit="topics"),
            Measure(check_id=CHECK_ID, name="maint.readme.headings", value=len(titles),
                    unit="headings"),
        ]  # fmt: skip
        return CheckOutput(findings=findings, measures=measures)


def _missing_message(path: str, topic: str, words: list[str]) -> str:
    named = " or ".join(f"'{w}'" for w in words[:2])
    return f"{path} has no section on {topic} (no heading with {named} or a related word)"
