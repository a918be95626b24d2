"""Swift: functions, initializers, deinitializers, subscripts and computed properties
with a body.

Protocol requirements have no body and are not functions. Closures count toward the
function around them, as lizard has it. A computed property (lizard finds none) is
measured as one function, named after the property, like an accessor in C#.

``?`` is a decision only as the conditional operator, never in ``Int?``, ``a?.b`` or
``init?``; ``??`` is none (lizard agrees). ``case`` counts as a switch label, not in
``if case`` or an enum's cases.
"""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

_BODY = "body: (function_body)"
# A protocol's `subscript(i: Int) -> Int { get }` has accessors but no statements.
_ACCESSORS = "[(computed_property (statements)) (computed_property (computed_getter (statements)))]"

# Swift has no node for a parameter list: parameters are children of the declaration
# itself, beside its name, modifiers, return type, body and each parameter's default
# value. The declaration is taken as the list, and all else it may hold left out.
_DECLARATIONS = frozenset({"function_declaration", "init_declaration", "subscript_declaration"})
_DECLARATION_PARTS = frozenset(
    {"modifiers", "attribute", "simple_identifier", "custom_operator", "bang",
     "type_parameters", "type_constraints", "throws", "function_body", "computed_property"}
)  # fmt: skip
_TYPES = frozenset(
    {"user_type", "optional_type", "array_type", "dictionary_type", "tuple_type",
     "function_type", "opaque_type", "existential_type", "metatype",
     "protocol_composition_type", "bracket_qualified_type", "type_pack_expansion",
     "suppressed_constraint", "lambda_function_type"}
)  # fmt: skip
_DEFAULT_VALUES = frozenset(
    {"array_literal", "bin_literal", "boolean_literal", "dictionary_literal", "hex_literal",
     "integer_literal", "lambda_literal", "line_string_literal", "multi_line_string_literal",
     "nil_literal", "oct_literal", "raw_string_literal", "real_literal", "regex_literal",
     "special_literal", "playground_literal",
     "additive_expression", "as_expression", "await_expression", "call_expression",
     "check_expression", "comparison_expression", "conjunction_expression",
     "constructor_expression", "disjunction_expression", "equality_expression",
     "infix_expression", "key_path_expression", "key_path_string_expression",
     "multiplicative_expression", "navigation_expression", "nil_coalescing_expression",
     "open_end_range_expression", "open_start_range_expression", "postfix_expression",
     "prefix_expression", "range_expression", "selector_expression", "self_expression",
     "super_expression", "ternary_expression", "try_expression", "tuple_expression",
     "macro_invocation"}
)  # fmt: skip

SWIFT = LanguageRules(
    module="tree_sitter_swift",
    # The return type is also a `name:` field: the name is the one right after `func`.
    functions=f"""
    (function_declaration "func" . name: _ @name {_BODY}) @function
    (init_declaration "init" @name {_BODY}) @function
    (deinit_declaration "deinit" @name {_BODY}) @function
    (subscript_declaration "subscript" @name {_ACCESSORS}) @function
    (property_declaration name: (pattern bound_identifier: (simple_identifier) @name)
      computed_value: (computed_property) @function)
    [(function_declaration {_BODY}) (init_declaration {_BODY})
     (subscript_declaration {_ACCESSORS})] @function @params
    """,
    body="""
    ["if" "for" "while" "guard"] @decision
    (catch_keyword) @decision
    (switch_entry "case" @decision)
    (conjunction_expression op: "&&" @decision)
    (disjunction_expression op: "||" @decision)
    (ternary_expression "?" @decision)
    [(if_statement) (for_statement) (while_statement) (repeat_while_statement)
     (guard_statement) (switch_statement) (do_statement)] @nesting
    (if_statement (else) (if_statement) @flat)
    """,
    parameter_lists=_DECLARATIONS,
    not_parameters=COMMENTS | _DECLARATION_PARTS | _TYPES | _DEFAULT_VALUES,
)

RULES = {"swift": SWIFT}
