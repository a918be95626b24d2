"""public_definitions: which Python functions and classes are public and documented."""

from __future__ import annotations

from assay.syntax.docstrings import Definition, public_definitions

SOURCE = b'''\
"""The module."""
import os


def documented(a):
    """Says what it does."""
    return a


@decorator
def undocumented(b):
    return b  # """not a docstring"""


def _private():
    """Private: not counted."""


class Shape:
    # a comment before the docstring does not hide it
    """A shape."""

    def area(self):
        return 0

    def __init__(self):
        pass

    @property
    def name(self):
        \'\'\'The name.\'\'\'
        def inner():
            pass
        return "s"

    class Nested:
        def deep(self):
            "One-line docstring in double quotes."


class _Hidden:
    def visible_name(self):
        pass


def late():
    x = 1
    """A string after code is not a docstring."""
'''


def test_public_functions_methods_and_classes_and_their_docstrings() -> None:
    assert public_definitions(SOURCE) == [
        Definition(kind="function", name="documented", line=5, documented=True),
        Definition(kind="function", name="undocumented", line=11, documented=False),
        Definition(kind="class", name="Shape", line=19, documented=True),
        Definition(kind="function", name="Shape.area", line=23, documented=False),
        Definition(kind="function", name="Shape.name", line=30, documented=True),
        Definition(kind="class", name="Shape.Nested", line=36, documented=False),
        Definition(kind="function", name="Shape.Nested.deep", line=37, documented=True),
        Definition(kind="function", name="late", line=46, documented=False),
    ]


def test_a_file_without_definitions_has_none() -> None:
    assert public_definitions(b"X = 1\n") == []
