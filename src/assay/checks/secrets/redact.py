"""Showing a secret without revealing it: a redacted form and a keyed hash.

The keyed hash (HMAC-SHA256, 16 hex digits) lets a reader see that two findings are
the same secret without the hash being a way to test guesses: guessing needs the key.
The key is the policy's ``hash_key`` (one key for the whole company, so a secret
shared by two products is recognisably the same), or else a random key made once
per installation and kept in the Assay data folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

import platformdirs

KEY_FILE_NAME = "secret-hash.key"


def redact(value: str) -> str:
    """First characters and the length: ``AKIA… (20 chars)``.

    Four characters are shown; a value under 16 characters shows a quarter of its
    length, so a short password does not lose half of itself.
    """
    shown = 4 if len(value) >= 16 else len(value) // 4
    return f"{value[:shown]}… ({len(value)} chars)"


def keyed_hash(value: str, key: bytes) -> str:
    digest = hmac.new(key, value.encode("utf-8", "surrogateescape"), hashlib.sha256)
    return digest.hexdigest()[:16]


def key_id(key: bytes) -> str:
    """A short public id of a key (first 8 hex of its SHA-256): which key made a hash."""
    return hashlib.sha256(key).hexdigest()[:8]


def data_dir() -> Path:
    return Path(os.environ.get("ASSAY_HOME") or platformdirs.user_data_dir("assay"))


def key_file() -> Path:
    return data_dir() / KEY_FILE_NAME


def installation_key(path: Path | None = None) -> bytes:
    """The installation's hash key, created (random, mode 0600) on first use."""
    path = path or key_file()
    if not path.exists():
        _create_key_file(path)
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise ValueError(f"{path} does not hold a secret hash key (64 hex digits expected)")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new key beside ``path`` and link it into place: a racing process's key wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@functools.lru_cache(maxsize=8)
def installation_key_with_id(path: str, expected_id: str) -> bytes:
    """The installation key, checked to be the one the parameters were made with.

    Cached per (file, id), so a pass over many files reads the key file once.
    """
    key = installation_key(Path(path))
    if key_id(key) != expected_id:
        raise ValueError(
            f"the secret hash key in {path} changed after the policy was loaded "
            f"(id {key_id(key)}, expected {expected_id}); audit again"
        )
    return key
