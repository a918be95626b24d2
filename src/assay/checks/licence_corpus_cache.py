"""Keeping the normalised licence corpus between runs.

Building it from the SPDX texts takes about a second; reading it back takes a
tenth of that. It is stored with :mod:`marshal` as plain tuples, sets and strings
(never pickle: loading it cannot run code), in the cache folder, under a name
that changes with the ``spdx`` package's data version and our own format version,
so a stale file is never read. Any problem reading it means: build it again.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT_VERSION = 3


def corpus_path(data_version: str) -> Path:
    from assay.cache import cache_dir

    safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in data_version)
    return cache_dir() / f"licence-corpus-{safe}-v{FORMAT_VERSION}.marshal"


def load_or_build(path: Path, build: Callable[[], Any]) -> Any:
    """The plain-data corpus stored at ``path``, or ``build()`` stored there for next time."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".licence-corpus-")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(data))
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old or the new file
    except OSError:
        pass  # a read-only cache folder only costs the rebuild next time
    return data
