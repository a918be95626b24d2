"""CWE ids from the many ways analyzers write them.

Seen in the wild: tags such as ``external/cwe/cwe-79`` (CodeQL), ``CWE-79`` or
``CWE-79: Improper Neutralization...`` (semgrep, many SARIF writers), ``cwe79``, and
plain numbers (``79`` or ``"79"``) in a field that is known to hold CWE ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CWE_TEXT = re.compile(r"\bcwe[-_:/ ]?(\d{1,6})\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,6}")


def cwe_in_text(text: str) -> list[int]:
    """CWE ids mentioned in ``text`` as ``CWE-<n>`` (any case, any of ``-_:/`` or none)."""
    return [int(number) for number in _CWE_TEXT.findall(text)]


def cwe_in_field(value: object) -> list[int]:
    """CWE ids of a field meant to hold them: a number, a text, or a list of these."""
    values: Iterable[object] = value if isinstance(value, list) else [value]
    found: list[int] = []
    for item in values:
        if isinstance(item, int) and not isinstance(item, bool) and item > 0:
            found.append(item)
        elif isinstance(item, str):
            found += cwe_in_text(item) or ([int(item)] if _NUMBER.fullmatch(item) else [])
    return found


def cwe_ids(*groups: Iterable[int]) -> tuple[int, ...]:
    """The distinct positive ids of ``groups``, sorted."""
    return tuple(sorted({cwe for group in groups for cwe in group if cwe > 0}))
