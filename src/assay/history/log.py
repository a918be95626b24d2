"""The commits of a history window, read with one streamed ``git log``.

Git prints each commit in its *raw* form (``--pretty=raw -z``): the commit object's
own header lines (``tree``, ``parent``, ``author``, ``committer``, ``gpgsig`` ...),
then every message line indented by four spaces, then, when asked, the changed
paths, each ending in a NUL. The raw form is used rather than a ``--format`` of
placeholders for two reasons:

* it is the only output of ``git log`` that shows whether a commit carries a
  signature without verifying it. ``%G?`` runs the configured verifier for every
  signed commit, and with the hardened options (every signing program set to
  ``/bin/false``) it says ``N`` (no signature) for an SSH-signed commit, or ``B``
  (bad) when an allowed-signers file is named: neither tells presence;
* its layout cannot be forged from inside a commit: message lines are always
  indented, paths always end in a NUL and are never empty, so a message or a file
  name can never pass for the start of another commit.

The output is parsed as it streams, so a long history is never held twice.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assay.errors import SnapshotError
from assay.history.stream import stream_git

# Options that fix the output whatever the repository's configuration says: no
# decorations, notes, colours, mailmap or re-encoding in the records, no rename
# detection (slow, and not needed to know which paths a commit touched), and the
# root commit's files listed like any other commit's.
_LOG_OPTIONS = (
    "--pretty=raw", "-z", "--encoding=UTF-8", "--no-color", "--no-decorate", "--no-notes",
    "--no-mailmap", "--no-show-signature",
)  # fmt: skip
_PATH_OPTIONS = (
    "--name-only", "--no-renames", "--root", "--no-diff-merges", "--no-ext-diff",
    "--no-textconv", "--no-relative",
)  # fmt: skip


class SignatureFormat(StrEnum):
    """Which kind of signature block a commit carries (read, never verified)."""

    OPENPGP = "openpgp"
    SSH = "ssh"
    X509 = "x509"
    UNKNOWN = "unknown"  # a signature header no verifier can read (malformed or foreign)


_ARMOR = {
    b"-----BEGIN PGP SIGNATURE-----": (SignatureFormat.OPENPGP, b"-----END PGP SIGNATURE-----"),
    b"-----BEGIN SSH SIGNATURE-----": (SignatureFormat.SSH, b"-----END SSH SIGNATURE-----"),
    b"-----BEGIN SIGNED MESSAGE-----": (SignatureFormat.X509, b"-----END SIGNED MESSAGE-----"),
}
_SIGNATURE_HEADERS = (b"gpgsig", b"gpgsig-sha256")


@dataclass(frozen=True, kw_only=True, slots=True)
class LogCommit:
    """One commit as the history checks see it. Times are Unix seconds."""

    id: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_time: int
    commit_time: int
    signature: SignatureFormat | None
    subject: str  # the first paragraph of the message on one line, as git's %s
    body: str  # the message after the subject's paragraph
    paths: tuple[str, ...] = ()  # only when read with ``paths=True``

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def short_id(self) -> str:
        return self.id[:12]


def read_log(
    root: Path,
    commit: str,
    *,
    since: int,
    first_parent: bool = False,
    paths: bool = False,
    timeout: float = 300.0,
) -> Generator[LogCommit, None, None]:
    """Commits reachable from ``commit`` committed at or after ``since``, newest first.

    ``first_parent`` follows only the first parent of merges (the line of the branch
    itself); ``paths`` adds the paths each non-merge commit changed.
    """
    args = ["log", *_LOG_OPTIONS, f"--since=@{since} +0000"]
    if first_parent:
        args.append("--first-parent")
    if paths:
        args.extend(_PATH_OPTIONS)
    args.extend(["--end-of-options", commit])
    parser = LogParser(root)
    for chunk in stream_git(root, *args, timeout=timeout):
        yield from parser.feed(chunk)
    yield from parser.finish()


class _IncompleteError(Exception):
    """The buffer ends inside a record: wait for more output."""


class _MalformedError(Exception):
    """The output does not have the raw layout (it never happens with a sound git)."""


# One record up to its paths, matched in C: the commit line, the fixed headers git
# writes first, any further headers (encoding, gpgsig, mergetag, with continuation
# lines), then a blank line and the indented message lines. No header holds a NUL.
_RECORD = re.compile(
    rb"commit ([0-9a-f]+)[^\n\x00]*\n"
    rb"tree [0-9a-f]+\n"
    rb"((?:parent [0-9a-f]+\n)*)"
    # "Name <email> time zone"; anything else git would not write is kept whole as a name.
    rb"author (?:([^\n\x00<>]*?) ?<([^\n\x00<>]*)> ([0-9]+)[^\n\x00]*|([^\n\x00]*))\n"
    rb"committer (?:[^\n\x00]*> ([0-9]+)(?: [^\n\x00]*)?|[^\n\x00]*)\n"
    rb"((?:[^\n\x00]+\n)*)"
    rb"(\n((?:    [^\n\x00]*\n)*))?"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Output still unparsed after this many bytes is not a commit git would write.
_MAX_PENDING = 256 << 20


class LogParser:
    """Turns ``git log --pretty=raw -z`` output, fed in arbitrary chunks, into commits."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[LogCommit]:
        self._buffer = self._buffer + chunk if self._buffer else chunk
        return self._drain(final=False)

    def finish(self) -> list[LogCommit]:
        return self._drain(final=True)

    def _drain(self, *, final: bool) -> list[LogCommit]:
        data, pos, commits = self._buffer, 0, []
        size = len(data)
        while pos < size:
            try:
                commit, pos = _record(data, pos, final)
            except _IncompleteError:
                if final:
                    raise self._error(data, pos, "the output ends inside a commit") from None
                if size - pos > _MAX_PENDING:
                    raise self._error(data, pos, "a record larger than 256 MiB") from None
                break
            except _MalformedError as exc:
                raise self._error(data, pos, str(exc)) from None
            commits.append(commit)
        self._buffer = data[pos:]
        return commits

    def _error(self, data: bytes, pos: int, what: str) -> SnapshotError:
        start = data[pos : pos + 60].decode("utf-8", "replace")
        return SnapshotError(f"{self._root}: unexpected output of git log ({what}): {start!r}")


