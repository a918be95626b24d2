"""Reading a product's git history: commits of a window, tags, and what changed between them.

Everything here runs the ``git`` executable with the hardened options of the
snapshot (no hooks, no repository-configured programs, no signature verification)
and parses its output into frozen dataclasses. The change-process checks
(``process.*``) are built on it.
"""

from __future__ import annotations

from assay.history.log import LogCommit, SignatureFormat, read_log
from assay.history.repo import changed_paths, shallow_commits
from assay.history.tags import Tag, read_tags
from assay.history.trailers import trailers

__all__ = [
    "LogCommit",
    "SignatureFormat",
    "Tag",
    "changed_paths",
    "read_log",
    "read_tags",
    "shallow_commits",
    "trailers",
]
