"""measure_functions for C#: whole results computed by hand.

Every complexity below is lizard 1.24's on the same source, or one less where lizard
counts a `?` that is no conditional operator, or the decision of a local function
inside the method around it. lizard finds no accessor.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

CSHARP = """\
using System;
using System.Linq;

namespace Shapes
{
    public interface IShape
    {
        double Area(double scale);
    }

    public abstract class Base : IShape
    {
        public abstract double Area(double scale);

        protected Base(string name, int size)
        {
            Name = name ?? "none";
            Size = size > 0 ? size : 0;
        }

        ~Base() { }

        public string Name { get; }
        public int Size { get; }

        public int Total
        {
            get { return Size > 0 && Name != null ? Size : 0; }
        }

        public static Base operator +(Base a, Base b) => a.Size > b.Size ? a : b;

        public int Classify(int a, int b, params string[] rest)
        {
            var s = "if (a && b) case"; // if while catch
            if (a > 0 && b > 0 || a < -10)
            {
                for (int i = 0; i < a; i++)
                {
                    foreach (var r in rest)
                    {
                        while (b > i) { b--; }
                    }
                }
            }
            else if (a == 0)
            {
                return 0;
            }
            else
            {
                do { a++; } while (a < 0);
            }
            switch (b)
            {
                case 1:
                case 2:
                    return 1;
                default:
                    break;
            }
            Func<int, bool> pick = x => x > 1 || x < -1;
            int Local(int y) { return y > 0 ? y : -y; }
            try
            {
                return rest.Count(q => q.Length > 0) + Local(a);
            }
            catch (ArgumentException e) when (e.Message != null)
            {
                return -1;
            }
            catch (Exception)
            {
                return -2;
            }
            finally
            {
                Console.WriteLine();
            }
        }

        public string Kind(object o, string note) => note?.Length > 3 ? note : o switch
        {
            int n when n > 0 => "positive",
            string => "text",
            _ => "other",
        };
    }
}
"""


def test_csharp_members_local_functions_and_accessors() -> None:
    assert measure_functions("c#", CSHARP.encode()) == FileFunctions(
        functions=(
            # Interface and abstract methods have no body: no functions.
            FunctionMetrics(name="Base", start_line=15, end_line=19, ccn=3, parameters=2,
                            nesting=0),
            # The finalizer `~Base`, named without its tilde.
            FunctionMetrics(name="Base", start_line=21, end_line=21, ccn=1, parameters=0,
                            nesting=0),
            # Auto-properties have no body; a getter with one is measured.
            FunctionMetrics(name="Total", start_line=28, end_line=28, ccn=3, parameters=0,
                            nesting=0),
            FunctionMetrics(name="+", start_line=31, end_line=31, ccn=2, parameters=2,
                            nesting=0),
            # if && ||, for, while, else-if's if, do's while, 2 case, the lambda's ||,
            # 2 catch; `foreach` is no decision (nor for lizard). lizard: 14, with the
            # local function's ?: inside.
            FunctionMetrics(name="Classify", start_line=33, end_line=80, ccn=13,
                            parameters=3, nesting=4),
            FunctionMetrics(name="Local", start_line=63, end_line=63, ccn=2, parameters=1,
                            nesting=0),
            # ?: only: lizard 3, counting the `?` of `?.` too. No arm of a switch
            # expression is a decision, for lizard either.
            FunctionMetrics(name="Kind", start_line=82, end_line=87, ccn=2, parameters=2,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


INDEXERS = """\
class Grid
{
    int X => a ? 1 : 2;
    int this[int i, int j] { get { return i > j ? i : j; } set => cells = value; }
    public static implicit operator int(Grid g) => g.X;
    void Fill(int? seed) { var f = delegate (int z) { return z > 0 || seed == null; }; }
}
"""


def test_csharp_indexers_conversions_and_anonymous_methods() -> None:
    assert measure_functions("c#", INDEXERS.encode()) == FileFunctions(
        functions=(
            FunctionMetrics(name="X", start_line=3, end_line=3, ccn=2, parameters=0,
                            nesting=0),
            FunctionMetrics(name="this", start_line=4, end_line=4, ccn=2, parameters=2,
                            nesting=0),
            FunctionMetrics(name="this", start_line=4, end_line=4, ccn=1, parameters=2,
                            nesting=0),
            FunctionMetrics(name="int", start_line=5, end_line=5, ccn=1, parameters=1,
                            nesting=0),
            # The anonymous method counts toward Fill; `int?` is no decision.
            FunctionMetrics(name="Fill", start_line=6, end_line=6, ccn=2, parameters=1,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_csharp_syntax_error_keeps_the_methods_before_it() -> None:
    source = b"class K\n{\n    int Ok(int a) => a ?? 0;\n    void Broken( {\n}\n"
    measured = measure_functions("c#", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="Ok", start_line=3, end_line=3, ccn=2, parameters=1, nesting=0
    )
