"""measure_functions for Go: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source, function literals
included (lizard measures them on their own too, as anonymous functions). lizard
takes the bodiless `declared` for the start of `generic`, with generic's count.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

GO = """\
package shapes

import "fmt"

type Shape interface {
	Area(scale float64) float64
}

type Rect struct{ w, h float64 }

// Area returns the area; "if" and "for" in this comment do not count.
func (r *Rect) Area(scale float64) float64 {
	if r.w > 0 && r.h > 0 || scale < 0 {
		return r.w * r.h * scale
	} else if r.w == 0 {
		return 0
	}
	return -1
}

func Classify(a, b int, names ...string) (string, error) {
	label := "if a && b for case"
	for i := 0; i < a; i++ {
		for _, n := range names {
			if n == "" {
				continue
			}
		}
	}
	switch {
	case a > b:
		label = "big"
	case a == b, a < 0:
		label = "same"
	default:
	}
	check := func(x int) bool {
		return x > 0 || x < -5
	}
	select {
	case <-make(chan int):
	default:
	}
	var v interface{} = a
	switch t := v.(type) {
	case int:
		fmt.Println(t)
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Println(r)
		}
	}()
	if check(a) {
		return label, nil
	}
	return label, fmt.Errorf("no")
}

func declared(x int) int

func generic[T any](xs []T) T {
	for {
		break
	}
	return xs[0]
}
"""


def test_go_functions_methods_and_function_literals() -> None:
    assert measure_functions("go", GO.encode()) == FileFunctions(
        functions=(
            # if && || and the else-if's if; the receiver is not a parameter
            FunctionMetrics(name="Area", start_line=12, end_line=19, ccn=5, parameters=1,
                            nesting=1),
            # for for if, 2 case (one listing two values), select's case, type switch's
            # case, if. `a, b int` declares two parameters, as lizard counts them.
            FunctionMetrics(name="Classify", start_line=21, end_line=58, ccn=9, parameters=3,
                            nesting=3),
            FunctionMetrics(name="check", start_line=37, end_line=39, ccn=2, parameters=1,
                            nesting=0),
            FunctionMetrics(name="(anonymous)", start_line=49, end_line=53, ccn=2,
                            parameters=0, nesting=1),
            # `declared` has no body: not a function.
            FunctionMetrics(name="generic", start_line=62, end_line=67, ccn=2, parameters=1,
                            nesting=1),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_go_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"package p\n\nfunc ok(a int) bool {\n\treturn a > 0 && a < 9\n}\n\nfunc broken( {\n"
    measured = measure_functions("go", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=3, end_line=5, ccn=2, parameters=1, nesting=0
    )
