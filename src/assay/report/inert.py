"""Make strings that came from a repository harmless to print."""

from __future__ import annotations

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
        elif 0xDC80 <= ord(char) <= 0xDCFF:
            out.append(f"\\x{ord(char) - 0xDC00:02x}")  # surrogate-escaped raw byte
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)
