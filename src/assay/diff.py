"""Lines a change added or modified, from ``git diff`` hunks: the "new code" of a gate.

``git diff --unified=0 BASE COMMIT`` lists, per file, hunks ``@@ -a,b +c,d @@``:
lines ``c`` to ``c+d-1`` of the new file are new or changed. Deleted lines leave
nothing to cover, so a hunk with ``d = 0`` adds no line. Renamed files keep the
lines that changed in them (``--find-renames``), and binary files have none.
Git runs with the snapshot's hardened options: nothing the repository configures
(external diff drivers, text conversion) runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from assay.errors import SnapshotError
from assay.snapshot.git import git, resolve_commit

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(root: Path, base: str, commit: str) -> dict[str, set[int]]:
    """Per repository path, the lines ``commit`` changed since it left ``base``.

    Compared with the merge base of the two (as ``git diff base...commit``): lines that
    changed on ``base`` meanwhile are not the change's own.
    """
    base_commit, _ = resolve_commit(root, base)
    merge_base = git(root, "merge-base", base_commit, commit)
    if not merge_base.ok:
        raise SnapshotError(f"{root}: {base} and {commit[:12]} have no common ancestor")
    start = merge_base.stdout.decode().strip()
    result = git(
        root, "-c", "core.quotePath=false", "diff", "--unified=0", "--inter-hunk-context=0",
        "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "--diff-filter=AMR",
        "--src-prefix=a/", "--dst-prefix=b/", start, commit, "--",
    )  # fmt: skip
    if not result.ok:
        raise SnapshotError(f"{root}: git diff {base}..{commit} failed: {result.stderr_text()}")
    return parse_unified_diff(result.stdout)


def parse_unified_diff(output: bytes) -> dict[str, set[int]]:
    """The new file's changed lines per path.

    A file's header lines (``---``/``+++``) are read only between its ``diff --git``
    line and its first hunk: inside a hunk, an added line reading ``++ x`` is content.
    """
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    in_header = False
    for line in output.split(b"\n"):
        if line.startswith(b"diff --git "):
            current, in_header = None, True
        elif in_header and line.startswith(b"+++ "):
            target = line[4:].removesuffix(b"\t")  # git ends a path with spaces with a tab
            if target == b"/dev/null":
                continue
            path = _unquote(target)
            path = path[2:] if path.startswith(b"b/") else path
            current = changed.setdefault(path.decode("utf-8", "surrogateescape"), set())
        elif current is not None and (hunk := _HUNK.match(line)):
            in_header = False
            start = int(hunk.group(1))
            count = 1 if hunk.group(2) is None else int(hunk.group(2))
            current.update(range(start, start + count))
    return changed


_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34,
            b"\\": 92}  # fmt: skip


def _unquote(name: bytes) -> bytes:
    """A path as git writes one with unusual characters: in quotes, C escapes, octal bytes."""
    if not (name.startswith(b'"') and name.endswith(b'"') and len(name) >= 2):
        return name
    body, out, index = name[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index : index + 1]
        if char != b"\\" or index + 1 >= len(body):
            out += char
            index += 1
            continue
        following = body[index + 1 : index + 2]
        if following.isdigit():
            out.append(int(body[index + 1 : index + 4], 8))
            index += 4
        else:
            out.append(_ESCAPES.get(following, following[0]))
            index += 2
    return bytes(out)
