"""Blobs of the audited commit read from the checked-out files, when they are the same bytes.

Inflating every blob through ``git cat-file`` costs more CPU than reading the
work tree, and in a clean checkout most files are exactly their blob. A file is
taken from the work tree only if its bytes hash to the blob id the commit
records (git's own object hash, SHA-1 or SHA-256), so what is scanned is always
the commit's content: an edited, filtered (line endings, LFS) or missing file
simply comes from git instead.

The read never leaves the repository: every directory on the way must be a real
directory (``lstat``, checked once per directory), the file is opened with
``O_NOFOLLOW`` and must be a regular file, and ``O_NONBLOCK`` keeps a named pipe
from hanging the open. Bytes that somehow came from elsewhere would still have to
hash to the committed blob to be used.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from assay.model import FileEntry

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_HASH_BY_ID_LENGTH = {40: hashlib.sha1, 64: hashlib.sha256}


class WorktreeReader:
    """Reads committed blobs from the work tree at ``root`` when they are unchanged there."""

    def __init__(self, root: Path) -> None:
        self._root = str(root)
        self._real_dirs: dict[str, bool] = {"": True}

    def read(self, entry: FileEntry) -> bytes | None:
        """The blob of ``entry`` if the checked-out file holds exactly it, else None."""
        blob_id = entry.blob_id
        new_hash = _HASH_BY_ID_LENGTH.get(len(blob_id or ""))
        if new_hash is None or not _plain(entry.path):
            return None
        if not self._inside(entry.path.rpartition("/")[0]):
            return None
        data = _read_regular(f"{self._root}/{entry.path}", entry.size)
        if data is None:
            return None
        # git's object id: the hash of "blob <size>\0" followed by the content.
        digest = new_hash(b"blob %d\0" % len(data), usedforsecurity=False)
        digest.update(data)
        return data if digest.hexdigest() == blob_id else None

    def _inside(self, directory: str) -> bool:
        """Whether ``directory`` and each one above it is a real directory, not a symlink."""
        known = self._real_dirs.get(directory)
        if known is None:
            parent = directory.rpartition("/")[0]
            known = self._inside(parent) and _is_real_directory(f"{self._root}/{directory}")
            self._real_dirs[directory] = known
        return known


def _plain(path: str) -> bool:
    """Ordinary components only: a crafted tree may name ``..`` or ``.git`` (git reads those)."""
    if "/." not in f"/{path}" and "//" not in f"/{path}/":
        return True  # no component is empty or starts with a dot: the common case, at once
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in path.split("/"))


def _is_real_directory(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _read_regular(path: str, size: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of ``size`` bytes, else None."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size != size:
            return None
        # One byte more than expected: a file that grew is no match. A regular file
        # gives all it has at once; a short read is read on (and the hash checks all).
        data = os.read(fd, size + 1)
        if len(data) >= size:
            return data if len(data) == size else None
        chunks = [data]
        remaining = size + 1 - len(data)
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) == size else None
    except OSError:
        return None
    finally:
        os.close(fd)
