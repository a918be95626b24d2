"""The audit store: every audit saved in SQLite (default) or PostgreSQL.

>>> store = open_store(None)          # ASSAY_DB, else assay.sqlite3 in the user data dir
>>> store.save(audit)                 # one transaction; saving the same id again does nothing
>>> store.history(product="billing")  # newest first
>>> store.load("3f2a9c")              # a unique id prefix is enough

Docs: docs/store.md.
"""

from __future__ import annotations

from assay.store.rows import AuditRow
from assay.store.service import Store, open_store
from assay.store.url import default_db_url

__all__ = ["AuditRow", "Store", "default_db_url", "open_store"]
