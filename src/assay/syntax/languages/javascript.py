"""JavaScript, JSX, TypeScript and TSX: declarations, methods, function expressions, arrows.

An anonymous function takes the name it is bound to (``const f = () => ...``,
``f: function () {...}``, ``obj.f = ...``) when it has one.
"""

from __future__ import annotations

from assay.syntax.rules import LanguageRules

# JavaScript and TypeScript share most of their shapes; TypeScript adds signatures
# without bodies, which are not functions.
_JS_FUNCTIONS = """
(function_declaration name: (_) @name parameters: (formal_parameters) @params) @function
(generator_function_declaration name: (_) @name parameters: (formal_parameters) @params) @function
(function_expression name: (_)? @name parameters: (formal_parameters) @params) @function
(generator_function name: (_)? @name parameters: (formal_parameters) @params) @function
(method_definition name: (_) @name parameters: (formal_parameters) @params) @function
(arrow_function parameters: (formal_parameters) @params) @function
(arrow_function parameter: (_) @params) @function
(variable_declarator name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(assignment_expression left: (_) @name
  right: [(arrow_function) (function_expression) (generator_function)] @function)
(pair key: (_) @name value: [(arrow_function) (function_expression) (generator_function)] @function)
"""
_JS_BODY = """
["if" "for" "while" "catch" "case"] @decision
(binary_expression operator: ["&&" "||" "??"] @decision)
(ternary_expression "?" @decision)
[(if_statement) (for_statement) (for_in_statement) (while_statement) (do_statement)
 (try_statement) (switch_statement)] @nesting
(else_clause (if_statement) @flat)
"""
_JS_PARAMETER_LISTS = frozenset({"formal_parameters"})

JAVASCRIPT = LanguageRules(
    module="tree_sitter_javascript",
    functions=_JS_FUNCTIONS,
    body=_JS_BODY,
    parameter_lists=_JS_PARAMETER_LISTS,
)
TYPESCRIPT = LanguageRules(
    module="tree_sitter_typescript",
    loader="language_typescript",
    functions=_JS_FUNCTIONS,
    body=_JS_BODY,
    parameter_lists=_JS_PARAMETER_LISTS,
)
TSX = LanguageRules(
    module="tree_sitter_typescript",
    loader="language_tsx",
    functions=_JS_FUNCTIONS,
    body=_JS_BODY,
    parameter_lists=_JS_PARAMETER_LISTS,
)

RULES = {"javascript": JAVASCRIPT, "jsx": JAVASCRIPT, "ts": TYPESCRIPT, "tsx": TSX}
