"""Fetching OSV's per-ecosystem exports (``<base>/<ECOSYSTEM>/all.zip``) for ``vulndb update``.

Plain ``urllib`` with a timeout and a size cap, streamed to a file; any network
failure becomes a :class:`VulnDBError` saying how to import offline instead.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from assay.deps.model import Ecosystem
from assay.vulndb import VulnDBError

MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024 * 1024
_CHUNK = 1024 * 1024
_SCHEMES = ("https", "http", "file")
OFFLINE_HINT = (
    "without a network, download <base>/<ECOSYSTEM>/all.zip on a machine that has one and run "
    "`assay vulndb import FILE...`"
)


def export_url(base: str, ecosystem: Ecosystem) -> str:
    """Where the export of ``ecosystem`` is under ``base``."""
    return f"{base.rstrip('/')}/{urllib.parse.quote(ecosystem.value)}/all.zip"


def download_exports(
    ecosystems: Iterable[Ecosystem],
    *,
    base: str,
    folder: Path,
    timeout_s: float,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> list[Path]:
    """Download the export of each ecosystem into ``folder``; the files, in the same order."""
    if urllib.parse.urlsplit(base).scheme not in _SCHEMES:
        raise VulnDBError(f"{base}: not an http(s) or file URL", hint=OFFLINE_HINT)
    paths: list[Path] = []
    for ecosystem in ecosystems:
        url = export_url(base, ecosystem)
        target = folder / f"{ecosystem.value.replace('/', '_')}-all.zip"
        _fetch(url, target, timeout_s=timeout_s, max_bytes=max_bytes)
        paths.append(target)
    return paths


def _fetch(url: str, target: Path, *, timeout_s: float, max_bytes: int) -> None:
    try:
        # The scheme was checked: http(s), or file for a mirror on disk.
        opened = urllib.request.urlopen(url, timeout=timeout_s)  # noqa: S310
        with opened as response, target.open("wb") as out:
            copied = 0
            while chunk := response.read(_CHUNK):
                copied += len(chunk)
                if copied > max_bytes:
                    raise VulnDBError(
                        f"{url}: refused: larger than {max_bytes:,} bytes", hint=OFFLINE_HINT
                    )
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise VulnDBError(
            f"cannot download {url}: HTTP {exc.code} {exc.reason}", hint=OFFLINE_HINT
        ) from exc
    except urllib.error.URLError as exc:
        raise VulnDBError(f"cannot download {url}: {exc.reason}", hint=OFFLINE_HINT) from exc
    except (TimeoutError, OSError) as exc:
        raise VulnDBError(f"cannot download {url}: {exc}", hint=OFFLINE_HINT) from exc
