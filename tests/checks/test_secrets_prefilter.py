"""The Hyperscan prefilter never loses a file or a rule that RE2 would match."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.checks.secrets import SecretsParams, prefilter
from assay.checks.secrets.matcher import matcher_for
from secrets_corpus import corpus

# Characters that stress the byte reading: two-, three- and four-byte UTF-8, and the two
# that RE2's case folding maps onto ASCII letters.
NON_ASCII = ["é", "ß", "中", "😀", "\u017f", "\u212a", "\u00a0", "Ω"]
LONG_S, KELVIN = "\u017f", "\u212a"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "cache"))


def set_patterns() -> list[str]:
    matcher = SecretsParams().matcher()
    return list(matcher._set_patterns)


def re2_matches(patterns: list[str], text: bytes) -> set[int]:
    return {i for i, p in enumerate(patterns) if re2.search(p.encode(), text) is not None}


def built(patterns: list[str]) -> prefilter.Prefilter:
    compiled = prefilter.build(patterns)
    assert compiled is not None
    return compiled


def corpus_texts() -> Iterator[str]:
    for sample in corpus():
        yield sample.text


def sprinkled(text: str, rng: random.Random) -> str:
    """``text`` with non-ASCII characters put in at a few random places."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(NON_ASCII))
    return "".join(chars)


def test_every_rule_the_re2_set_matches_in_the_labelled_corpus_is_named() -> None:
    patterns = set_patterns()
    fast = built(patterns)
    rng = random.Random(11)
    texts = [t.encode() for t in corpus_texts()]
    texts += [sprinkled(t, rng).encode() for t in corpus_texts()]
    named_any = 0
    for text in texts:
        expected = re2_matches(patterns, text)
        assert expected <= set(fast.matching(text)), text
        named_any += bool(expected)
    assert named_any > 100  # the corpus does exercise the rules


def test_a_batch_names_every_file_that_re2_matches_alone() -> None:
    patterns = set_patterns()
    fast = built(patterns)
    rng = random.Random(5)
    clean = "def view(request):\n    return render(request, 'x.html')  # café\n"
    texts = [sprinkled(t, rng) if rng.random() < 0.3 else t for t in corpus_texts()]
    texts += [clean] * 300
    rng.shuffle(texts)
    data = [t.encode() for t in texts]
    named = set(fast.candidates(data))
    expected = {i for i, text in enumerate(data) if re2_matches(patterns, text)}
    assert expected <= named
    # A filter that named everything would be sound and useless: clean files go through.
    assert not {i for i in named if texts[i] == clean}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["s", "S", "k", "K", "x", "=", " ", '"', "\n", "\x0b", "\t", "-", "_", "0", *NON_ASCII]
        ),
        max_size=12,
    )
)
def test_generated_texts_over_awkward_characters_lose_nothing(chars: list[str]) -> None:
    # Small patterns that make each reading matter: case folding, dot, negated and
    # perl classes, anchors, word boundaries, mixed case-sensitivity.
    unanchored = [
        r"(?i:s)[^s]", r"(?i)k.x", r"s\W", r"\bk\b", r"(?i)[a-z]{2}=", r"\S\s\S",
        r"(?i:sk)", r"x.{2,3}k", r"\D_\w", r"x\Sk", r"[^\s=]{2}", r"(?i)\S[[:space:]]",
    ]  # fmt: skip
    patterns = [*unanchored, r"[^a-z]s$", r"^-"]
    text = "".join(chars).encode()
    assert re2_matches(patterns, text) <= set(built(patterns).matching(text))
    # Joined, a file no longer starts or ends the text: batches take no anchored rule.
    if re2_matches(unanchored, text):
        assert 1 in built(unanchored).candidates([b"x= ", text, "é".encode()])


def test_re2_folds_exactly_two_non_ascii_characters_onto_ascii_letters() -> None:
    # The prefilter's soundness rests on this: if RE2 ever folds more, this fails.
    everything = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    folded = {m.group(0) for m in re2.finditer(r"(?i)[a-z]", everything)}
    assert folded == {LONG_S, KELVIN}


@pytest.mark.parametrize("char", [LONG_S, KELVIN])
def test_a_folded_character_names_every_case_insensitive_rule(char: str) -> None:
    patterns = [r"(?i:s)[^s]", r"(?i)token", r"literal"]
    fast = built(patterns)
    text = f"{char}{char}".encode()
    assert fast.matching(text) == [0, 1]
    assert fast.candidates([b"plain", text]) == [1]


