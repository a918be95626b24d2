"""Rust: functions with a body (free, associated, trait defaults, nested).

Trait method signatures are not functions. Closures count toward the function
around them, as lizard has it.

A ``match`` adds one decision per arm after the first, as lizard does by counting the
``=>`` of every arm but one (the analogue of ``case`` labels besides ``default``).
``?`` propagates an error, an early return: a decision. So is the ``else`` of a
``let ... else``. lizard also counts ``where`` (a generic bound, no branch): not we.
"""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

_COMMENT = "[(line_comment) (block_comment)]"

RUST = LanguageRules(
    module="tree_sitter_rust",
    functions="""
    (function_item name: (identifier) @name parameters: (parameters) @params
      body: (block)) @function
    """,
    # `for` only as a loop: `impl Trait for Type` and `for<'a>` bounds are no decisions.
    # The `if` of a match guard (`x if x < 0 =>`) is one.
    body=f"""
    (if_expression "if" @decision)
    (match_pattern "if" @decision)
    (for_expression "for" @decision)
    (while_expression "while" @decision)
    (let_declaration "else" @decision)
    (try_expression "?" @decision)
    (binary_expression operator: ["&&" "||"] @decision)
    (match_block (match_arm) . {_COMMENT}* . (match_arm) @decision)
    [(if_expression) (for_expression) (while_expression) (loop_expression)
     (match_expression)] @nesting
    (else_clause (if_expression) @flat)
    """,
    parameter_lists=frozenset({"parameters"}),
    not_parameters=COMMENTS | {"attribute_item"},
)

RULES = {"rust": RUST}
