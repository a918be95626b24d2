"""Safe reads of a product's build configuration: CI workflows and Dockerfiles.

The pipeline and Docker checks judge a handful of small files. They are read in one
pass through the snapshot; a symlink is never followed and a file over the size cap
is not read, and either becomes a finding, so a file that cannot be judged never
passes unseen. YAML goes through the same safe loader as Assay's own configuration
(:mod:`assay.config`): no tags, no object construction, bounded nesting and alias
expansion, errors with a line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assay.checks.api import finding
from assay.config import YamlDocument, parse_yaml_document
from assay.errors import ConfigError
from assay.model import EntryKind, FileEntry, Finding, Severity
from assay.snapshot.base import READABLE_KINDS, Snapshot

READ_LIMIT = 1024 * 1024
_POSITION = re.compile(r"^.*?:(\d+):\d+: ")


@dataclass(frozen=True, kw_only=True, slots=True)
class ConfigText:
    """One configuration file as read: its path and its text."""

    path: str
    text: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ConfigYaml:
    """One YAML configuration file, parsed, with positions."""

    path: str
    text: str
    document: YamlDocument

    def line_of(self, *path: str | int) -> int:
        return self.document.position_of(path)[0]


def unreadable(check_id: str, entry: FileEntry) -> Finding:
    """Why ``entry`` is not read, as a finding of rule ``<check>.unreadable``."""
    if entry.kind == EntryKind.SYMLINK:
        what = "a symlink"
    elif entry.kind == EntryKind.SUBMODULE:
        what = "a submodule"
    elif entry.size > READ_LIMIT:
        what = f"larger than {READ_LIMIT} bytes"
    else:
        what = "not a readable regular file"
    return finding(
        check_id, f"{check_id}.unreadable", f"{entry.path} is {what}; it is not read",
        severity=Severity.MEDIUM, path=entry.path,
    )  # fmt: skip


def read_texts(
    snapshot: Snapshot, check_id: str, entries: Sequence[FileEntry]
) -> tuple[list[ConfigText], list[Finding]]:
    """The text of each entry (UTF-8, bad bytes replaced), and findings for those not read."""
    problems: list[Finding] = []
    wanted: list[FileEntry] = []
    for entry in entries:
        if entry.kind in READABLE_KINDS and entry.size <= READ_LIMIT:
            wanted.append(entry)
        else:
            problems.append(unreadable(check_id, entry))
    texts: dict[str, str] = {}
    for entry, data in snapshot.read_blobs(wanted):
        texts[entry.path] = data.decode("utf-8-sig", "replace")
    for entry in wanted:
        if entry.path not in texts:  # vanished or became a symlink while reading
            problems.append(unreadable(check_id, entry))
    files = [ConfigText(path=path, text=texts[path]) for path in sorted(texts)]
    return files, problems


def load_yaml_files(
    snapshot: Snapshot, check_id: str, entries: Sequence[FileEntry]
) -> tuple[list[ConfigYaml], list[Finding]]:
    """Parsed YAML files; unreadable and unparsable ones become findings instead."""
    texts, problems = read_texts(snapshot, check_id, entries)
    documents: list[ConfigYaml] = []
    for file in texts:
        try:
            document = parse_yaml_document(file.text, file.path)
        except ConfigError as error:
            problems.append(_unparsable(check_id, file.path, error.message))
        else:
            documents.append(ConfigYaml(path=file.path, text=file.text, document=document))
    return documents, sorted(problems, key=lambda f: f.path or "")


def _unparsable(check_id: str, path: str, message: str) -> Finding:
    first = message.splitlines()[0]
    match = _POSITION.match(first)
    line = int(match.group(1)) if match else None
    return finding(
        check_id, f"{check_id}.unparsable", f"cannot parse: {first}", severity=Severity.MEDIUM,
        path=path, start_line=line,
    )  # fmt: skip


def matching(entries: Sequence[FileEntry], wanted: Callable[[str], bool]) -> list[FileEntry]:
    """Entries whose path is wanted, symlinks and submodules included (they are reported)."""
    return [entry for entry in entries if wanted(entry.path)]


def occurrence_keys(keys: Sequence[str]) -> list[str]:
    """Fingerprint keys made unique: the second ``k`` becomes ``k#2``, and so on."""
    seen: dict[str, int] = {}
    unique: list[str] = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        unique.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return unique
