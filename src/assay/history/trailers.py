"""Trailers of a commit message: the ``Key: value`` lines of its last paragraph.

The rules follow git's own (``git interpret-trailers``), in short: only the last
paragraph of the message can hold trailers; a line starting with white space
continues the trailer above it; the paragraph is a trailer block when every line
is a trailer, or when at least a quarter are and one was written by git itself
(``Signed-off-by:`` or ``(cherry picked from commit ...)``).
"""

from __future__ import annotations

import re

_TRAILER = re.compile(r"([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)")
_SIGNED_OFF = "signed-off-by:"
_CHERRY_PICK = "(cherry picked from commit "


def trailers(body: str) -> tuple[tuple[str, str], ...]:
    """The trailers of a message body (the message after its subject), in order."""
    found: list[list[str]] = []
    recognised = other = 0  # trailer-like lines (the cherry-pick note counts), prose lines
    git_written = False
    for line in _last_paragraph(body):
        if line[:1] in (" ", "\t") and found:
            found[-1][1] = f"{found[-1][1]} {line.strip()}".strip()
            continue
        lowered = line.lower()
        git_written = git_written or lowered.startswith((_SIGNED_OFF, _CHERRY_PICK))
        match = _TRAILER.fullmatch(line)
        if match:
            found.append([match.group(1), match.group(2).strip()])
            recognised += 1
        elif lowered.startswith(_CHERRY_PICK):
            recognised += 1
        else:
            other += 1
    if not found or (other and not (git_written and recognised * 3 >= other)):
        return ()
    return tuple((key, value) for key, value in found)


def _last_paragraph(body: str) -> list[str]:
    lines = [line.rstrip() for line in body.strip().splitlines()]
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].strip():
            return lines[index + 1 :]
    return lines
