"""One parse per file and language, shared by every check that reads the syntax tree.

File checks receive the same bytes object for a file in the pass, one check after
the other; keeping the last few trees lets ``maint.complexity`` and
``maint.docstrings`` parse a Python file once between them. The key is the bytes
themselves: a dictionary finds the same object by identity without comparing it,
and the bytes' hash is computed once and kept by Python.
"""

from __future__ import annotations

import functools

from tree_sitter import Tree

from assay.syntax.languages import rules_for


@functools.lru_cache(maxsize=4)
def parse(language: str, data: bytes) -> Tree:
    """The syntax tree of ``data``; raises KeyError for a language without rules."""
    rules = rules_for(language)
    if rules is None:
        raise KeyError(language)
    return rules.parser().parse(data)
