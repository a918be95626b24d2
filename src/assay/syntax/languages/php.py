"""PHP: methods with a body and named functions, nested ones too.

Abstract and interface methods are not functions. Closures (``function () use ...``)
and arrow functions (``fn``) count toward the function around them, as lizard has it.
"""

from __future__ import annotations

from assay.syntax.rules import LanguageRules

PHP = LanguageRules(
    module="tree_sitter_php",
    loader="language_php",
    functions="""
    (method_declaration name: (name) @name parameters: (formal_parameters) @params
      body: (compound_statement)) @function
    (function_definition name: (name) @name parameters: (formal_parameters) @params
      ) @function
    """,
    # As lizard: `and`/`or`, `??` and the short ternary `a ?: b` are not decisions, and
    # `?` counts only in a full conditional, never in a nullable type (`?string`).
    body="""
    ["if" "elseif" "for" "foreach" "while" "catch" "match" "case"] @decision
    (binary_expression operator: ["&&" "||"] @decision)
    (conditional_expression "?" @decision body: (_))
    [(if_statement) (for_statement) (foreach_statement) (while_statement) (do_statement)
     (switch_statement) (try_statement)] @nesting
    (else_clause body: (if_statement) @flat)
    """,
    parameter_lists=frozenset({"formal_parameters"}),
)

RULES = {"php": PHP}
