"""The tags of a product that point into the history of the audited commit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assay.errors import SnapshotError
from assay.snapshot.git import git

# One line per tag (ref names hold no control characters), fields separated by NUL.
# %(contents:signature) is the signature block an annotated tag's message ends with;
# only whether it is there is asked for, so nothing is verified and no program runs.
_FIELDS = (
    "%(refname:strip=2)", "%(objecttype)", "%(objectname)", "%(*objecttype)", "%(*objectname)",
    "%(creatordate:unix)", "%(committerdate:unix)", "%(*committerdate:unix)",
    "%(if)%(contents:signature)%(then)signed%(end)",
)  # fmt: skip
_FORMAT = "%00".join(_FIELDS)


@dataclass(frozen=True, kw_only=True, slots=True)
class Tag:
    """A tag on a commit. ``time`` is the tagger date (the commit date for a lightweight tag)."""

    name: str
    commit: str
    commit_time: int
    time: int
    annotated: bool
    signed: bool  # an annotated tag whose message carries a signature block


def read_tags(root: Path, commit: str) -> list[Tag]:
    """Tags whose commit is ``commit`` or one of its ancestors, sorted by name.

    Tags of trees or blobs, and tags of tags, name no release and are left out.
    """
    result = git(root, "for-each-ref", f"--format={_FORMAT}", f"--merged={commit}", "refs/tags/")
    if not result.ok:
        raise SnapshotError(f"{root}: git for-each-ref failed: {result.stderr_text()}")
    tags = []
    for line in result.stdout.decode("utf-8", "surrogateescape").splitlines():
        tag = _parse(line)
        if tag is not None:
            tags.append(tag)
    return sorted(tags, key=lambda tag: tag.name)


def _parse(line: str) -> Tag | None:
    fields = line.split("\0")
    if len(fields) != len(_FIELDS):
        return None
    name, kind, target, peeled_kind, peeled, created, committed, peeled_committed, signed = fields
    if kind == "commit":
        return Tag(name=name, commit=target, commit_time=_int(committed),
                   time=_int(created or committed), annotated=False, signed=False)  # fmt: skip
    if kind == "tag" and peeled_kind == "commit":
        return Tag(name=name, commit=peeled, commit_time=_int(peeled_committed),
                   time=_int(created or peeled_committed), annotated=True,
                   signed=signed == "signed")  # fmt: skip
    return None


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0
