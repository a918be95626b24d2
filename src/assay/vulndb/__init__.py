"""The local vulnerability database: OSV records, imported, indexed and matched.

``load`` reads OSV JSON files, folders and the per-ecosystem zip exports;
``index`` keeps them in a SQLite file keyed by (ecosystem, package); ``match``
tells which components the records affect, with each ecosystem's version
semantics (``versions``). The ``vulns.osv`` check and ``assay vulndb`` sit on top.
"""

from __future__ import annotations

from assay.errors import AssayError


class VulnDBError(AssayError):
    """The vulnerability database cannot be read, written or trusted; the message says why."""


class DatabaseMissingError(VulnDBError):
    """No vulnerability database, or none for an ecosystem that a product uses."""


class DatabaseStaleError(VulnDBError):
    """The vulnerability database is older than the policy allows."""


# Where OSV publishes one ``<ECOSYSTEM>/all.zip`` per ecosystem.
OSV_EXPORTS = "https://osv-vulnerabilities.storage.googleapis.com"
IMPORT_HINT = (
    "run `assay vulndb update` (needs a network) or `assay vulndb import FILE...` with OSV "
    "exports (https://osv-vulnerabilities.storage.googleapis.com/<ECOSYSTEM>/all.zip)"
)
