"""measure_functions for C++: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source but for the
function-try-block `f`, where lizard takes the `catch` for a function of its own.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

CPP = """\
#include <vector>
#include <string>

namespace geo {

template <typename T>
class Box {
public:
    Box(T w, T h) : w_(w), h_(h) {}
    ~Box() { if (w_ > 0) { w_ = 0; } }
    Box(const Box&) = default;
    Box& operator=(Box&& other) noexcept;
    bool operator==(const Box& o) const { return w_ == o.w_ && h_ == o.h_; }
    virtual T area() const = 0;
    T scaled(T k) const { return k > 0 ? w_ * h_ * k : T{}; }
private:
    T w_, h_;
};

template <typename T>
Box<T>& Box<T>::operator=(Box&& other) noexcept
{
    if (this != &other) {
        w_ = other.w_;
    }
    return *this;
}

int classify(std::vector<int>&& xs, const std::string& label)
{
    // "case" in a comment, and in a string below
    std::string s = "if (a || b) case";
    int total = 0;
    for (int x : xs) {
        switch (x) {
        case 0:
            break;
        case 1:
            total += x > 3 ? 1 : 2;
            break;
        default:
            total--;
        }
    }
    auto pick = [&](int v) { return v > 0 || v < -10; };
    try {
        if (pick(total) and total) {
            throw 1;
        } else if (total == 0) {
            return 0;
        }
    } catch (const std::exception& e) {
        return -1;
    } catch (...) {
        return -2;
    }
    while (total > 0) total--;
    return total;
}

int* find(int* p, int n) { return n ? p : nullptr; }

const std::string& Label::text() const { return text_; }

void f() try { g(); } catch (...) { }

}  // namespace geo
"""


def test_cpp_members_operators_and_qualified_names() -> None:
    assert measure_functions("c++", CPP.encode()) == FileFunctions(
        functions=(
            FunctionMetrics(name="Box", start_line=9, end_line=9, ccn=1, parameters=2,
                            nesting=0),
            FunctionMetrics(name="~Box", start_line=10, end_line=10, ccn=2, parameters=0,
                            nesting=1),
            # `= default`, the declaration of operator= and the pure virtual `area` have
            # no body: no functions.
            FunctionMetrics(name="operator==", start_line=13, end_line=13, ccn=2,
                            parameters=1, nesting=0),
            FunctionMetrics(name="scaled", start_line=15, end_line=15, ccn=2, parameters=1,
                            nesting=0),
            # `Box&& other` is a reference, not a decision.
            FunctionMetrics(name="Box<T>::operator=", start_line=21, end_line=27, ccn=2,
                            parameters=1, nesting=1),
            # for, 2 case, ?:, the lambda's ||, if, else-if's if, 2 catch, while; the
            # alternative token `and` is no decision for lizard either
            FunctionMetrics(name="classify", start_line=29, end_line=59, ccn=11,
                            parameters=2, nesting=2),
            FunctionMetrics(name="find", start_line=61, end_line=61, ccn=2, parameters=2,
                            nesting=0),
            FunctionMetrics(name="Label::text", start_line=63, end_line=63, ccn=1,
                            parameters=0, nesting=0),
            # lizard: 1 here, and a function `catch` of CCN 1 after it.
            FunctionMetrics(name="f", start_line=65, end_line=65, ccn=2, parameters=0,
                            nesting=1),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_cpp_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"int ok(int a) { return a ? 1 : 2; }\nclass K { void broken( { }\n"
    measured = measure_functions("c++", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=1, ccn=2, parameters=1, nesting=0
    )
