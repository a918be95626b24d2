"""normalised_lines: what a line reduces to, which lines are units, and where they are."""

from __future__ import annotations

import zlib

from assay.syntax.clones import NormalisedFile, _normaliser, normalised_lines


def crc(text: str) -> int:
    return zlib.crc32(text.encode())


def test_python_names_literals_and_comments_normalise_keywords_stay() -> None:
    normalise = _normaliser("python")
    assert normalise is not None
    source = (
        "def total(items, rate=0.2):  # the sum\n"
        "    label = \"if # not a comment\" + 'x'\n"
        "    if items and rate:\n"
        '        return """many\nlines"""\n'
    )
    assert normalise(source) == "defI(I,I=I):\nI=I+I\nifIandI:\nreturnI\n\n"


def test_a_renamed_copy_has_the_same_units_and_if_is_not_while() -> None:
    original = "x = compute(a, 1)\nif x > limit:\n    print('big')\n"
    renamed = 'value = compute(b, 42)\nif value > maximum:\n    print("huge")\n'
    looped = "x = compute(a, 1)\nwhile x > limit:\n    print('big')\n"
    first, second, third = (normalised_lines("python", t) for t in (original, renamed, looped))
    assert (
        first
        == second
        == NormalisedFile(
            code_lines=3, units=[(1, crc("I=I(I,I)")), (2, crc("ifI>I:")), (3, crc("print(I)"))]
        )
    )
    assert third is not None and third.units[1] == (2, crc("whileI>I:"))


def test_brackets_lone_names_blank_lines_and_imports_are_not_units() -> None:
    source = (
        "import os\nfrom a import b\n\nCONFIG = {\n    'key': value,\n}\n# only a comment\nname\n"
    )
    assert normalised_lines("python", source) == NormalisedFile(
        code_lines=6, units=[(4, crc("I={")), (5, crc("I:I,"))]
    )


def test_c_like_comments_strings_and_templates() -> None:
    source = (
        "/* a block\n   comment */ const s = `tpl ${x}\nline`; // end\n"
        "if (a && b) { call('q', \"w\"); }\n"
    )
    normalised = normalised_lines("javascript", source)
    assert normalised == NormalisedFile(
        code_lines=3,
        units=[(2, crc("constI=I")), (4, crc("if(I&&I){I(I,I);}"))],  # line 3 is only ";"
    )


def test_a_language_without_rules_has_no_units() -> None:
    assert normalised_lines("cobol", "MOVE A TO B.\n") is None
