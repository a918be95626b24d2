"""The JSON document of an audit (schema: ``assay schema audit``).

``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so the document can be
embedded in an HTML page without a repository's file name becoming markup.
"""

from __future__ import annotations

import json
from typing import Any

from assay.model import Audit

_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def audit_document(audit: Audit) -> dict[str, Any]:
    return audit.model_dump(mode="json")


def dumps(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False).translate(_HTML_SAFE) + "\n"


def render_json(audit: Audit) -> str:
    return dumps(audit_document(audit))


def audit_schema() -> dict[str, Any]:
    schema = Audit.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://assay.dev/schemas/audit-1.json"
    return schema
