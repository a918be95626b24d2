"""Building OSV records (in the real schema) and real index files for the vulndb tests."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.deps.model import Component, Ecosystem, Scope
from assay.deps.parsers import component as make_component
from assay.vulndb.index import ImportReport, VulnIndex
from assay.vulndb.load import Loaded
from assay.vulndb.match import match_components
from assay.vulndb.osv import parse_record

MODIFIED = "2024-05-01T12:00:00Z"


def span(kind: str, *events: tuple[str, str]) -> dict[str, Any]:
    """A range of ``kind`` (SEMVER, ECOSYSTEM, GIT) with events such as ("introduced", "0")."""
    return {"type": kind, "events": [{key: value} for key, value in events]}


def affected(
    ecosystem: str,
    name: str,
    *ranges: dict[str, Any],
    versions: Sequence[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": name}}
    if ranges:
        entry["ranges"] = list(ranges)
    if versions is not None:
        entry["versions"] = list(versions)
    entry.update(extra)
    return entry


def record(
    record_id: str,
    *entries: dict[str, Any],
    aliases: Sequence[str] = (),
    modified: str = MODIFIED,
    summary: str = "",
    **extra: Any,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema_version": "1.6.0",
        "id": record_id,
        "modified": modified,
        "published": "2024-01-01T00:00:00Z",
        "aliases": list(aliases),
        "affected": list(entries),
    }
    if summary:
        document["summary"] = summary
    document.update(extra)
    return document


def build(
    path: Path, records: Iterable[dict[str, Any]], *, now: datetime | None = None
) -> ImportReport:
    """Import ``records`` into the index file at ``path`` (created if missing)."""
    items = [Loaded(source="test", record=parse_record(item)) for item in records]
    with VulnIndex.open_for_import(path) as index:
        return index.import_records(items, source="test", now=now or datetime.now(UTC))


def write_zip(path: Path, members: dict[str, bytes | str | dict[str, Any]]) -> Path:
    """A zip like OSV's exports: one member per advisory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            data = json.dumps(content) if isinstance(content, dict) else content
            archive.writestr(name, data)
    return path


def component(
    ecosystem: Ecosystem,
    name: str,
    version: str | None,
    *,
    declared_in: str = "lock",
    line: int | None = None,
    scope: Scope = Scope.RUNTIME,
) -> Component:
    return make_component(
        name=name, version=version, ecosystem=ecosystem, declared_in=declared_in, direct=True,
        line=line, scope=scope,
    )  # fmt: skip


def outcomes(path: Path, components: Sequence[Component]) -> list[tuple[str, ...]]:
    """(name, version, advisory, status, fixed, upgrade) for each match, in order."""
    with VulnIndex.open_for_reading(path) as index:
        found = match_components(components, index)
    return [
        (item.component.name, item.component.version or "", v.id, v.status.value,
         ",".join(v.fixed), v.upgrade_to or "")
        for item in found
        for v in item.vulnerabilities
    ]  # fmt: skip
