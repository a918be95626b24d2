"""JSON reports loaded with the errors Assay reports for them."""

from __future__ import annotations

import json

from assay.reports.limits import check_input
from assay.reports.model import ReportError


def load_json(data: bytes, source: str, *, max_bytes: int) -> object:
    """The JSON value in ``data``; a ``ReportError`` naming ``source`` when unreadable."""
    check_input(data, source, max_bytes)
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise ReportError(source, f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except UnicodeDecodeError:
        raise ReportError(source, "invalid JSON: the text is not UTF-8") from None
    except RecursionError:
        raise ReportError(source, "refused: the JSON is nested too deeply") from None
