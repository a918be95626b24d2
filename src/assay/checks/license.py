"""The ``hygiene.license`` check: a recognised licence at the root, one the company allows.

The licence files are the root files named LICENSE, LICENCE, COPYING, UNLICENSE
(any case, with or without .md/.txt/.rst), COPYING.LESSER, the ``LICENSE-<x>``
files of dual-licensed products (LICENSE-MIT, LICENSE-APACHE) and the
``LICENSES/<id>.txt`` files of the REUSE layout. Every one found is judged:
read with a size cap and identified by
:func:`assay.checks.licensing.identify_license`; a REUSE file's name counts as
its declared id. Symlinks are never read: a licence file that is one gets a
finding of its own.

A product under LGPL-3.0 commonly ships the GPL-3.0 text beside it (COPYING next
to COPYING.LESSER), because LGPL-3.0 is written as additional permissions on top
of GPL-3.0. When an LGPL-3.0 file is recognised, a GPL-3.0 text file is taken as
its companion and not reported as a licence of its own.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from assay.checks.licensing import LicenseMatch

from assay.checks.api import CheckOutput, finding
from assay.model import EntryKind, FileEntry, Finding, Measure, Severity
from assay.snapshot.base import Snapshot, read_one

CHECK_ID = "hygiene.license"

_ROOT_NAMES = frozenset(
    {
        "license", "license.md", "license.txt", "license.rst",
        "licence", "licence.md", "licence.txt", "licence.rst",
        "copying", "copying.md", "copying.txt",
        "copying.lesser", "copying.lesser.md", "copying.lesser.txt",
        "unlicense", "unlicense.md", "unlicense.txt",
    }
)  # fmt: skip
# One file per licence of a dual-licensed product: LICENSE-MIT, LICENSE-APACHE.
_ROOT_PREFIXES = ("license-", "licence-", "copying-")
_REUSE_DIR = "licenses"
_REUSE_SUFFIX = ".txt"


class LicenseParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    allowed: list[str] | None = Field(
        default=None,
        description="SPDX ids of the licences the company allows; unset: any recognised licence.",
    )
    max_bytes: int = Field(
        default=262144, gt=0, description="Licence files larger than this are not read."
    )

    @field_validator("allowed")
    @classmethod
    def _spdx_ids(cls, value: list[str] | None) -> list[str] | None:
        # Imported here: the matcher's tables cost a re-audit answered from the cache.
        from assay.checks.licensing import canonical_license_id

        for item in value or ():
            if canonical_license_id(item) is None:
                raise ValueError(f"{item!r} is not an SPDX licence id (e.g. MIT, Apache-2.0)")
        return value


def licence_files(entries: Sequence[FileEntry]) -> list[FileEntry]:
    """The licence files of a snapshot, by path: root files and REUSE ``LICENSES/*.txt``."""
    found = []
    for entry in entries:
        # Only root files and files one folder down can be licence files.
        if entry.path.count("/") > 1 or entry.kind == EntryKind.SUBMODULE:
            continue
        folder, name = posixpath.split(entry.path.lower())
        at_root = folder == "" and (name in _ROOT_NAMES or name.startswith(_ROOT_PREFIXES))
        if at_root or (folder == _REUSE_DIR and name.endswith(_REUSE_SUFFIX)):
            found.append(entry)
    return sorted(found, key=lambda entry: entry.path)


def _reuse_id(entry: FileEntry) -> str | None:
    """The id a REUSE ``LICENSES/<id>.txt`` file declares by its name."""
    folder, name = posixpath.split(entry.path)
    if folder.lower() != _REUSE_DIR:
        return None
    return name[: -len(_REUSE_SUFFIX)]


def _is_lgpl3(spdx_id: str) -> bool:
    return spdx_id.startswith("LGPL-3.0")


class LicenseCheck:
    kind: ClassVar[Literal["product"]] = "product"
    id: ClassVar[str] = CHECK_ID
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "A licence file at the root whose text is a known SPDX licence the company allows."
    )
    Params: ClassVar[type[BaseModel]] = LicenseParams
    cache_scope: ClassVar[Literal["tree", "none"]] = "tree"

    def run(self, snapshot: Snapshot, params: LicenseParams) -> CheckOutput:
        files = licence_files(snapshot.entries)
        if not files:
            message = "no LICENSE file at the repository root"
            return CheckOutput(
                findings=[
                    finding(CHECK_ID, f"{CHECK_ID}.missing", message, severity=Severity.MEDIUM)
                ]
            )
        findings: list[Finding] = []
        recognised: list[tuple[FileEntry, LicenseMatch]] = []
        for entry in files:
            problem, match = self._examine(snapshot, entry, params)
            if problem is not None:
                findings.append(problem)
            if match is not None:
                recognised.append((entry, match))
        if any(_is_lgpl3(match.spdx_id) for _, match in recognised):
            recognised = [
                (entry, match)
                for entry, match in recognised
                if not (match.spdx_id == "GPL-3.0-only" and match.method == "text")
            ]
        measures = []
        for entry, match in recognised:
            measures.append(
                Measure(
                    check_id=CHECK_ID,
                    name="license.recognised",
                    value=1,
                    unit="bool",
                    labels={"spdx_id": match.spdx_id, "path": entry.path},
                )
            )
            if not _permitted(match.spdx_id, params.allowed):
                findings.append(_not_allowed(entry, match, params.allowed or []))
        return CheckOutput(findings=findings, measures=measures)

    def _examine(
        self, snapshot: Snapshot, entry: FileEntry, params: LicenseParams
    ) -> tuple[Finding | None, LicenseMatch | None]:
        """A finding that the file cannot be judged or is not recognised, or its licence."""
        path = entry.path
        if entry.kind == EntryKind.SYMLINK:
            message = f"{path} is a symlink; it is not read (commit the licence text itself)"
            return _finding("symlink", message, Severity.MEDIUM, path), None
        if entry.size > params.max_bytes:
            message = (
                f"{path} is {entry.size} bytes, over the limit of {params.max_bytes}; not read"
            )
            return _finding("too-large", message, Severity.LOW, path), None
        data = read_one(snapshot, path, limit=params.max_bytes)
        if data is None:
            return _finding("unreadable", f"{path} could not be read", Severity.LOW, path), None
        from assay.checks.licensing import closest_license, identify_license

        text = data.decode("utf-8", errors="replace")
        match = identify_license(text, declared=_reuse_id(entry))
        if match is not None:
            return None, match
        message = f"{path}: licence text not recognised as any known SPDX licence"
        closest = closest_license(text)
        if closest is not None:
            message += f" (best match {closest.spdx_id} at {int(closest.similarity * 100)}%)"
        return _finding("unrecognised", message, Severity.LOW, path), None


def _finding(rule: str, message: str, severity: Severity, path: str) -> Finding:
    return finding(CHECK_ID, f"{CHECK_ID}.{rule}", message, severity=severity, path=path)


def _permitted(spdx_id: str, allowed: list[str] | None) -> bool:
    if allowed is None:
        return True
    from assay.checks.licensing import canonical_license_id

    return spdx_id in {canonical_license_id(item) for item in allowed}


def _not_allowed(entry: FileEntry, match: LicenseMatch, allowed: list[str]) -> Finding:
    listed = ", ".join(allowed) if allowed else "none"
    message = f"{entry.path}: {match.spdx_id} is not in the allowed licences ({listed})"
    return finding(
        CHECK_ID,
        f"{CHECK_ID}.not-allowed",
        message,
        severity=Severity.HIGH,
        path=entry.path,
        key=match.spdx_id,
    )
