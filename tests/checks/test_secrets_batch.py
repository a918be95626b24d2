"""secrets.scan over many files at once: exactly what scanning each file alone gives."""

from __future__ import annotations

import random

import pytest

from assay.checks.api import FileInput
from assay.checks.secrets import ExtraRule, SecretsCheck, SecretsParams
from assay.model import EntryKind, FileEntry, Severity
from secrets_corpus import corpus

PARAMS = SecretsParams(hash_key="corpus-key-0123456789")
CLEAN = "def handler(request):\n    return render(request, 'page.html')\n"


def inputs(texts: list[tuple[str, str]]) -> list[FileInput]:
    return [
        FileInput(entry=FileEntry(path=path, kind=EntryKind.FILE, blob_id="0" * 40,
                                  size=len(text)), data=text.encode(), language=None)
        for path, text in texts
    ]  # fmt: skip


def one_by_one(files: list[FileInput], params: SecretsParams) -> list[object]:
    return [SecretsCheck().scan(f, params) for f in files]


def test_the_labelled_corpus_mixed_with_clean_files_gives_the_same_results() -> None:
    rng = random.Random(7)
    texts = [(s.path, s.text) for s in corpus()]
    texts += [(f"src/clean_{n}.py", CLEAN * rng.randint(1, 40)) for n in range(400)]
    rng.shuffle(texts)
    files = inputs(texts)
    assert SecretsCheck().scan_many(files, PARAMS) == one_by_one(files, PARAMS)


def test_a_secret_at_the_very_end_of_a_file_is_found_in_the_middle_of_a_batch() -> None:
    # The value ends the file: the rule's "end of text" must hold at a file boundary.
    token = (
        "ghp_" + "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"
    )  # assay: ignore[secrets.github-pat] a made-up token
    files = inputs([("a.py", CLEAN), ("b.env", f"TOKEN={token}"), ("c.py", CLEAN)])
    results = SecretsCheck().scan_many(files, PARAMS)
    assert [len(r.findings) for r in results] == [0, 1, 0]
    assert results == one_by_one(files, PARAMS)


@pytest.mark.parametrize("pattern", [r"^deploy-key: ([a-z]{12})", r"\Adeploy-key: ([a-z]{12})"])
def test_an_anchored_company_rule_makes_the_scan_go_file_by_file(pattern: str) -> None:
    rule = ExtraRule(id="deploy-key", title="Deploy key", severity=Severity.HIGH,
                     pattern=pattern)  # fmt: skip
    params = SecretsParams(hash_key="corpus-key-0123456789", extra_rules=[rule])
    assert params.matcher().batch_safe is False
    # Joined after a.py, b.txt's first line would no longer start the text.
    files = inputs([("a.py", CLEAN), ("b.txt", "deploy-key: qzvmrtkwpxly\n")])
    results = SecretsCheck().scan_many(files, params)
    assert [[f.rule for f in r.findings] for r in results] == [[], ["secrets.deploy-key"]]


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [(r"(?:\Q[\E|^)(tok_[a-z0-9]{24})", True), (r"tok_[abc", True), (r"[\]^]tok", False),
     (r"\^tok_([a-z]{8})", False), (r"(?m:^)tok_([a-z]{8})", True)],
)  # fmt: skip
def test_patterns_this_reading_cannot_follow_count_as_anchored(
    pattern: str, anchored: bool
) -> None:
    from assay.checks.secrets.matcher import _anchored

    assert _anchored(pattern) is anchored
