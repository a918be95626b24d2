"""Language of a file from its name, extension or shebang, using identify's tables."""

from __future__ import annotations

import json
import posixpath
from functools import lru_cache
from pathlib import Path

# identify tags that are not languages; the first remaining tag in this order wins.
_NON_LANGUAGE_TAGS = frozenset(
    {
        "text", "binary", "file", "executable", "non-executable", "symlink", "directory",
        "plain-text", "image", "audio", "video", "archive", "font", "socket",
    }
)  # fmt: skip

# When identify gives several language tags (e.g. {'tsx', 'typescript'}), prefer these names.
_PREFERRED = ("python", "javascript", "typescript", "shell", "c++", "c", "yaml", "json")


def _pick_language(tags: set[str]) -> str | None:
    candidates = tags - _NON_LANGUAGE_TAGS
    if not candidates:
        return None
    for preferred in _PREFERRED:
        if preferred in candidates:
            return preferred
    return sorted(candidates)[0]


def language_from_name(path: str) -> str | None:
    """Language by file name and extension alone (no content read)."""
    name = path.rsplit("/", 1)[-1]
    known = _known_names()
    if name in known:
        return known[name]
    language = known[name] = _language_of_filename(name)
    _unsaved.append(name)
    return language


# identify takes 25 ms to import and a few µs per new name: a repository's file names
# and their languages are kept in the cache folder (keyed by identify's and Assay's
# versions), so auditing it again needs neither.
_MAX_KEPT = 20_000
_known: dict[str, str | None] = {}
_loaded: list[bool] = []
_unsaved: list[str] = []


def _known_names() -> dict[str, str | None]:
    if not _loaded:
        _loaded.append(True)
        path = _memo_path()
        try:
            data = json.loads(path.read_text("utf-8")) if path is not None else {}
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict):
            _known.update((k, v) for k, v in data.items() if isinstance(v, str | None))
    return _known


def remember_languages() -> None:
    """Keep the languages of the file names met since the last call, for the next run."""
    path = _memo_path()
    if not _unsaved or path is None or len(_known) > _MAX_KEPT:
        return  # past the cap, reading the file would cost more than identify
    _unsaved.clear()
    from assay.cache import write_atomically

    write_atomically(path, json.dumps(_known, separators=(",", ":")).encode())


def _memo_path() -> Path | None:
    from assay.cache import cache_dir, environment_salt

    try:
        return cache_dir() / f"languages-{environment_salt()}.json"
    except OSError:
        return None


# Keyed by the file name, not the path: a repository repeats names (__init__.py) far
# more than paths, and identify looks at nothing else.
@lru_cache(maxsize=16384)
def _language_of_filename(filename: str) -> str | None:
    from identify import extensions, identify

    # identify's own order: a known name (or dotted part of one, "Dockerfile.dev")
    # first; a name without one is judged by its extension alone, asked once per
    # extension rather than once per file name.
    if filename in extensions.NAMES or any(p in extensions.NAMES for p in filename.split(".")):
        return _pick_language(set(identify.tags_from_filename(filename)))
    return _language_of_extension(posixpath.splitext(filename)[1][1:].lower())


@lru_cache(maxsize=1024)
def _language_of_extension(extension: str) -> str | None:
    from identify import extensions

    tags = extensions.EXTENSIONS.get(extension) or extensions.EXTENSIONS_NEED_BINARY_CHECK.get(
        extension, set()
    )
    return _pick_language(set(tags))


def language_from_shebang(first_line: bytes) -> str | None:
    """Language from a ``#!`` line, for extensionless scripts."""
    if not first_line.startswith(b"#!"):
        return None
    from identify import interpreters

    words = first_line[2:].decode("utf-8", "replace").split()
    if not words:
        return None
    interpreter = posixpath.basename(words[0])
    if interpreter == "env":
        rest = [w for w in words[1:] if not w.startswith("-")]
        if not rest:
            return None
        interpreter = posixpath.basename(rest[0])
    # python3.11 -> python3 -> python
    while interpreter and interpreter not in interpreters.INTERPRETERS:
        trimmed = interpreter.rstrip("0123456789.")
        if trimmed == interpreter:
            return None
        interpreter = trimmed
    if not interpreter:
        return None
    return _pick_language(set(interpreters.INTERPRETERS[interpreter]))
