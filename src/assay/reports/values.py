"""Numbers and times as reports write them, checked before they are trusted.

Each function takes the text of one attribute or field and raises ``ValueError``
with the end of a sentence ("is negative") that the caller completes with the
element or key it came from.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

# Only ASCII digits: int() would also take "1_000", "+3" and other scripts' digits.
_WHOLE = re.compile(r"-?[0-9]+")
# No real count or time needs more digits; longer ones would only cost time to convert.
_MAX_DIGITS = 18
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# Older Surefire versions formatted long durations with a thousands separator.
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
# Epoch values at least this large are milliseconds (as seconds they would lie
# beyond the year 5000); smaller ones are seconds, as gcovr and PHPUnit write them.
_MILLISECONDS_FROM = 10**11


def parse_count(text: str) -> int:
    """A hit count or other tally: a whole number, zero or more."""
    value = _whole(text)
    if value < 0:
        raise ValueError("is negative")
    return value


def parse_line_number(text: str) -> int:
    """A source line number: 1 or more."""
    value = _whole(text)
    if value < 1:
        raise ValueError("is not a line number (lines start at 1)")
    return value


def parse_seconds(text: str) -> float:
    """A duration in seconds, zero or more."""
    stripped = text.strip()
    if _GROUPED.fullmatch(stripped):
        stripped = stripped.replace(",", "")
    if not _DECIMAL.fullmatch(stripped) or len(stripped) > 64:
        raise ValueError("is not a number of seconds")
    value = float(stripped)
    if not math.isfinite(value):
        raise ValueError("is not a finite number of seconds")
    if value < 0:
        raise ValueError("is negative")
    return value


def parse_epoch(text: str) -> datetime:
    """A time since the Unix epoch, in milliseconds or seconds (see ``_MILLISECONDS_FROM``)."""
    value = _whole(text)
    if value < 0:
        raise ValueError("is negative")
    seconds = value / 1000 if value >= _MILLISECONDS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError("is not a time Python can represent") from None


def parse_iso(text: str) -> datetime:
    """An ISO 8601 date and time; one without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _whole(text: str) -> int:
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        return int(text)  # the common case, without the regular expression
    stripped = text.strip()
    if not _WHOLE.fullmatch(stripped):
        raise ValueError("is not a whole number")
    if len(stripped.lstrip("-")) > _MAX_DIGITS:
        raise ValueError(f"has more than {_MAX_DIGITS} digits")
    return int(stripped)
