"""The local vulnerability index: a SQLite file of OSV records keyed by package.

The file is ``$ASSAY_VULNDB``, else ``vulndb.sqlite3`` in ``$ASSAY_HOME`` or the
user data folder. Tables:

- ``records``: one row per advisory id with its ``modified`` date, aliases,
  summary and CWE ids (``withdrawn`` records are kept, marked, and match nothing);
- ``affected``: one row per (record, affected package), keyed by ecosystem and the
  package name as the registry normalises it (``assay.deps.purl.package_key``),
  holding the compiled ranges and versions as JSON;
- ``packages``: per package, its entries prepared for matching (versions turned
  into positions in the package's version orderings, see
  :mod:`assay.vulndb.prepared`), rebuilt for the packages an import touches, and for
  all of them when the version libraries change (an audit that meets tables from
  other version libraries prepares its packages in memory instead);
- ``entry_details``: what a finding says about each prepared entry, numbered from
  the package's ``details_from``, read only for the entries that match;
- ``imports``: per ecosystem, when records of it were last imported, for the age
  check.

An import runs in one transaction: an import that fails leaves the previous
database as it was. Audits open the file read-only; they read while an import
runs and wait for its commit.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from assay.deps.model import Ecosystem
from assay.deps.purl import package_key
from assay.vulndb import IMPORT_HINT, DatabaseMissingError, DatabaseStaleError, VulnDBError
from assay.vulndb.affected import Advisory, AffectedSpec, compile_record
from assay.vulndb.load import Loaded, Skipped
from assay.vulndb.osv import Record, utc_text
from assay.vulndb.prepared import Details, PreparedPackage, prepare
from assay.vulndb.versions import NATIVE, VersionParser, semantics_fingerprint

FILE_NAME = "vulndb.sqlite3"
# Bumped when the tables or the JSON they hold change; an older file must be imported again.
SCHEMA_VERSION = "1"
_CHUNK = 500
# An audit waits this long for an import to commit.
_BUSY_TIMEOUT_S = 30.0
_DAY_S = 86_400

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    withdrawn TEXT,
    aliases TEXT NOT NULL,
    summary TEXT NOT NULL,
    cwe TEXT NOT NULL,
    source TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS affected (
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    record_id TEXT NOT NULL,
    spec TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, package);
CREATE INDEX IF NOT EXISTS affected_by_record ON affected (record_id);
CREATE TABLE IF NOT EXISTS packages (
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    prepared TEXT NOT NULL,
    details_from INTEGER NOT NULL,
    PRIMARY KEY (ecosystem, package)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entry_details (
    id INTEGER PRIMARY KEY,
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entry_details_by_package ON entry_details (ecosystem, package);
CREATE TABLE IF NOT EXISTS imports (
    ecosystem TEXT PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL
) WITHOUT ROWID;
"""

PackageKey = tuple[Ecosystem, str]
# Completed with "(?,?,...)", one mark per package name.
_PACKAGES = (
    "SELECT package, prepared, details_from FROM packages WHERE ecosystem = ? AND package IN "
)
_DETAILS = "SELECT id, details FROM entry_details WHERE id IN "
_ENTRIES = (
    "SELECT a.package, a.spec, r.id, r.modified, r.aliases, r.summary, r.cwe "
    "FROM affected AS a JOIN records AS r ON r.id = a.record_id "
    "WHERE a.ecosystem = ? AND a.package IN "
)


def default_path() -> Path:
    """``$ASSAY_VULNDB``, else ``vulndb.sqlite3`` in ``$ASSAY_HOME`` or the user data dir."""
    configured = os.environ.get("ASSAY_VULNDB")
    if configured:
        return Path(configured)
    home = os.environ.get("ASSAY_HOME")
    if not home:
        import platformdirs

        home = platformdirs.user_data_dir("assay")
    return Path(home) / FILE_NAME


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportReport:
    """What an import did."""

    added: int = 0
    updated: int = 0
    # Already in the index with the same ``modified`` date.
    unchanged: int = 0
    # The index holds a newer version of the record; the older one was not imported.
    kept_newer: int = 0
    withdrawn: int = 0
    skipped: tuple[Skipped, ...] = ()
    # Affected packages of ecosystems Assay does not match, by ecosystem name.
    unsupported: dict[str, int] = field(default_factory=dict)
    # Records read per ecosystem (whether or not they changed the index).
    ecosystems: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return self.added + self.updated + self.unchanged + self.kept_newer


