"""Python: functions are ``def`` (lambdas count toward the function around them)."""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

PYTHON = LanguageRules(
    module="tree_sitter_python",
    functions="""
    (function_definition name: (identifier) @name parameters: (parameters) @params) @function
    """,
    body="""
    ["if" "elif" "for" "while" "except" "finally" "and" "or"] @decision
    [(if_statement) (for_statement) (while_statement) (try_statement) (with_statement)
     (match_statement)] @nesting
    """,
    parameter_lists=frozenset({"parameters"}),
    not_parameters=COMMENTS | {"keyword_separator", "positional_separator"},
)

RULES = {"python": PYTHON}
