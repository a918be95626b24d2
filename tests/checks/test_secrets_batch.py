"""secrets.scan over many files at once: exactly what scanning each file alone gives."""

from __future__ import annotations

import random
from typing import Any

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


def scanned(files: list[FileInput], params: SecretsParams, *, prefilter: str) -> list[object]:
    """scan_many and scan, with the Hyperscan prefilter on or off (matchers built afresh)."""
    from assay.checks.secrets import _matcher_for_extras
    from assay.checks.secrets.matcher import matcher_for

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSAY_SECRETS_PREFILTER", prefilter)
        _matcher_for_extras.cache_clear()
        matcher_for.cache_clear()
        try:
            fast = params.matcher().prefilter is not None
            assert fast is (prefilter == "on")
            return [SecretsCheck().scan_many(files, params), one_by_one(files, params)]
        finally:
            _matcher_for_extras.cache_clear()
            matcher_for.cache_clear()


def test_hyperscan_and_re2_alone_find_the_same_secrets(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path))
    rng = random.Random(3)
    texts = [(s.path, s.text) for s in corpus()]
    # Non-ASCII text around the secrets, including the characters RE2 folds onto s and k.
    folded = "\u017f \u212a é 中 {} — \u017fecret"  # the long s and the Kelvin sign
    texts += [(f"i18n/{s.path}", folded.format(s.text)) for s in corpus()]
    texts += [(f"src/clean_{n}.py", CLEAN * rng.randint(1, 40)) for n in range(300)]
    rng.shuffle(texts)
    files = inputs(texts)
    with_prefilter = scanned(files, PARAMS, prefilter="on")
    without = scanned(files, PARAMS, prefilter="off")
    assert with_prefilter == without
    assert sum(len(r.findings) for r in without[0]) > 200  # type: ignore[attr-defined]