@dataclass(frozen=True, kw_only=True, slots=True)
class EcosystemStatus:
    ecosystem: str
    records: int
    newest_modified: str | None
    imported_at: str | None

    def age_days(self, now: datetime) -> float | None:
        """Days since the last import of this ecosystem."""
        if self.imported_at is None:
            return None
        then = datetime.strptime(self.imported_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return (now - then).total_seconds() / _DAY_S


@dataclass(frozen=True, kw_only=True, slots=True)
class Status:
    path: Path
    ecosystems: tuple[EcosystemStatus, ...]
    withdrawn: int

    def of(self, ecosystem: str) -> EcosystemStatus | None:
        return next((e for e in self.ecosystems if e.ecosystem == ecosystem), None)


class VulnIndex:
    """An open vulnerability index. Use :meth:`open_for_import` or :meth:`open_for_reading`."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    @classmethod
    def open_for_import(cls, path: Path | None = None) -> VulnIndex:
        """The index at ``path`` (default: :func:`default_path`), created if missing."""
        where = path or default_path()
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(where, isolation_level=None, timeout=_BUSY_TIMEOUT_S)
            # Room for a whole import in memory: a transaction that spills its cache to the
            # file takes the exclusive lock early and would block audits until it commits.
            db.execute("PRAGMA cache_size = -262144")
            db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise VulnDBError(f"cannot open the vulnerability database {where}: {exc}") from exc
        index = cls(where, db)
        index._check_schema(new_ok=True)
        return index

    @classmethod
    def open_for_reading(cls, path: Path | None = None) -> VulnIndex:
        """The existing index at ``path``, read-only; DatabaseMissingError when there is none."""
        where = path or default_path()
        if not where.is_file():
            raise DatabaseMissingError(f"no vulnerability database at {where}; {IMPORT_HINT}")
        try:
            db = sqlite3.connect(
                f"{where.resolve().as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S
            )
        except sqlite3.Error as exc:
            raise VulnDBError(f"cannot open the vulnerability database {where}: {exc}") from exc
        index = cls(where, db)
        index._check_schema(new_ok=False)
        return index

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> VulnIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------- import

    def import_records(
        self,
        items: Iterable[Loaded | Skipped],
        *,
        source: str,
        ecosystems: Iterable[Ecosystem] = (),
        now: datetime | None = None,
    ) -> ImportReport:
        """Add or update records, in one transaction; ``ecosystems`` are stamped even if empty.

        Any exception (a file that cannot be read at all) rolls the whole import back.
        """
        stamp = utc_text(now or datetime.now(UTC))
        importer = _Importer(self._db)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for item in items:
                importer.take(item)
            seen = set(importer.ecosystems) | {e.value for e in ecosystems}
            self._db.executemany(
                "INSERT OR REPLACE INTO imports (ecosystem, imported_at, source) VALUES (?, ?, ?)",
                [(name, stamp, source) for name in sorted(seen)],
            )
            rebuild_all = self._meta("semantics") != semantics_fingerprint()
            self._rebuild_packages(None if rebuild_all else importer.touched)
            self._set_meta("semantics", semantics_fingerprint())
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        return importer.report()

    def _rebuild_packages(self, touched: set[tuple[str, str]] | None) -> None:
        if touched is None:
            self._db.execute("DELETE FROM packages")
            self._db.execute("DELETE FROM entry_details")
            rows = self._db.execute("SELECT DISTINCT ecosystem, package FROM affected")
            touched = {(eco, name) for eco, name in rows}
        parser = VersionParser()
        (last,) = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM entry_details").fetchone()
        for ecosystem, name in sorted(touched):
            key = (Ecosystem(ecosystem), name)
            where = (ecosystem, name)
            self._db.execute("DELETE FROM packages WHERE ecosystem = ? AND package = ?", where)
            self._db.execute("DELETE FROM entry_details WHERE ecosystem = ? AND package = ?", where)
            items = self._entries([key]).get(key)
            if items is None:
                continue
            prepared = prepare(NATIVE[key[0]], items, parser)
            first = last + 1
            self._db.executemany(
                "INSERT INTO entry_details (id, ecosystem, package, details) VALUES (?, ?, ?, ?)",
                [(first + n, ecosystem, name, text) for n, text in enumerate(prepared.details)],
            )
            last = first + len(prepared.details) - 1
            self._db.execute(
                "INSERT INTO packages (ecosystem, package, prepared, details_from) "
                "VALUES (?, ?, ?, ?)",
                (ecosystem, name, json.dumps(prepared.document, separators=(",", ":")), first),
            )

    # ----------------------------------------------------------------------- reading

    def packages(self, keys: Iterable[PackageKey]) -> dict[PackageKey, PreparedPackage]:
        """The prepared records of each package of ``keys`` (names as ``package_key`` gives)."""
        wanted = set(keys)
        if self._meta("semantics") != semantics_fingerprint():
            # Prepared by other version libraries: prepare again, in memory, correctly.
            parser = VersionParser()
            found = {}
            for key, items in self._entries(wanted).items():
                prepared = prepare(NATIVE[key[0]], items, parser)
                found[key] = PreparedPackage(prepared.document, inline_details=prepared.details)
            return found
        found = {}
        for ecosystem, chunk, marks in _by_ecosystem(wanted):
            query = _PACKAGES + marks
            for name, prepared, first in self._db.execute(query, (ecosystem.value, *chunk)):
                document = json.loads(prepared)
                found[(ecosystem, name)] = PreparedPackage(document, details_from=first)
        return found

    def details(
        self, wanted: Iterable[tuple[PackageKey, PreparedPackage, int]]
    ) -> dict[tuple[PackageKey, int], Details]:
        """What findings say about these entries (package key, its package, entry number)."""
        found: dict[tuple[PackageKey, int], Details] = {}
        by_row: dict[int, tuple[PackageKey, int, str]] = {}
        for key, package, entry in wanted:
            record_id = package.records[entry]
            if package.inline_details is not None:
                found[(key, entry)] = Details.from_json(record_id, package.inline_details[entry])
            elif package.details_from is not None:
                by_row[package.details_from + entry] = (key, entry, record_id)
        rows = sorted(by_row)
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            query = _DETAILS + "(" + ",".join("?" * len(chunk)) + ")"
            for row, text in self._db.execute(query, chunk):
                key, entry, record_id = by_row[row]
                found[(key, entry)] = Details.from_json(record_id, text)
        return found

    def _entries(
        self, keys: Iterable[PackageKey]
    ) -> dict[PackageKey, list[tuple[Advisory, AffectedSpec]]]:
        """The record entries about each package of ``keys``, with their advisories."""
        found: dict[PackageKey, list[tuple[Advisory, AffectedSpec]]] = {}
        for ecosystem, chunk, marks in _by_ecosystem(keys):
            query = _ENTRIES + marks
            rows = self._db.execute(query, (ecosystem.value, *chunk))
            for name, spec, record_id, modified, aliases, summary, cwe in rows:
                advisory = Advisory(
                    id=record_id,
                    aliases=tuple(json.loads(aliases)),
                    summary=summary,
                    cwe=tuple(json.loads(cwe)),
                    modified=modified,
                )
                found.setdefault((ecosystem, name), []).append(
                    (advisory, AffectedSpec.from_json(ecosystem, json.loads(spec)))
                )
        return found

    def status(self) -> Status:
        """Per ecosystem: records, the newest ``modified`` date, when it was imported."""
        counts = {
            ecosystem: (records, newest)
            for ecosystem, records, newest in self._db.execute(
                "SELECT a.ecosystem, COUNT(DISTINCT a.record_id), MAX(r.modified) "
                "FROM affected AS a JOIN records AS r ON r.id = a.record_id GROUP BY a.ecosystem"
            )
        }
        stamps = dict(self._db.execute("SELECT ecosystem, imported_at FROM imports").fetchall())
        ecosystems = tuple(
            EcosystemStatus(
                ecosystem=name,
                records=counts.get(name, (0, None))[0],
                newest_modified=counts.get(name, (0, None))[1],
                imported_at=stamps.get(name),
            )
            for name in sorted({*counts, *stamps}, key=str.lower)
        )
        (withdrawn,) = self._db.execute(
            "SELECT COUNT(*) FROM records WHERE withdrawn IS NOT NULL"
        ).fetchone()
        return Status(path=self.path, ecosystems=ecosystems, withdrawn=withdrawn)

    # ----------------------------------------------------------------------- meta

    def _check_schema(self, *, new_ok: bool) -> None:
        try:
            version = self._meta("schema")
        except sqlite3.Error as exc:
            self.close()
            raise VulnDBError(
                f"{self.path} is not an Assay vulnerability database ({exc}); delete it and "
                f"import again: {IMPORT_HINT}"
            ) from exc
        if version is None and new_ok:
            self._set_meta("schema", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            self.close()
            raise VulnDBError(
                f"{self.path} was written by another version of Assay (format {version}, this "
                f"one reads {SCHEMA_VERSION}); delete it and import again: {IMPORT_HINT}"
            )

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


class _Importer:
    """Writes records one by one inside the import's transaction, counting what it does."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.counts: Counter[str] = Counter()
        self.skipped: list[Skipped] = []
        self.unsupported: Counter[str] = Counter()
        self.ecosystems: Counter[str] = Counter()
        self.touched: set[tuple[str, str]] = set()

    def take(self, item: Loaded | Skipped) -> None:
        if isinstance(item, Skipped):
            self.skipped.append(item)
            return
        record = item.record
        modified = utc_text(record.modified)
        row = self._db.execute("SELECT modified FROM records WHERE id = ?", (record.id,)).fetchone()
        if row is not None and row[0] >= modified:
            self.counts["unchanged" if row[0] == modified else "kept_newer"] += 1
            self.ecosystems.update(_ecosystems(record))
            return
        self._forget(record.id)
        compiled = compile_record(record)
        advisory = compiled.advisory
        self._db.execute(
            "INSERT INTO records (id, modified, withdrawn, aliases, summary, cwe, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                modified,
                None if record.withdrawn is None else utc_text(record.withdrawn),
                json.dumps(list(advisory.aliases)),
                advisory.summary,
                json.dumps(list(advisory.cwe)),
                item.source,
            ),
        )
        self.counts["updated" if row is not None else "added"] += 1
        self.ecosystems.update(_ecosystems(record))
        self.unsupported.update(compiled.unsupported)
        if record.withdrawn is not None:
            self.counts["withdrawn"] += 1
            return
        rows = [
            (spec.ecosystem.value, package_key(spec.ecosystem, spec.name), record.id,
             json.dumps(spec.to_json(), separators=(",", ":")))
            for spec in compiled.entries
        ]  # fmt: skip
        self._db.executemany(
            "INSERT INTO affected (ecosystem, package, record_id, spec) VALUES (?, ?, ?, ?)", rows
        )
        self.touched.update((ecosystem, name) for ecosystem, name, _, _ in rows)

    def _forget(self, record_id: str) -> None:
        """Remove an older version of the record, remembering which packages it was about."""
        self.touched.update(
            self._db.execute(
                "SELECT ecosystem, package FROM affected WHERE record_id = ?", (record_id,)
            ).fetchall()
        )
        self._db.execute("DELETE FROM affected WHERE record_id = ?", (record_id,))
        self._db.execute("DELETE FROM records WHERE id = ?", (record_id,))

    def report(self) -> ImportReport:
        return ImportReport(
            added=self.counts["added"],
            updated=self.counts["updated"],
            unchanged=self.counts["unchanged"],
            kept_newer=self.counts["kept_newer"],
            withdrawn=self.counts["withdrawn"],
            skipped=tuple(self.skipped),
            unsupported=dict(sorted(self.unsupported.items())),
            ecosystems=dict(sorted(self.ecosystems.items())),
        )


