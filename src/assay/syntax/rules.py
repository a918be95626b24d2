"""A language's rules: the grammar to parse with and the queries that find what is measured.

Each grammar comes from its own tree-sitter wheel and is loaded, with its parser
and compiled queries, once per process on first use. The rules of each language
live in :mod:`assay.syntax.languages`.

Two queries per language:

* ``functions``: each pattern captures ``@function`` (the whole function) and, when
  the language has them, ``@name`` and ``@params`` (the parameter list). Several
  patterns may match one function (``const f = () => ...`` is a declarator and an
  arrow function); their captures are merged.
* ``body``: ``@decision`` on every token that adds a path (lizard's tokens for the
  language), ``@nesting`` on every statement that nests, and ``@flat`` on a nesting
  statement that continues the level it sits in (the ``if`` of an ``else if``).
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field

from tree_sitter import Language, Parser, Query

COMMENTS = frozenset({"comment", "line_comment", "block_comment", "multiline_comment"})


@dataclass(frozen=True, kw_only=True)
class LanguageRules:
    module: str  # the grammar wheel's module
    loader: str = "language"  # its function returning the language pointer
    functions: str
    body: str
    # Node types that are parameter lists; any other @params node is one lone parameter.
    parameter_lists: frozenset[str]
    # Named children of a parameter list that are not parameters.
    not_parameters: frozenset[str] = field(default=COMMENTS)
    # Children that declare several parameters at once, one per ``name`` field (Go's
    # ``a, b int``).
    multi_name_parameters: frozenset[str] = frozenset()

    def language(self) -> Language:
        return _language(self.module, self.loader)

    def parser(self) -> Parser:
        return _parser(self.module, self.loader)

    def function_query(self) -> Query:
        return _query(self.module, self.loader, self.functions)

    def body_query(self) -> Query:
        return _query(self.module, self.loader, self.body)


@functools.cache
def _language(module: str, loader: str) -> Language:
    return Language(getattr(importlib.import_module(module), loader)())


@functools.cache
def _parser(module: str, loader: str) -> Parser:
    return Parser(_language(module, loader))


@functools.cache
def _query(module: str, loader: str, source: str) -> Query:
    return Query(_language(module, loader), source)