def test_a_case_sensitive_rule_reads_a_folded_character_as_any_other() -> None:
    fast = built([r"s[^s]s"])
    assert fast.matching(f"s{LONG_S}s".encode()) == [0]
    assert fast.matching(f"S{LONG_S}s".encode()) == []


def test_a_vertical_tab_names_every_pattern() -> None:
    # RE2 counts it as no space, Hyperscan as one: [^\s] would otherwise miss it.
    patterns = [r"postgres://\w+:([^\s@]{8,})@", r"token", r"(?i)secret"]
    fast = built(patterns)
    # assay: ignore[secrets.dsn-password] a made-up password, with a vertical tab in it
    text = b'DATABASE_URL = "postgres://svc:Zq8\x0bvR2mLx7pT@db.internal:5432/app"'
    assert re2_matches(patterns, text) == {0}
    assert fast.matching(text) == [0, 1, 2]
    assert fast.candidates([b"plain", text, b"plain"]) == [1]


@pytest.mark.parametrize(
    "pattern",
    [r"\p{Greek}+", r"\x41", r"caf\x{e9}", "café", r"a\Cb", r"(?i)\pL", r"a\vb",
     "tab\x0bhere"],
)  # fmt: skip
def test_a_pattern_it_cannot_vouch_for_leaves_the_matcher_on_re2(pattern: str) -> None:
    assert prefilter.vouched(pattern) is False
    assert prefilter.build([r"token", pattern]) is None


def test_a_pattern_that_hyperscan_refuses_leaves_the_matcher_on_re2() -> None:
    # Hyperscan refuses a pattern that matches the empty text; RE2 takes it.
    assert prefilter.vouched(r"a*") is True
    assert prefilter.build([r"token", r"a*"]) is None


def test_it_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_SECRETS_PREFILTER", "off")
    assert prefilter.build([r"token"]) is None


def test_without_the_hyperscan_module_the_matcher_uses_re2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "hyperscan", None)  # import hyperscan now fails
    assert prefilter.build([r"token"]) is None
    from assay.checks.secrets.rules import BUILTIN_RULES

    matcher = matcher_for(BUILTIN_RULES[:3], b"no-cache-hit")
    assert matcher.prefilter is None
    assert matcher.clean(b"nothing to see") is True


def test_the_compiled_database_is_kept_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns = [r"tok(en)", r"(?i)secret"]
    first = built(patterns)
    stored = list((tmp_path / "cache").glob("secrets-prefilter-*.hsdb"))
    assert len(stored) == 1
    compiled: list[list[str]] = []
    compile_for_real = prefilter._compile

    def recording(hyperscan: object, expressions: list[str]) -> object:
        compiled.append(list(expressions))
        return compile_for_real(hyperscan, expressions)

    monkeypatch.setattr(prefilter, "_compile", recording)
    second = built(patterns)
    assert [*patterns, r"\x0B"] not in compiled  # read back, not compiled again
    assert second.matching(b"a token, a SECRET") == first.matching(b"a token, a SECRET") == [0, 1]
    built([r"other"])
    assert [r"other", r"\x0B"] in compiled  # other patterns, another database


def test_a_kept_database_that_cannot_be_used_here_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns = [r"tok(en)"]
    built(patterns)
    (stored,) = (tmp_path / "cache").glob("secrets-prefilter-*.hsdb")
    stored.write_bytes(b"")  # as if written on another machine: loads, cannot scan
    used_for_real = prefilter._prefilter
    attempts: list[object] = []

    def refusing_the_first(*args: object) -> prefilter.Prefilter | None:
        attempts.append(args[1])
        return None if len(attempts) == 1 else used_for_real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(prefilter, "_load", lambda hyperscan, path: object())
    monkeypatch.setattr(prefilter, "_prefilter", refusing_the_first)
    again = built(patterns)
    assert again.matching(b"token") == [0]
    assert len(attempts) == 2
    assert stored.read_bytes() != b""  # replaced by the database compiled here


def test_a_damaged_kept_database_is_compiled_again(tmp_path: Path) -> None:
    patterns = [r"tok(en)"]
    built(patterns)
    (stored,) = (tmp_path / "cache").glob("secrets-prefilter-*.hsdb")
    stored.write_bytes(b"not a database")
    again = built(patterns)
    assert again.matching(b"token") == [0]
    assert stored.read_bytes() != b"not a database"
