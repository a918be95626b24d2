"""Checks every report passes before a parser looks inside it."""

from __future__ import annotations

from assay.reports.model import ReportError

# Real reports of large products stay well below this; a bigger file is refused
# before parsing so that a hostile one cannot exhaust memory.
MAX_BYTES = 64 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"


def check_input(data: bytes, source: str, max_bytes: int) -> None:
    """Refuse a report over ``max_bytes`` or with nothing in it."""
    if len(data) > max_bytes:
        raise ReportError(
            source,
            f"refused: the report is {len(data)} bytes, over the limit of {max_bytes} bytes",
        )
    body = data.removeprefix(_UTF8_BOM)
    if not body or body.isspace():
        raise ReportError(source, "the report is empty")
