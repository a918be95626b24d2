"""read_log and LogParser: commits of a window from one streamed ``git log --pretty=raw -z``."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from assay.errors import SnapshotError
from assay.history import LogCommit, SignatureFormat, read_log
from assay.history.log import LogParser

T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400
ROOT = Path("/repo")
A, B, C, TREE = "a" * 40, "b" * 40, "c" * 40, "e" * 40


def commit_at(repo: Any, message: str, when: int, *, email: str = "author@example.com",
              name: str = "Test Author", args: tuple[str, ...] = ()) -> str:  # fmt: skip
    stamp = f"{when} +0000"
    repo.git("add", "-A")
    repo.git(
        *args, "commit", "-q", "--allow-empty", "--allow-empty-message", "-m", message,
        env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
             "GIT_COMMITTER_DATE": stamp},
    )  # fmt: skip
    return str(repo.git("rev-parse", "HEAD").strip())


def head(repo: Any) -> str:
    return str(repo.git("rev-parse", "HEAD").strip())


# --------------------------------------------------------------------------- real repositories


@pytest.fixture
def merged(make_repo: Any) -> tuple[Any, dict[str, str]]:
    """root, a feature branch merged with --no-ff, a direct commit with an empty message."""
    repo = make_repo("merged")
    ids = {}
    repo.write({"README.md": "x\n", "src/app.py": "1\n"})
    ids["root"] = commit_at(repo, "Initial import", T0)
    repo.git("checkout", "-q", "-b", "feature")
    repo.write({"src/feature.py": "f\n"})
    message = "Add feature\n\nLonger text.\n\nReviewed-by: R <r@x>"
    ids["feature"] = commit_at(repo, message, T0 + DAY, email="bob@example.com", name="Bob")
    repo.git("checkout", "-q", "main")
    repo.write({"src/app.py": "2\n"})
    ids["direct"] = commit_at(repo, "", T0 + 2 * DAY)
    stamp = {
        "GIT_AUTHOR_DATE": f"{T0 + 3 * DAY} +0000",
        "GIT_COMMITTER_DATE": f"{T0 + 3 * DAY} +0000",
    }
    repo.git("merge", "-q", "--no-ff", "feature", "-m", "Merge branch 'feature'", env=stamp)
    ids["merge"] = head(repo)
    return repo, ids


def test_all_commits_with_paths(merged: tuple[Any, dict[str, str]]) -> None:
    repo, ids = merged
    commits = list(read_log(repo.path, ids["merge"], since=0, paths=True))
    author = {"author_name": "Test Author", "author_email": "author@example.com"}
    assert commits == [
        LogCommit(id=ids["merge"], parents=(ids["direct"], ids["feature"]), **author,
                  author_time=T0 + 3 * DAY, commit_time=T0 + 3 * DAY, signature=None,
                  subject="Merge branch 'feature'", body="", paths=()),
        LogCommit(id=ids["direct"], parents=(ids["root"],), **author, author_time=T0 + 2 * DAY,
                  commit_time=T0 + 2 * DAY, signature=None, subject="", body="",
                  paths=("src/app.py",)),
        LogCommit(id=ids["feature"], parents=(ids["root"],), author_name="Bob",
                  author_email="bob@example.com", author_time=T0 + DAY, commit_time=T0 + DAY,
                  signature=None, subject="Add feature",
                  body="Longer text.\n\nReviewed-by: R <r@x>", paths=("src/feature.py",)),
        LogCommit(id=ids["root"], parents=(), **author, author_time=T0, commit_time=T0,
                  signature=None, subject="Initial import", body="",
                  paths=("README.md", "src/app.py")),
    ]  # fmt: skip


def test_first_parent_line_and_window(merged: tuple[Any, dict[str, str]]) -> None:
    repo, ids = merged
    line = [c.id for c in read_log(repo.path, ids["merge"], since=0, first_parent=True)]
    assert line == [ids["merge"], ids["direct"], ids["root"]]
    # --since keeps commits committed at or after the given time, the boundary included.
    recent = [c.id for c in read_log(repo.path, ids["merge"], since=T0 + 2 * DAY)]
    assert recent == [ids["merge"], ids["direct"]]
    assert list(read_log(repo.path, ids["merge"], since=T0 + 4 * DAY)) == []


def test_an_older_commit_is_read_as_the_audited_one(merged: tuple[Any, dict[str, str]]) -> None:
    repo, ids = merged
    assert [c.id for c in read_log(repo.path, ids["direct"], since=0)] == [
        ids["direct"], ids["root"]
    ]  # fmt: skip


def test_ssh_signed_commit_is_seen_without_verifying(make_repo: Any, tmp_path: Path) -> None:
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo = make_repo("signed")
    commit_at(repo, "unsigned", T0)
    signed = commit_at(repo, "signed", T0 + 1, args=("-c", "gpg.format=ssh", "-c",
                       f"user.signingkey={key}", "-c", "commit.gpgsign=true"))  # fmt: skip
    commits = list(read_log(repo.path, signed, since=0))
    assert [(c.subject, c.signature) for c in commits] == [
        ("signed", SignatureFormat.SSH), ("unsigned", None)
    ]  # fmt: skip


def test_hostile_repository_configuration_changes_nothing(
    merged: tuple[Any, dict[str, str]],
) -> None:
    repo, ids = merged
    plain = list(read_log(repo.path, ids["merge"], since=0, paths=True))
    for key, value in [("log.decorate", "full"), ("color.ui", "always"), ("log.showRoot", "false"),
                       ("i18n.logOutputEncoding", "UTF-16"), ("diff.relative", "true"),
                       ("log.showSignature", "true"), ("core.quotePath", "true"),
                       ("diff.renames", "copies"), ("log.mailmap", "true")]:  # fmt: skip
        repo.git("config", key, value)
    repo.write({".mailmap": "Other <other@example.com> <author@example.com>\n"})
    assert list(read_log(repo.path, ids["merge"], since=0, paths=True)) == plain


def test_unknown_commit_is_a_clear_error(merged: tuple[Any, dict[str, str]]) -> None:
    repo, _ = merged
    with pytest.raises(SnapshotError) as error:
        list(read_log(repo.path, "0" * 40, since=0))
    assert error.value.message.startswith(f"{repo.path}: git log failed: fatal: bad object 0000")


def test_stopping_early_leaves_no_git_behind(merged: tuple[Any, dict[str, str]]) -> None:
    repo, ids = merged
    reader = read_log(repo.path, ids["merge"], since=0)
    assert next(reader).id == ids["merge"]
    reader.close()  # the generator's cleanup kills and reaps git


# --------------------------------------------------------------------------- the raw layout


def record(*, commit: str = A, parents: tuple[str, ...] = (B,), extra: bytes = b"",
           message: bytes | None = b"    Subject\n", paths: tuple[bytes, ...] = (),
           author: bytes = b"Ann <ann@example.com> 1700000000 +0100") -> bytes:  # fmt: skip
    """One commit as ``git log --pretty=raw -z [--name-only]`` writes it, without its end."""
    head = b"commit " + commit.encode() + b"\ntree " + TREE.encode() + b"\n"
    head += b"".join(b"parent " + p.encode() + b"\n" for p in parents)
    head += b"author " + author + b"\ncommitter Cy <cy@example.com> 1700000100 +0000\n" + extra
    if message is None and not paths:
        return head
    body = b"\n" + (message or b"")
    if paths:
        body += (b"\n" if message else b"") + b"".join(p + b"\0" for p in paths)
    return head + body


def parse(data: bytes, step: int | None = None) -> list[LogCommit]:
    parser = LogParser(ROOT)
    commits: list[LogCommit] = []
    step = step or len(data) or 1
    for start in range(0, len(data), step):
        commits += parser.feed(data[start : start + step])
    return commits + parser.finish()


def one(**fields: Any) -> LogCommit:
    base: dict[str, Any] = {
        "id": A, "parents": (B,), "author_name": "Ann", "author_email": "ann@example.com",
        "author_time": 1_700_000_000, "commit_time": 1_700_000_100, "signature": None,
        "subject": "Subject", "body": "", "paths": (),
    }  # fmt: skip
    return LogCommit(**{**base, **fields})


PGP = (b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n"
       b" -----END PGP SIGNATURE-----\n")  # fmt: skip
X509 = b"gpgsig -----BEGIN SIGNED MESSAGE-----\n MIAGCSqG\n -----END SIGNED MESSAGE-----\n"
SHA256_SSH = (b"gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n"
              b" -----END SSH SIGNATURE-----\n")  # fmt: skip
CUT_SHORT = b"gpgsig -----BEGIN PGP SIGNATURE-----\n iQEzBAABCAAdFiEE\nencoding ISO-8859-1\n"
FOREIGN = b"gpgsig -----BEGIN FANCY SIGNATURE-----\n abc\n -----END FANCY SIGNATURE-----\n"

# Every shape a record can take, one after the other; the last one ends the output.
STREAM = b"".join([
    record(extra=PGP, message=b"    Subject\n    \n    Body line\n    \n    Acked-by: X\n",
           paths=(b"src/a.py", b"docs/b\xffc.md")) + b"\0",
    record(commit=B, parents=(A, C), extra=X509, message=b"    Merge\n") + b"\0",
    record(commit=C, message=None) + b"\0",  # no message, no paths
    record(commit=A, message=None, paths=(b"    spaced name", b"x")) + b"\0",  # no message
    record(commit=B, extra=SHA256_SSH + b"mergetag object " + C.encode() + b"\n type commit\n",
           message=b"    Two\n    lines\n    \n    body\n") + b"\0",
    record(commit=C, extra=CUT_SHORT, message=b"    cut\n", paths=(b"f",)) + b"\0",
    record(commit=A, extra=FOREIGN, author=b"broken author line", message=b"    last\n"),
])  # fmt: skip
EXPECTED = [
    one(signature=SignatureFormat.OPENPGP, body="Body line\n\nAcked-by: X",
        paths=("src/a.py", "docs/b\udcffc.md")),
    one(id=B, parents=(A, C), signature=SignatureFormat.X509, subject="Merge"),
    one(id=C, subject=""),
    one(subject="", paths=("    spaced name", "x")),
    one(id=B, signature=SignatureFormat.SSH, subject="Two lines", body="body"),
    one(id=C, signature=SignatureFormat.UNKNOWN, subject="cut", paths=("f",)),
    one(signature=SignatureFormat.UNKNOWN, subject="last", author_name="broken author line",
        author_email="", author_time=0),
]  # fmt: skip


def test_every_record_shape() -> None:
    assert parse(STREAM) == EXPECTED


def test_chunks_may_end_anywhere() -> None:
    for step in (1, 2, 3, 5, 7, 64):
        assert parse(STREAM, step) == EXPECTED, step
    for cut in range(1, len(STREAM)):
        parser = LogParser(ROOT)
        commits = parser.feed(STREAM[:cut]) + parser.feed(STREAM[cut:]) + parser.finish()
        assert commits == EXPECTED, cut


def test_last_record_with_paths_ends_with_one_nul() -> None:
    data = record(paths=(b"a",)) + b"\0" + record(commit=B, message=None, paths=(b"b",))
    assert parse(data) == [one(paths=("a",)), one(id=B, subject="", paths=("b",))]


def test_empty_output() -> None:
    assert parse(b"") == []


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"garbage", "not a commit in raw form): 'garbage'"),
        (record() + b"\0" + b"commit " + B.encode() + b"\ntree",
         f"not a commit in raw form): 'commit {B}\\ntree'"),
        (record(paths=(b"a",))[:-1], "the output ends inside a commit"),
        (record() + b"unindented\n\0", "a line that is neither a header nor a message line"),
        (record(paths=(b"a", b"b")).replace(b"a\0b", b"a\0\0\0b"), "not a commit in raw form"),
    ],
)  # fmt: skip
def test_output_git_never_writes_is_an_error(data: bytes, error: str) -> None:
    with pytest.raises(SnapshotError) as raised:
        parse(data)
    assert raised.value.message.startswith(f"{ROOT}: unexpected output of git log (")
    assert error in raised.value.message
