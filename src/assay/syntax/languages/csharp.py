"""C#: methods, constructors, finalizers, operators, local functions and accessors.

Members without a body (abstract, interface, extern, auto-property ``get;``) are
not functions. An accessor with a body is one, named after its property, indexer
(``this``) or event; so is an expression-bodied property (``int X => ...``). lizard
finds no accessor; we measure them because their logic is a method's. An operator is
named by its symbol (``+``), a conversion operator by its target type. Lambdas and
anonymous methods count toward the member around them.
"""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

_BODY = "body: [(block) (arrow_expression_clause)]"

CSHARP = LanguageRules(
    module="tree_sitter_c_sharp",
    functions=f"""
    (method_declaration name: (identifier) @name parameters: (parameter_list) @params
      {_BODY}) @function
    (constructor_declaration name: (identifier) @name parameters: (parameter_list) @params
      {_BODY}) @function
    (destructor_declaration name: (identifier) @name {_BODY}) @function
    (operator_declaration operator: _ @name parameters: (parameter_list) @params
      {_BODY}) @function
    (conversion_operator_declaration type: (_) @name parameters: (parameter_list) @params
      {_BODY}) @function
    (local_function_statement name: (identifier) @name parameters: (parameter_list) @params
      {_BODY}) @function
    (property_declaration name: (identifier) @name
      accessors: (accessor_list (accessor_declaration {_BODY}) @function))
    (property_declaration name: (identifier) @name value: (arrow_expression_clause)) @function
    (indexer_declaration "this" @name parameters: (bracketed_parameter_list) @params
      accessors: (accessor_list (accessor_declaration {_BODY}) @function))
    (indexer_declaration "this" @name parameters: (bracketed_parameter_list) @params
      value: (arrow_expression_clause)) @function
    (event_declaration name: (identifier) @name
      accessors: (accessor_list (accessor_declaration {_BODY}) @function))
    """,
    # As lizard: `foreach` is not a decision (its token is not `for`), nor is a
    # switch expression's arm; `?` only as the conditional operator, never in `int?`
    # or `a?.b`. A `case` counts as a switch label, not in `goto case`.
    body="""
    ["if" "for" "while" "catch"] @decision
    (switch_section "case" @decision)
    (binary_expression operator: ["&&" "||" "??"] @decision)
    (conditional_expression "?" @decision)
    [(if_statement) (for_statement) (foreach_statement) (while_statement) (do_statement)
     (switch_statement) (try_statement) (using_statement) (lock_statement)] @nesting
    (if_statement alternative: (if_statement) @flat)
    """,
    parameter_lists=frozenset({"parameter_list", "bracketed_parameter_list"}),
    # The grammar puts the type and name of a `params` array straight in the list:
    # its type is left out so that the name alone counts.
    not_parameters=COMMENTS | {"array_type", "generic_name", "qualified_name", "nullable_type"},
)

RULES = {"c#": CSHARP}
