"""Kotlin: functions with a body (block or ``= expression``), secondary constructors,
property getters and setters with a body (named after their property).

Abstract and interface functions without a body are not functions. Lambdas and
anonymous functions count toward the function around them. (lizard means to measure a
lambda with parameters as an anonymous function, but it does not find where one
ends; a lambda without them, ``{ it > 0 }``, it counts in the function around it.)

A ``when`` adds one decision per entry after the first, as lizard does by counting
the ``->`` of every entry but one; the elvis ``?:`` is a decision, ``?.`` is not.
"""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

_COMMENT = "[(line_comment) (block_comment)]"
_ACCESSOR = "[(getter (function_body)) (setter (function_body))] @function"

KOTLIN = LanguageRules(
    module="tree_sitter_kotlin",
    functions=f"""
    (function_declaration name: (identifier) @name (function_value_parameters) @params
      (function_body)) @function
    (secondary_constructor "constructor" @name (function_value_parameters) @params
      (block)) @function
    (property_declaration (variable_declaration (identifier) @name) {_ACCESSOR})
    """,
    # The `if` after an `else` is the else branch: a comment may sit between them.
    body=f"""
    ["if" "for" "while" "catch"] @decision
    (binary_expression operator: ["&&" "||" "?:"] @decision)
    (when_expression (when_entry) . {_COMMENT}* . (when_entry) @decision)
    [(if_expression) (for_statement) (while_statement) (do_while_statement)
     (when_expression) (try_expression)] @nesting
    (if_expression "else" (if_expression) @flat)
    """,
    parameter_lists=frozenset({"function_value_parameters"}),
    # `vararg` and annotations sit beside the parameter they qualify.
    not_parameters=COMMENTS | {"parameter_modifiers"},
)

RULES = {"kotlin": KOTLIN}