_KNOWN = frozenset(member.value for member in Ecosystem)


def _ecosystems(record: Record) -> set[str]:
    """The ecosystems Assay matches among the record's affected packages."""
    return {
        a.package.ecosystem
        for a in record.affected
        if a.package is not None and a.package.ecosystem in _KNOWN
    }


def _by_ecosystem(keys: Iterable[PackageKey]) -> Iterator[tuple[Ecosystem, Sequence[str], str]]:
    """Package names grouped by ecosystem in chunks, with the SQL placeholders for each chunk."""
    names: dict[Ecosystem, set[str]] = {}
    for ecosystem, name in keys:
        names.setdefault(ecosystem, set()).add(name)
    for ecosystem, group in sorted(names.items()):
        for chunk in _chunks(sorted(group)):
            yield ecosystem, chunk, "(" + ",".join("?" * len(chunk)) + ")"


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def require_fresh(
    status: Status, ecosystems: Iterable[Ecosystem], *, max_age_days: int, now: datetime
) -> None:
    """Raise when an ecosystem a product uses was never imported or is older than allowed."""
    missing: list[str] = []
    stale: list[str] = []
    for ecosystem in sorted(set(ecosystems), key=lambda e: e.value.lower()):
        entry = status.of(ecosystem.value)
        age = None if entry is None else entry.age_days(now)
        if entry is None or age is None:
            missing.append(ecosystem.value)
        elif age > max_age_days:
            stale.append(f"{ecosystem.value} imported {entry.imported_at} ({age:.0f} days ago)")
    if missing:
        raise DatabaseMissingError(
            f"the vulnerability database {status.path} has never imported "
            f"{', '.join(missing)}, which the product uses; {IMPORT_HINT}",
        )
    if stale:
        raise DatabaseStaleError(
            f"the vulnerability database {status.path} is older than {max_age_days} days: "
            f"{'; '.join(stale)}; run `assay vulndb update` or import newer OSV exports",
        )
