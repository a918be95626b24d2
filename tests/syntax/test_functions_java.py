"""measure_functions for Java: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source (lizard finds no
compact constructor, and starts `run` after its annotation).
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

JAVA = """\
package demo;

import java.util.function.Function;

public class Shapes<T> {
    private final int size;

    public Shapes(int size, String label) {
        this.size = size > 0 ? size : 0;
    }

    abstract static class Base {
        abstract int area(int scale);
    }

    interface Named {
        String name();
        default String describe() { return name() != null && !name().isEmpty() ? name() : "?"; }
    }

    public int classify(int a, int b) {
        String s = "if (a && b) for while case"; // if for while catch
        if (a > 0 && b > 0 || a < -10) {
            for (int i = 0; i < a; i++) {
                while (b > i) {
                    b--;
                }
            }
        } else if (a == 0) {
            return 0;
        } else {
            do { a++; } while (a < 0);
        }
        switch (b) {
            case 1:
            case 2:
                return 1;
            default:
                break;
        }
        try {
            Function<Integer, Integer> f = x -> x > 1 ? x : 1;
            return f.apply(a);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return -1;
        } catch (Exception e) {
            return -2;
        } finally {
            size();
        }
    }

    int size() {
        for (String s : new String[] {"a"}) {
            if (s.isEmpty()) { return 0; }
        }
        Runnable r = new Runnable() {
            @Override
            public void run() {
                if (size > 1) { System.out.println(); }
            }
        };
        return switch (size) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> 3;
        };
    }

    static <U> void generic(U... items) { }

    record Point(int x, int y) {
        Point {
            if (x < 0 || y < 0) { throw new IllegalArgumentException(); }
        }
    }
}
"""


def test_java_methods_constructors_and_anonymous_class_methods() -> None:
    assert measure_functions("java", JAVA.encode()) == FileFunctions(
        functions=(
            FunctionMetrics(name="Shapes", start_line=8, end_line=10, ccn=2, parameters=2,
                            nesting=0),
            # The abstract `area` and the interface's `name` have no body: no functions.
            FunctionMetrics(name="describe", start_line=18, end_line=18, ccn=3, parameters=0,
                            nesting=0),
            # if && || for while, else-if's if, do's while, 2 case, 2 catch, the lambda's ?:
            FunctionMetrics(name="classify", start_line=21, end_line=51, ccn=13, parameters=2,
                            nesting=3),
            # for (enhanced), if, and a case per label of the switch expression
            FunctionMetrics(name="size", start_line=53, end_line=68, ccn=5, parameters=0,
                            nesting=2),
            # It starts at its annotation.
            FunctionMetrics(name="run", start_line=58, end_line=61, ccn=2, parameters=0,
                            nesting=1),
            FunctionMetrics(name="generic", start_line=70, end_line=70, ccn=1, parameters=1,
                            nesting=0),
            # A compact constructor (lizard finds none) takes the record's components.
            FunctionMetrics(name="Point", start_line=73, end_line=75, ccn=3, parameters=2,
                            nesting=1),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_java_syntax_error_keeps_the_methods_before_it() -> None:
    source = b"class K {\n  int ok(int a) { return a > 0 ? a : 0; }\n  void broken( {\n}\n"
    measured = measure_functions("java", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=2, end_line=2, ccn=2, parameters=1, nesting=0
    )
