"""measure_functions for Swift: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source (lizard finds no
computed property), but where a comment says why it is one less.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

SWIFT = """\
import Foundation

protocol Shape {
    func area(scale: Double) -> Double
}

class Registry: Shape {
    var items: [String] = []
    let strict: Bool

    init(items: [String], strict: Bool = false) {
        self.items = items
        self.strict = strict || items.isEmpty
    }

    deinit {
        print("gone")
    }

    var total: Int {
        return items.count > 0 ? items.count : 0
    }

    func area(scale: Double) -> Double {
        return scale > 0 ? scale : 0
    }

    func classify(_ a: Int, b: Int, rest: String...) throws -> Int {
        let s = "if a && b while case" // if for while catch
        var b = b
        if a > 0 && b > 0 || a < -10 {
            for i in 0..<a {
                while b > i {
                    b -= 1
                }
            }
        } else if a == 0 {
            return 0
        } else {
            repeat {
                b += 1
            } while b < 0
        }
        guard let first = rest.first else {
            return -1
        }
        switch b {
        case 1, 2:
            return 1
        case 3:
            break
        default:
            break
        }
        let pick = { (v: Int) -> Bool in v > 1 || v < -1 }
        let name: String? = first.isEmpty ? nil : first
        func local(_ y: Int) -> Int {
            return y > 0 ? y : -y
        }
        do {
            try check(a)
        } catch let e as NSError {
            return e.code
        } catch {
            return -2
        }
        return local(a) + (name?.count ?? 0)
    }
}

func top(x: Int?) -> Int { x ?? 0 }
"""


def test_swift_functions_initializers_and_computed_properties() -> None:
    assert measure_functions("swift", SWIFT.encode()) == FileFunctions(
        functions=(
            # The protocol's `area` has no body: not a function.
            FunctionMetrics(name="init", start_line=11, end_line=14, ccn=2, parameters=2,
                            nesting=0),
            FunctionMetrics(name="deinit", start_line=16, end_line=18, ccn=1, parameters=0,
                            nesting=0),
            FunctionMetrics(name="total", start_line=20, end_line=22, ccn=2, parameters=0,
                            nesting=0),
            FunctionMetrics(name="area", start_line=24, end_line=26, ccn=2, parameters=1,
                            nesting=0),
            # if && ||, for, while, else-if's if, repeat's while, guard, 2 case, the
            # closure's ||, ?:, 2 catch. Not decisions: `String?`, `name?.count`, `??`.
            FunctionMetrics(name="classify", start_line=28, end_line=68, ccn=15,
                            parameters=3, nesting=3),
            FunctionMetrics(name="local", start_line=57, end_line=59, ccn=2, parameters=1,
                            nesting=0),
            FunctionMetrics(name="top", start_line=71, end_line=71, ccn=1, parameters=1,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


OPERATORS = """\
struct V: Equatable {
    var x: Int
    static func == (a: V, b: V) -> Bool { return a.x == b.x }
    subscript(i: Int, j: Int) -> Int { get { return i > 0 ? i : j } set { x = newValue } }
    var q: Int { x > 0 ? 1 : 2 }
    func f(a: Int = -1, b: String = "s", c: [Int] = [], d: E = .none, g: () -> Void = {}) {
        if case .some(let y) = Optional(a), y > 0 { print(y) }
    }
}
protocol P {
    subscript(i: Int) -> Int { get }
}
"""


def test_swift_operators_subscripts_and_default_values() -> None:
    assert measure_functions("swift", OPERATORS.encode()) == FileFunctions(
        functions=(
            FunctionMetrics(name="==", start_line=3, end_line=3, ccn=1, parameters=2,
                            nesting=0),
            FunctionMetrics(name="subscript", start_line=4, end_line=4, ccn=2, parameters=2,
                            nesting=0),
            FunctionMetrics(name="q", start_line=5, end_line=5, ccn=2, parameters=0,
                            nesting=0),
            # Default values are no parameters; `if case` counts its `if` only (lizard: 3,
            # counting the `case` too).
            FunctionMetrics(name="f", start_line=6, end_line=8, ccn=2, parameters=5,
                            nesting=1),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_swift_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"func ok(a: Int) -> Bool {\n    return a > 0 || a < -9\n}\n\nfunc broken( {\n"
    measured = measure_functions("swift", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=3, ccn=2, parameters=1, nesting=0
    )
