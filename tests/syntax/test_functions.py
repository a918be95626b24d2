"""measure_functions for Python, JavaScript and TypeScript: whole results computed by hand.

Each expected complexity was also checked against lizard 1.24 on the same source
(it agrees on every function here, and finds no method in an ES class, which we do).
"""

from __future__ import annotations

import pytest

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions
from assay.syntax.languages import RULES

PYTHON = """\
def f(a, b=1, *args, c, **kw):
    if a and b or c:  # if, and, or
        for x in [y for y in args if y]:  # for, for, if
            while x:
                try:
                    pass
                except E:
                    pass
                finally:
                    pass
    elif b:
        def inner(q):
            return 1 if q else 2
    print("if and or while for")  # if for while: words in a string and a comment
    return lambda z: z or a


class K:
    def m(self, /, x, *, y):  # comment
        with open(x) as h:
            if y:
                if x:
                    pass
"""


def test_python_functions_nested_functions_and_lambdas() -> None:
    assert measure_functions("python", PYTHON.encode()) == FileFunctions(
        functions=(
            # if and or for for if while except finally elif, and the lambda's `or`
            FunctionMetrics(name="f", start_line=1, end_line=15, ccn=12, parameters=5,
                            nesting=4),
            FunctionMetrics(name="inner", start_line=12, end_line=13, ccn=2, parameters=1,
                            nesting=0),
            FunctionMetrics(name="m", start_line=19, end_line=23, ccn=3, parameters=3,
                            nesting=3),
        ),
        syntax_errors=False,
    )  # fmt: skip


JAVASCRIPT = """\
const f = (a, b) => a ?? b;
function g(x, ...rest) {
  if (x && y || z) { for (;;) {} } else if (q) {} // if && || for if
  const s = "if (a && b) case";
  return x ? 1 : 2;
}
class K { m(a) { switch (a) { case 1: break; default: } } }
const o = { h: function (p) { return p?.q; }, k: v => v };
"""


def test_javascript_declarations_methods_and_bound_function_expressions() -> None:
    assert measure_functions("javascript", JAVASCRIPT.encode()) == FileFunctions(
        functions=(
            FunctionMetrics(name="f", start_line=1, end_line=1, ccn=2, parameters=2, nesting=0),
            FunctionMetrics(name="g", start_line=2, end_line=6, ccn=7, parameters=2, nesting=2),
            FunctionMetrics(name="m", start_line=7, end_line=7, ccn=2, parameters=1, nesting=1),
            # Optional chaining is not a decision.
            FunctionMetrics(name="h", start_line=8, end_line=8, ccn=1, parameters=1, nesting=0),
            FunctionMetrics(name="k", start_line=8, end_line=8, ccn=1, parameters=1, nesting=0),
        ),
        syntax_errors=False,
    )


TYPESCRIPT = """\
interface Shape { area(scale?: number): number; }
function total(shapes: Shape[], scale?: number): number;
function total(shapes: Shape[], scale = 1): number {
  let sum = 0;
  for (const s of shapes) {
    try { sum += s.area(scale) ?? 0; } catch (e) { if (!(e instanceof Error)) { throw e; } }
  }
  return sum > 0 ? sum : 0;
}
abstract class Base<T> {
  abstract name(): string;
  describe(item?: T): string { return item !== undefined && this.name() !== "" ? "x" : "y"; }
}
export const pick = <T,>(xs: T[]): T | undefined => xs.length > 0 ? xs[0] : undefined;
"""


@pytest.mark.parametrize("language", ["ts", "tsx"])
def test_typescript_signatures_without_bodies_are_not_functions(language: str) -> None:
    assert measure_functions(language, TYPESCRIPT.encode()) == FileFunctions(
        functions=(
            # for, ??, catch, if, ?: ; the optional parameter's `?` is not a decision
            FunctionMetrics(name="total", start_line=3, end_line=9, ccn=6, parameters=2,
                            nesting=3),
            FunctionMetrics(name="describe", start_line=12, end_line=12, ccn=3, parameters=1,
                            nesting=0),
            FunctionMetrics(name="pick", start_line=14, end_line=14, ccn=2, parameters=1,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_a_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"def ok(a):\n    return a or 1\n\ndef broken(:\n    pass\n"
    measured = measure_functions("python", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=2, ccn=2, parameters=1, nesting=0
    )


def test_an_unknown_language_has_no_rules() -> None:
    assert measure_functions("cobol", b"IDENTIFICATION DIVISION.") is None


def test_a_file_without_functions_has_none() -> None:
    assert measure_functions("python", b"X = 1\nif X:\n    pass\n") == FileFunctions(
        functions=(), syntax_errors=False
    )


@pytest.mark.parametrize("language", sorted(RULES))
def test_every_language_s_queries_compile(language: str) -> None:
    rules = RULES[language]
    assert rules.function_query().capture_count >= 1
    assert rules.body_query().capture_count >= 1
