"""measure_functions for Rust: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source but `generic`'s, one
less: lizard counts its `where`, a generic bound.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

RUST = """\
use std::collections::HashMap;

/// A shape; "if" and "while" in this comment do not count.
pub trait Shape {
    fn area(&self, scale: f64) -> f64;
    fn name(&self) -> String {
        String::from("shape")
    }
}

pub struct Registry<T> {
    items: Vec<T>,
}

impl<T: Shape + Clone> Registry<T> {
    pub fn new() -> Self {
        Registry { items: Vec::new() }
    }

    pub fn classify(&mut self, a: i32, b: i32) -> Result<i32, String> {
        let s = "if a && b while";
        if a > 0 && b > 0 || a < -10 {
            for i in 0..a {
                while b > i {
                    loop {
                        break;
                    }
                }
            }
        } else if a == 0 {
            return Ok(0);
        } else {
            let n: i32 = s.parse().map_err(|e| format!("{e}"))?;
        }
        let kind = match b {
            0 => "zero",
            1 | 2 => "small",
            x if x < 0 => "negative",
            _ => "big",
        };
        let pick = |v: i32| v > 1 || v < -1;
        let Some(first) = self.items.first() else {
            return Err(String::from("empty"));
        };
        fn helper(x: i32) -> i32 {
            if x > 0 { x } else { -x }
        }
        Ok(helper(a))
    }
}

fn generic<T>(xs: &[T]) -> Option<&T>
where
    T: Clone,
{
    let first = xs.first()?;
    if let Some(x) = xs.last() {
        return Some(x);
    }
    Some(first)
}

pub struct Circle(f64);

impl Shape for Circle {
    fn area(&self, scale: f64) -> f64 {
        if scale > 0.0 { self.0 * scale } else { 0.0 }
    }
}
"""


def test_rust_functions_methods_and_match_arms() -> None:
    assert measure_functions("rust", RUST.encode()) == FileFunctions(
        functions=(
            # The trait's `area` has no body: not a function; its `name` has one.
            FunctionMetrics(name="name", start_line=6, end_line=8, ccn=1, parameters=1,
                            nesting=0),
            FunctionMetrics(name="new", start_line=16, end_line=18, ccn=1, parameters=0,
                            nesting=0),
            # if && ||, for, while, else-if's if, ?, 3 arms after the first, the guard's
            # if, the closure's ||, let-else's else; `loop` is no decision
            FunctionMetrics(name="classify", start_line=20, end_line=49, ccn=14,
                            parameters=3, nesting=4),
            FunctionMetrics(name="helper", start_line=45, end_line=47, ccn=2, parameters=1,
                            nesting=1),
            # ?, if (of an `if let`)
            FunctionMetrics(name="generic", start_line=52, end_line=61, ccn=3,
                            parameters=1, nesting=1),
            # `impl Shape for Circle` is no loop.
            FunctionMetrics(name="area", start_line=66, end_line=68, ccn=2, parameters=2,
                            nesting=1),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_rust_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"fn ok(a: i32) -> bool {\n    a > 0 || a < -9\n}\n\nfn broken( {\n"
    measured = measure_functions("rust", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=3, ccn=2, parameters=1, nesting=0
    )
