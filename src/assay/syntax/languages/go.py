"""Go: functions and methods with a body, and function literals.

lizard measures a function literal (``check := func(x int) bool {...}``) as a
function of its own, and so do we; it takes the name it is bound to when it has one.

A parameter declaration may name several parameters (``a, b int``); each name counts,
as in lizard.
"""

from __future__ import annotations

from assay.syntax.rules import LanguageRules

GO = LanguageRules(
    module="tree_sitter_go",
    functions="""
    (function_declaration name: (identifier) @name parameters: (parameter_list) @params
      body: (block)) @function
    (method_declaration name: (field_identifier) @name parameters: (parameter_list) @params
      body: (block)) @function
    (func_literal parameters: (parameter_list) @params) @function
    (short_var_declaration left: (expression_list . (identifier) @name .)
      right: (expression_list . (func_literal) @function .))
    (assignment_statement left: (expression_list . (_) @name .)
      right: (expression_list . (func_literal) @function .))
    (var_spec . name: (identifier) @name . value: (expression_list . (func_literal) @function .))
    """,
    # `case` of expression, type and select switches alike; Go has no `while`, no
    # conditional operator and no exceptions.
    body="""
    ["if" "for" "case"] @decision
    (binary_expression operator: ["&&" "||"] @decision)
    [(if_statement) (for_statement) (expression_switch_statement) (type_switch_statement)
     (select_statement)] @nesting
    (if_statement alternative: (if_statement) @flat)
    """,
    parameter_lists=frozenset({"parameter_list"}),
    multi_name_parameters=frozenset({"parameter_declaration"}),
)

RULES = {"go": GO}
