"""inert(): repository strings made harmless to print."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.report.inert import inert


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain.py", "plain.py"),
        ("with space.py", "with space.py"),
        ("line\nbreak", "line\\nbreak"),
        ("carriage\rreturn", "carriage\\rreturn"),
        ("tab\there", "tab\\there"),
        ("\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"),
        ("bell\x07", "bell\\u0007"),
        ("nul\x00", "nul\\u0000"),
        ("del\x7f", "del\\u007f"),
        ("csi\x9b", "csi\\u009b"),
        ("evil\u202egnp.exe", "evil\\u202egnp.exe"),
        ("isolate\u2066x\u2069", "isolate\\u2066x\\u2069"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("joiner\u200d", "joiner\\u200d"),
        ("bom\ufeff", "bom\\ufeff"),
        ("line\u2028separator", "line\\u2028separator"),
        ("no-break\u00a0space", "no-break\\u00a0space"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("private\ue000use", "private\\ue000use"),
        # Bytes that were not UTF-8, decoded with surrogateescape: shown as the byte.
        (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
        (b"\xff\xfe".decode("utf-8", "surrogateescape"), "\\xff\\xfe"),
        # A lone surrogate that stands for no byte is shown as the code point it is.
        ("lone\ud800", "lone\\ud800"),
        ("low\udc41", "low\\udc41"),
        ("café ünïcödé 日本語 🎉", "café ünïcödé 日本語 🎉"),
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("", ""),
    ],
)
def test_inert(text: str, shown: str) -> None:
    assert inert(text) == shown


def printable(char: str) -> bool:
    return char.isprintable() or char == " "


# Any code point, with controls, format characters and surrogates drawn often.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=()),
        st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs"]),
    )
)


@given(ANY_TEXT)
def test_inert_output_is_only_printable(text: str) -> None:
    assert all(printable(char) for char in inert(text))


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl",
                                                          "Zp", "Zs"))))  # fmt: skip
def test_printable_text_is_untouched(text: str) -> None:
    assert text.isprintable()
    assert inert(text) == text
    assert inert(text + " " + text) == text + " " + text


@given(ANY_TEXT)
def test_inert_changes_only_what_is_not_printable(text: str) -> None:
    shown = inert(text)
    if text.isprintable():
        assert shown == text
    else:
        assert shown != text
        assert "\\" in shown
