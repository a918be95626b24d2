"""Noise control: placeholders, entropy per character set, test paths, inline suppressions.

Only fixed, built-in patterns are used here, so Python's ``re`` is safe for them.
"""

from __future__ import annotations

import itertools
import math
import posixpath
import re
from collections import Counter
from dataclasses import dataclass

from assay.model import Severity

# Words that mark a value as an example wherever they appear in it.
_PLACEHOLDER_PARTS = (
    "changeme", "change_me", "change-me", "example", "sample", "dummy", "placeholder",
    "xxxx", "your_", "your-", "yourtoken", "yourkey", "yoursecret", "redacted", "replace_me",
    "replaceme", "insert_", "fake", "test123", "notreal", "not_a_real", "secret123", "*****",
)  # fmt: skip
# Values that are only a word people write where a secret goes.
_PLACEHOLDER_VALUES = frozenset({
    "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "key",
    "admin", "root", "user", "username", "guest", "test", "testing", "foo", "bar", "foobar",
    "null", "none", "nil", "true", "false", "empty", "default", "string", "value", "undefined",
})  # fmt: skip
_TEMPLATE = re.compile(
    r"^\$[A-Za-z_{(]"  # $VAR, ${VAR}, $(cmd)
    r"|\$\{|\{\{|\}\}|%\([A-Za-z_]+\)[sdr]|%[sd]$|#\{|<[^>]*>|^<|>$|\[\[|@@|^%[A-Za-z_]+%$"
    r"|^\{[A-Za-z_][A-Za-z0-9_.\[\]'\"]*(?:![rsa])?(?::[^{}]*)?\}$"  # Python {name[0]} / {x!r}
)
_DOTTED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_SEQUENCES = ("0123456789abcdefghijklmnopqrstuvwxyz0123456789", "1234567890", "9876543210")


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is an example, a template variable or an obviously made-up string."""
    lowered = value.lower()
    if lowered in _PLACEHOLDER_VALUES or any(part in lowered for part in _PLACEHOLDER_PARTS):
        return True
    if _TEMPLATE.search(value):
        return True
    letters = "".join(_ALNUM_RUN.findall(lowered)) or lowered
    run = longest_repetition(letters)
    if run >= 16 or (run >= 8 and 2 * run >= len(letters)):
        return True
    if len(letters) >= 8 and any(letters in sequence for sequence in _SEQUENCES):
        return True
    return longest_ascending_run(letters) >= 8


def longest_ascending_run(text: str) -> int:
    """Longest stretch of consecutive characters counting up: ``bcdefghij``, ``12345678``.

    Typed test values have them (``1bcdefghij2bcdefghij…``); a generated token of any
    realistic length practically never holds eight in a row.
    """
    longest = run = 1 if text else 0
    for previous, current in itertools.pairwise(text):
        run = run + 1 if ord(current) == ord(previous) + 1 else 1
        longest = max(longest, run)
    return longest


def longest_repetition(text: str) -> int:
    """Length of the longest stretch made of one unit of 1 to 4 characters repeated.

    ``ghp_000…`` and ``abcabcabc`` are typed, not generated: a random token of any
    realistic length does not hold such a stretch of 16 characters.
    """
    longest = min(len(text), 1)
    for unit in range(1, 5):
        same = 0
        for index in range(unit, len(text)):
            same = same + 1 if text[index] == text[index - unit] else 0
            if same >= unit:
                longest = max(longest, same + unit)
    return longest


_WORDS_ONLY = re.compile(r"^[a-z]+(?:[-_][a-z]+)*$")
_UNARY_NAME = re.compile(r"^[-+!~*&]+[A-Za-z_]+$")  # +dollarToken, !enabled: no digits


def is_code_reference(value: str) -> bool:
    """Code or prose, not a secret: a dotted name (``settings.SECRET_KEY``), a plain word,
    lowercase words joined by dashes (``set-password``), ``+name``, text with spaces or
    quotes, or a URL without credentials (a documentation link named ``auth``)."""
    if _DOTTED_NAME.match(value) or _WORDS_ONLY.match(value) or _UNARY_NAME.match(value):
        return True
    if any(c.isspace() or c in "\"'`" for c in value):
        return True  # prose, or a cut-off expression like 'a|default:"x' in a docstring
    if value.startswith(("http://", "https://")) and "@" not in value:
        return True
    has_letter = any(c.isalpha() for c in value)
    has_other = any(not (c.isalpha() or c == "_") for c in value)
    return not (has_letter and has_other)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s own character frequencies."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in Counter(value).values())


_HEX = frozenset("0123456789abcdefABCDEF")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_BASE64 = _ALNUM | frozenset("+/=_-")

# Threshold per character set: a random string over a larger alphabet scores higher.
CHARSET_THRESHOLDS = {"hex": 3.0, "alphanumeric": 3.3, "base64": 3.6, "other": 3.0}


def charset(value: str) -> str:
    chars = set(value)
    if chars <= _HEX:
        return "hex"
    if chars <= _ALNUM:
        return "alphanumeric"
    if chars <= _BASE64:
        return "base64"
    return "other"


def charset_threshold(value: str) -> float:
    """Entropy a value must reach to look random, for its character set and length.

    A string of n characters cannot score more than log2(n) bits, so short values
    are held to 80% of that ceiling rather than to the character set's threshold.
    """
    ceiling = 0.8 * math.log2(max(len(value), 2))
    return min(CHARSET_THRESHOLDS[charset(value)], ceiling)


_TEST_DIRS = frozenset(
    {"tests", "test", "fixtures", "fixture", "testdata", "__tests__", "spec", "examples", "docs"}
)
_TEST_NAME = re.compile(r"(?:^test_.+\..+|.+_test\..+|.+\.(?:test|spec)\..+|.+_spec\..+)$")


def is_test_path(path: str) -> bool:
    """Whether the file sits in a test, fixture, example or docs folder, or is a test file."""
    parts = path.split("/")
    if any(part.lower() in _TEST_DIRS for part in parts[:-1]):
        return True
    return bool(_TEST_NAME.match(posixpath.basename(path)))


_LOWER = {
    Severity.CRITICAL: Severity.HIGH,
    Severity.HIGH: Severity.MEDIUM,
    Severity.MEDIUM: Severity.LOW,
    Severity.LOW: Severity.INFO,
    Severity.INFO: Severity.INFO,
}


def lowered(severity: Severity) -> Severity:
    return _LOWER[severity]


# ------------------------------------------------------------------ inline suppressions

_SUPPRESSION = re.compile(r"assay:\s*ignore\[([^\]]*)\](.*)$")
_CLOSERS = ("*/", "-->", "#}", "%>", "}}", "*)")


@dataclass(frozen=True, kw_only=True, slots=True)
class Suppression:
    line: int
    rules: tuple[str, ...]
    reason: str


def parse_suppression(line_text: str, line: int) -> Suppression | None:
    """The ``assay: ignore[secrets.RULE, ...] reason`` on one line; None if there is none."""
    found = _SUPPRESSION.search(line_text)
    if found is None:
        return None
    rules = tuple(r.strip() for r in found.group(1).split(",") if r.strip().startswith("secrets."))
    if not rules:
        return None
    reason = found.group(2).strip()
    for closer in _CLOSERS:
        reason = reason.removesuffix(closer).strip()
    reason = reason.lstrip("-:#\u2013\u2014 ").strip()
    if not any(c.isalnum() for c in reason):
        reason = ""
    return Suppression(line=line, rules=rules, reason=reason)
