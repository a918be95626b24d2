"""C and C++: function definitions with a body, in or out of a class.

The name is the declarator's: ``count``, ``Box<T>::operator=``, ``~Box``,
``operator==``. The function declarator may sit under pointer and reference
declarators (``char **name_of(int)``, ``const T &get()``), which the patterns
unwind to a few levels. Declarations without a body, ``= default`` and ``= delete``
are not functions. A C++ lambda counts toward the function around it, as lizard has it.

``(void)`` declares no parameter: its list is not captured, so the count is 0.
"""

from __future__ import annotations

from assay.syntax.rules import COMMENTS, LanguageRules

# Declarators that wrap the function declarator: `*f()`, and in C++ `&f()`, `&&f()`.
# A pointer declarator holds it in a field, a reference declarator as a plain child.
_POINTER = "(pointer_declarator declarator: {})"
_REFERENCE = "(reference_declarator {})"
_WRAPPING_DEPTH = 3  # `int ***f()` is as deep as real code goes
_NO_PARAMETERS = r'(#not-match? @params "^[(]\\s*(void)?\\s*[)]$")'


def _declarators(inner: str, wrappers: tuple[str, ...]) -> list[str]:
    """``inner`` alone and under up to ``_WRAPPING_DEPTH`` wrapping declarators."""
    shapes = [inner]
    level = [inner]
    for _ in range(_WRAPPING_DEPTH):
        level = [wrapper.format(shape) for wrapper in wrappers for shape in level]
        shapes += level
    return shapes


def _functions(bodies: str, wrappers: tuple[str, ...]) -> str:
    # One pattern names the function, another (only when the list is not empty or
    # `(void)`) captures its parameters: a failed predicate drops its whole match.
    named = "(function_declarator declarator: (_) @name)"
    with_parameters = f"(function_declarator parameters: (parameter_list) @params {_NO_PARAMETERS})"
    patterns = [
        f"(function_definition declarator: {shape} body: {bodies}) @function"
        for inner in (named, with_parameters)
        for shape in _declarators(inner, wrappers)
    ]
    return "\n".join(patterns)


_C_NESTING = """
[(if_statement) (for_statement) (while_statement) (do_statement) (switch_statement)] @nesting
(else_clause (if_statement) @flat)
"""

C = LanguageRules(
    module="tree_sitter_c",
    functions=_functions("(compound_statement)", (_POINTER,)),
    body=(
        """
        ["if" "for" "while" "case"] @decision
        (binary_expression operator: ["&&" "||"] @decision)
        (conditional_expression "?" @decision)
        """
        + _C_NESTING
    ),
    parameter_lists=frozenset({"parameter_list"}),
    # The `...` of a variadic function is no parameter (lizard agrees).
    not_parameters=COMMENTS | {"variadic_parameter"},
)

# A function-try-block (`void f() try {...} catch (...) {...}`) is a body too. `&&` is
# counted as an operator only, never as an rvalue reference (`Box&& other`).
CPP = LanguageRules(
    module="tree_sitter_cpp",
    functions=_functions("[(compound_statement) (try_statement)]", (_POINTER, _REFERENCE)),
    body=(
        """
        ["if" "for" "while" "case" "catch"] @decision
        (binary_expression operator: ["&&" "||"] @decision)
        (conditional_expression "?" @decision)
        [(for_range_loop) (try_statement)] @nesting
        """
        + _C_NESTING
    ),
    parameter_lists=frozenset({"parameter_list"}),
)

# identify tags `.h` files as C++: they are read with the C++ grammar, which parses C too.
RULES = {"c": C, "c++": CPP}
