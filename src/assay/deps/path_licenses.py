"""The licence a package's own manifest declares (for path dependencies kept in the tree)."""

from __future__ import annotations

import json
import tomllib
from typing import Any


def declared_license(name: str, text: str) -> str | None:
    """The licence field of a pyproject.toml, Cargo.toml, package.json or composer.json."""
    try:
        data: Any = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    if name == "pyproject.toml":
        return _pyproject(data)
    if name == "Cargo.toml":
        return _text(_table(data, "package").get("license"))
    value = data.get("license")
    if isinstance(value, list):
        parts = [part for part in value if isinstance(part, str)]
        return " OR ".join(parts) if parts else None
    return _text(value)


def _pyproject(data: dict[str, Any]) -> str | None:
    value = _table(data, "project").get("license")
    if isinstance(value, dict):
        return _text(value.get("text"))
    return _text(value) or _text(_table(_table(data, "tool"), "poetry").get("license"))


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
