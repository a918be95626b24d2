"""What the JSON-based parsers share: loading the top-level object, naming JSON types."""

from __future__ import annotations

import json
from typing import Any

from assay.deps.model import ManifestError


def json_type(value: object) -> str:
    """How JSON would call the value, for messages."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def load_object(path: str, text: str) -> dict[str, Any]:
    """The top-level JSON object, or ``ManifestError`` naming the line of the fault."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(path, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    except RecursionError as exc:
        raise ManifestError(path, "invalid JSON: nested too deeply") from exc
    if not isinstance(document, dict):
        raise ManifestError(path, f"expected a JSON object, found {json_type(document)}")
    return document