def _record(data: bytes, pos: int, final: bool) -> tuple[LogCommit, int]:
    match = _RECORD.match(data, pos)
    if match is None:
        if final:
            raise _MalformedError("not a commit in raw form")
        raise _IncompleteError
    (commit_id, parents, name, email, author_time, raw_author, commit_time, extra, blank,
     message) = match.groups()  # fmt: skip
    end, changed = _after_message(data, match.end(), final, blank is not None, bool(message))
    subject, body = _split_message(message or b"")
    return (
        LogCommit(
            id=commit_id.decode(), parents=tuple(parents.decode().split()[1::2]),
            author_name=(name if raw_author is None else raw_author).decode("utf-8", "replace"),
            author_email=email.decode("utf-8", "replace") if email is not None else "",
            author_time=int(author_time or 0), commit_time=int(commit_time or 0),
            signature=_signature(extra) if extra else None,
            subject=subject, body=body, paths=changed,
        ),
        end,
    )  # fmt: skip


def _after_message(
    data: bytes, end: int, final: bool, blank: bool, has_message: bool
) -> tuple[int, tuple[str, ...]]:
    """Where the record ends, and its paths: what follows the headers and message decides.

    A NUL ends a record without paths; after a message, a blank line starts the paths;
    with no message at all, the paths follow the header block's blank line directly.
    """
    if end >= len(data):
        if final:
            return end, ()
        raise _IncompleteError
    marker = data[end]
    if marker == 0:
        return end + 1, ()
    if blank and (marker == 10 if has_message else True):
        return _paths(data, end + 1 if has_message else end, final)
    # A line cut by the end of the buffer, or output git never writes.
    if not final and data.find(b"\n", end) == -1 and data.find(b"\0", end) == -1:
        raise _IncompleteError
    raise _MalformedError("a line that is neither a header nor a message line")


def _paths(data: bytes, pos: int, final: bool) -> tuple[int, tuple[str, ...]]:
    # Paths are never empty, so the first double NUL ends the list; the last record
    # of the output ends with a single NUL.
    end = data.find(b"\0\0", pos)
    if end != -1:
        block, next_record = data[pos:end], end + 2
    elif final and data.endswith(b"\0"):
        block, next_record = data[pos:-1], len(data)
    else:
        raise _IncompleteError
    names = block.decode("utf-8", "surrogateescape").split("\0")
    if "" in names:
        raise _MalformedError("an empty path")
    return next_record, tuple(names)


def _split_message(message: bytes) -> tuple[str, str]:
    """Subject (first paragraph on one line, as git's %s) and body of an indented message."""
    text = message.replace(b"\n    ", b"\n")[4:].decode("utf-8", "replace").strip("\n")
    if "\n" not in text:
        return text.strip(), ""
    parts = _PARAGRAPH_BREAK.split(text, maxsplit=1)
    subject = " ".join(line.strip() for line in parts[0].splitlines())
    return subject, parts[1].strip("\n") if len(parts) > 1 else ""


def _signature(headers: bytes) -> SignatureFormat | None:
    """The format of the commit's signature block, if its headers carry one."""
    lines = headers.split(b"\n")
    for index, line in enumerate(lines):
        key, _, value = line.partition(b" ")
        if key not in _SIGNATURE_HEADERS:
            continue
        armor = _ARMOR.get(value.strip())
        if armor is None:
            return SignatureFormat.UNKNOWN
        kind, last = armor
        for following in lines[index + 1 :]:
            if not following.startswith(b" "):
                break
            if following.strip() == last:
                return kind
        return SignatureFormat.UNKNOWN
    return None
