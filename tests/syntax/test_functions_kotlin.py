"""measure_functions for Kotlin: whole results computed by hand.

Cross-checked with lizard 1.24 on the same source less its two bodiless functions
(lizard takes each for the start of what follows): every complexity lizard reports
equals ours. lizard finds neither the secondary constructor nor the interface's
`name`.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

KOTLIN = """\
package shapes

// "if" and "when" in a comment do not count
interface Shape {
    fun area(scale: Double): Double
    fun name(): String = "shape"
}

abstract class Base(val size: Int) : Shape {
    abstract fun label(): String

    constructor(size: Int, label: String?) : this(size) {
        val n = label ?: "none"
    }

    fun classify(a: Int, b: Int, vararg rest: String): Int {
        val s = "if (a && b) while when"
        if (a > 0 && b > 0 || a < -10) {
            for (i in 0 until a) {
                while (b > i) {
                    println(i)
                }
            }
        } else if (a == 0) {
            return 0
        } else {
            do {
                println(a)
            } while (a < 0)
        }
        val kind = when (b) {
            1, 2 -> "small"
            3 -> "medium"
            else -> "large"
        }
        val evens = rest.filter { it.length > 2 && it.isNotEmpty() }
        fun local(y: Int): Int {
            return if (y > 0) y else -y
        }
        try {
            return local(a) + (rest.firstOrNull()?.length ?: 0)
        } catch (e: IllegalStateException) {
            return -1
        } catch (e: Exception) {
            return -2
        } finally {
            println(kind)
        }
    }

    val total: Int
        get() {
            return if (size > 0) size else 0
        }

    fun pick(xs: List<Int>): List<Int> = xs.filter { v -> v > 1 || v < -1 }
}

fun top(x: Int?) = x ?: 0
"""


def test_kotlin_functions_constructors_and_accessors() -> None:
    assert measure_functions("kotlin", KOTLIN.encode()) == FileFunctions(
        functions=(
            # The interface's `area` and the abstract `label` have no body: no functions.
            FunctionMetrics(name="name", start_line=6, end_line=6, ccn=1, parameters=0,
                            nesting=0),
            FunctionMetrics(name="constructor", start_line=12, end_line=14, ccn=2,
                            parameters=2, nesting=0),
            # if && ||, for, while, else-if's if, do's while, 2 when entries after the
            # first, the lambda's &&, 2 catch, ?: ; `?.` is no decision. `vararg` is no
            # parameter of its own.
            FunctionMetrics(name="classify", start_line=16, end_line=49, ccn=14,
                            parameters=3, nesting=3),
            FunctionMetrics(name="local", start_line=37, end_line=39, ccn=2, parameters=1,
                            nesting=1),
            # A getter with a body, named after its property.
            FunctionMetrics(name="total", start_line=52, end_line=54, ccn=2, parameters=0,
                            nesting=1),
            FunctionMetrics(name="pick", start_line=56, end_line=56, ccn=2, parameters=1,
                            nesting=0),
            FunctionMetrics(name="top", start_line=59, end_line=59, ccn=2, parameters=1,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_kotlin_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"fun ok(a: Int): Boolean {\n    return a > 0 || a < -9\n}\n\nfun broken( {\n"
    measured = measure_functions("kotlin", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=3, ccn=2, parameters=1, nesting=0
    )
