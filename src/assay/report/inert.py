"""Make strings that came from a repository harmless to print."""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def inert(text: str) -> str:
    """Replace control and format characters (newlines, ANSI escapes, bidi overrides) by escapes.

    A file name can hold a newline or an escape sequence that would forge or
    recolour terminal output; shown escaped, it is just text again.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " ":
            out.append(char)
        elif char in _NAMED:
            out.append(_NAMED[char])
        elif unicodedata.category(char) in ("Cs",):
            out.append(f"\\x{ord(char) & 0xFF:02x}")  # surrogate-escaped raw byte
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)
