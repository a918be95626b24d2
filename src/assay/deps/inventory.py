"""Every manifest and lock file of a snapshot, parsed and rolled up into one inventory.

Rules of the roll-up (docs/dependencies.md says the same for users):

- Files under vendored folders (``node_modules``, ``vendor`` …) are other people's
  code and are not read.
- A lock file is authoritative: manifests of the same ecosystem in its folder or
  below it (workspaces) contribute no components of their own, only the knowledge
  of which locked components are direct. ``go.mod`` lists every module of the
  build with its exact version, so it wins over ``go.sum`` beside it.
- The same component declared twice in one file counts once.
- A file that cannot be read (too large, not text, not parsable) is an error of
  the inventory, never a silent gap.
"""

from __future__ import annotations

import codecs
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from assay.deps.model import Component, Ecosystem, ManifestError, ParsedFile
from assay.deps.parsers import LockfileParser, ParserSet, load_parsers
from assay.deps.purl import package_key
from assay.model import FileEntry
from assay.snapshot.base import READABLE_KINDS, Snapshot

VENDORED = frozenset({"node_modules", "vendor", "third_party", "third-party", ".venv", "venv"})
DEFAULT_MAX_SIZE = 64 * 1024 * 1024
# A lock format that yields to a richer file of the same folder when both exist.
_YIELDS_TO = {"go.sum": "go.mod"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Inventory:
    """The dependencies of one snapshot."""

    components: tuple[Component, ...]
    files: tuple[ParsedFile, ...]
    errors: tuple[ManifestError, ...]
    # Parsers that failed to load (format -> reason): their files were not read.
    broken_parsers: dict[str, str]

    def unique(self) -> tuple[Component, ...]:
        """One component per purl (and source location), the first declaration kept."""
        seen: dict[tuple[str, str | None], Component] = {}
        for item in self.components:
            seen.setdefault((item.purl, item.location), item)
        return tuple(seen.values())


def collect(
    snapshot: Snapshot, *, max_size: int = DEFAULT_MAX_SIZE, parsers: ParserSet | None = None
) -> Inventory:
    """Parse every dependency file of ``snapshot`` and roll the results up."""
    chosen = parsers if parsers is not None else load_parsers()
    wanted, errors = _wanted(snapshot.entries, chosen, max_size)
    parsed: list[ParsedFile] = []
    for entry, data in snapshot.read_blobs(list(wanted)):
        result = _parse(wanted[entry], entry, data)
        if isinstance(result, ManifestError):
            errors.append(result)
        else:
            parsed.append(result)
    parsed.sort(key=lambda f: f.path)
    errors.sort(key=lambda e: e.path)
    return Inventory(
        components=_roll_up(parsed),
        files=tuple(parsed),
        errors=tuple(errors),
        broken_parsers=dict(chosen.broken),
    )


def _wanted(
    entries: Sequence[FileEntry], parsers: ParserSet, max_size: int
) -> tuple[dict[FileEntry, LockfileParser], list[ManifestError]]:
    wanted: dict[FileEntry, LockfileParser] = {}
    errors: list[ManifestError] = []
    for entry in entries:
        if entry.kind not in READABLE_KINDS or VENDORED.intersection(entry.path.split("/")[:-1]):
            continue
        parser = parsers.for_path(entry.path)
        if parser is None:
            continue
        if entry.size > max_size:
            errors.append(
                ManifestError(
                    entry.path,
                    f"not read: {entry.size:,} bytes is over the {max_size:,}-byte limit "
                    "for dependency files",
                )
            )
            continue
        wanted[entry] = parser
    return wanted, errors


def decode(path: str, data: bytes) -> str:
    """Text of a dependency file: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = "UTF-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "UTF-8"
        raise ManifestError(path, f"not valid {encoding} text (byte {exc.start})") from exc


def _parse(parser: LockfileParser, entry: FileEntry, data: bytes) -> ParsedFile | ManifestError:
    try:
        return parser.parse(entry.path, decode(entry.path, data))
    except ManifestError as exc:
        return exc
    except RecursionError:
        return ManifestError(entry.path, "nested too deeply to parse")
    except Exception as exc:  # a parser bug must show as an unreadable file, not a pass
        return ManifestError(
            entry.path, f"the {parser.format} parser failed: {type(exc).__name__}: {exc}"
        )


def _roll_up(files: Sequence[ParsedFile]) -> tuple[Component, ...]:
    locks = [f for f in files if f.kind == "lock" and not _yields(f, files)]
    manifests = [f for f in files if f.kind == "manifest"]
    components: list[Component] = []
    for lock in locks:
        covering = [m for m in manifests if _covers(lock, m)]
        direct_names = {package_key(c.ecosystem, c.name) for m in covering for c in m.components}
        components.extend(_settle(lock.components, direct_names if covering else None))
    for manifest in manifests:
        if not any(_covers(lock, manifest) for lock in locks):
            components.extend(_dedupe(manifest.components))
    return tuple(components)


def _yields(lock: ParsedFile, files: Iterable[ParsedFile]) -> bool:
    richer = _YIELDS_TO.get(lock.format)
    folder = posixpath.dirname(lock.path)
    return richer is not None and any(
        f.format == richer and posixpath.dirname(f.path) == folder for f in files
    )


def _covers(lock: ParsedFile, manifest: ParsedFile) -> bool:
    """A lock covers the manifests of its ecosystem in its folder and below (workspaces)."""
    if lock.ecosystem is not manifest.ecosystem:
        return False
    folder = posixpath.dirname(lock.path)
    return not folder or manifest.path.startswith(folder + "/")


def _settle(components: Iterable[Component], direct_names: set[str] | None) -> list[Component]:
    if direct_names is None:
        return _dedupe(components)
    return [
        replace(item, direct=package_key(item.ecosystem, item.name) in direct_names)
        if item.direct is None
        else item
        for item in _dedupe(components)
    ]


def _dedupe(components: Iterable[Component]) -> list[Component]:
    seen: dict[tuple[Ecosystem, str, str | None, str | None, str | None], Component] = {}
    for item in components:
        key = (
            item.ecosystem,
            package_key(item.ecosystem, item.name),
            item.version,
            item.requirement,
            item.location,
        )
        seen.setdefault(key, item)
    return list(seen.values())
