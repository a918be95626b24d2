"""Java: methods, constructors (compact ones of records too), with a body.

Abstract and interface methods without a body are not functions. A record's compact
constructor takes the record's components as its parameters. A lambda counts
toward the method around it; a method of an anonymous class is a function of its
own, as lizard has it.
"""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

JAVA = LanguageRules(
    module="tree_sitter_java",
    functions="""
    (method_declaration name: (identifier) @name parameters: (formal_parameters) @params
      body: (block)) @function
    (constructor_declaration name: (identifier) @name parameters: (formal_parameters) @params
      ) @function
    (record_declaration parameters: (formal_parameters) @params
      body: (class_body (compact_constructor_declaration name: (identifier) @name) @function))
    """,
    # `for` covers the enhanced for, `while` the end of a `do`; `case` is one per label,
    # however many values it lists (`case 1, 2 ->`).
    body="""
    ["if" "for" "while" "catch" "case"] @decision
    (binary_expression operator: ["&&" "||"] @decision)
    (ternary_expression "?" @decision)
    [(if_statement) (for_statement) (enhanced_for_statement) (while_statement)
     (do_statement) (try_statement) (try_with_resources_statement) (switch_expression)
     (synchronized_statement)] @nesting
    (if_statement alternative: (if_statement) @flat)
    """,
    parameter_lists=frozenset({"formal_parameters"}),
    # `Foo this` declares the receiver's type, not an argument.
    not_parameters=COMMENTS | {"receiver_parameter"},
)

RULES = {"java": JAVA}
