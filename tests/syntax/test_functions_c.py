"""measure_functions for C: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

C = """\
#include <stdio.h>

struct node { int value; struct node *next; };

static int count(const struct node *list, int limit);

/* "if" and "while" in comments do not count: for case */
static int count(const struct node *list, int limit)
{
    int n = 0;
    const char *s = "if (a && b) while";
    while (list != NULL && n < limit) {
        if (list->value > 0 || limit < 0) {
            n++;
        } else if (list->value == 0) {
            n += 2;
        } else {
            do { n--; } while (n > 100);
        }
        list = list->next;
    }
    return n > 0 ? n : 0;
}

char *name_of(int kind)
{
    switch (kind) {
    case 0:
        return "zero";
    case 1:
    case 2:
        return "small";
    default:
        break;
    }
    for (;;) {
        for (int i = 0; i < kind; i++) {
            if (i) { break; }
        }
    }
    return NULL;
}

int **table(void) { return 0; }

void apply(int (*cb)(int), int x) { cb(x); }

int log_all(const char *format, ...)
{
    return format && *format ? printf("%s", format) : 0;
}

int main(int argc, char **argv)
{
    return argc > 1 && argv[1] ? 0 : 1;
}
"""


def test_c_definitions_with_pointer_declarators() -> None:
    assert measure_functions("c", C.encode()) == FileFunctions(
        functions=(
            # The prototype on line 5 has no body: not a function.
            # while && if || else-if's if, do's while, ?:
            FunctionMetrics(name="count", start_line=8, end_line=23, ccn=8, parameters=2,
                            nesting=3),
            # 3 case, for, for, if
            FunctionMetrics(name="name_of", start_line=25, end_line=42, ccn=7, parameters=1,
                            nesting=3),
            # `(void)` declares no parameter.
            FunctionMetrics(name="table", start_line=44, end_line=44, ccn=1, parameters=0,
                            nesting=0),
            FunctionMetrics(name="apply", start_line=46, end_line=46, ccn=1, parameters=2,
                            nesting=0),
            # `...` is no parameter.
            FunctionMetrics(name="log_all", start_line=48, end_line=51, ccn=3, parameters=1,
                            nesting=0),
            FunctionMetrics(name="main", start_line=53, end_line=56, ccn=3, parameters=2,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_c_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"int ok(int a)\n{\n    return a || 1;\n}\n\nint broken(int a\n{\n"
    measured = measure_functions("c", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=4, ccn=2, parameters=1, nesting=0
    )
