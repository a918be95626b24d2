"""measure_functions for PHP: whole results computed by hand.

Cross-checked with lizard 1.24 on the same source less its two bodiless methods
(lizard takes each for the start of the next method): `classify` equals lizard's;
`__construct` is one less, lizard counting the `?` of the nullable type `?string`;
`helper` is one less, lizard counting its nested function's `?:` in it.
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

PHP = """\
<?php
declare(strict_types=1);

namespace Shapes;

interface Shape
{
    public function area(float $scale): float;
}

abstract class Base implements Shape
{
    abstract protected function name(): string;

    public function __construct(private int $size = 0, ?string $label = null)
    {
        $this->size = $size > 0 ? $size : 0;
    }

    public function classify(int $a, int $b, string ...$rest): int
    {
        $s = "if ($a && $b) foreach case"; // if while catch
        if ($a > 0 && $b > 0 || $a < -10) {
            for ($i = 0; $i < $a; $i++) {
                foreach ($rest as $r) {
                    while ($b > $i) {
                        $b--;
                    }
                }
            }
        } elseif ($a === 0) {
            return 0;
        } else if ($a === 1) {
            return 1;
        } else {
            do {
                $a++;
            } while ($a < 0);
        }
        switch ($b) {
            case 1:
            case 2:
                return 1;
            default:
                break;
        }
        $pick = fn($x) => $x > 1 || $x < -1;
        $check = function ($y) use ($a) {
            return $y > $a and $y < 100;
        };
        try {
            $kind = match (true) {
                $a > 1 => 'big',
                default => 'small',
            };
        } catch (\\InvalidArgumentException | \\TypeError $e) {
            return -1;
        } catch (\\Exception $e) {
            return -2;
        } finally {
            echo $a ?? 0;
        }
        return $a ?: $b;
    }
}

function helper($x)
{
    function inner($y) { return $y ? 1 : 2; }
    return inner($x);
}
"""


def test_php_methods_functions_and_closures() -> None:
    assert measure_functions("php", PHP.encode()) == FileFunctions(
        functions=(
            # The interface's `area` and the abstract `name` have no body: no functions.
            # A promoted property is a parameter.
            FunctionMetrics(name="__construct", start_line=15, end_line=18, ccn=2,
                            parameters=2, nesting=0),
            # if && ||, for, foreach, while, elseif, else-if's if, do's while, 2 case,
            # the arrow function's ||, match, 2 catch. Not decisions: the closure's `and`,
            # `??` and the short ternary `?:`.
            FunctionMetrics(name="classify", start_line=20, end_line=64, ccn=16,
                            parameters=3, nesting=4),
            FunctionMetrics(name="helper", start_line=67, end_line=71, ccn=1, parameters=1,
                            nesting=0),
            FunctionMetrics(name="inner", start_line=69, end_line=69, ccn=2, parameters=1,
                            nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_php_syntax_error_keeps_the_functions_before_it() -> None:
    source = b"<?php\nfunction ok($a)\n{\n    return $a || 1;\n}\n\nfunction broken( {\n"
    measured = measure_functions("php", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=2, end_line=5, ccn=2, parameters=1, nesting=0
    )
