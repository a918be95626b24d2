"""measure_functions for Ruby: whole results computed by hand.

Every complexity below equals lizard 1.24's on the same source. (lizard ends a
method at the `end` of an `until` loop, of a `case`, or of an `if` that opens a
`for` body: the `until` here is a modifier, the `case` ends its method, the `for`
body starts with a call.)
"""

from __future__ import annotations

from assay.syntax.functions import FileFunctions, FunctionMetrics, measure_functions

RUBY = """\
# A shape registry; "if" and "while" in this comment do not count.
module Shapes
  class Registry
    attr_reader :items

    def initialize(items = [], strict: false)
      @items = items
      @strict = strict || false
    end

    def classify(a, b, *rest, **opts, &block)
      label = "if a && b while"
      if a > 0 && b > 0 || a < -10
        a.times do |i|
          puts i if i.even?
        end
      elsif a.zero? and b.zero?
        return :zero
      else
        b -= 1 while b > 100
      end
      unless rest.empty?
        label = rest.first
      end
      a += 1 until a > 10
      for x in rest
        puts x
        if x.nil? or x == ""
          next
        end
      end
      total = rest.map { |r| r.size > 2 ? r.size : 0 }.sum
      check = ->(v) { v > 0 && v < 9 }
      begin
        Integer(label)
      rescue ArgumentError => e
        raise e if @strict
      rescue TypeError
        nil
      ensure
        @items << total
      end
      case b
      when 1, 2 then :small
      when 3 then :medium
      else :large
      end
    end

    def self.build(*args)
      def helper(x)
        x.empty? ? nil : x
      end
      new(helper(args))
    end
  end
end
"""


def test_ruby_methods_singletons_and_nested_defs() -> None:
    assert measure_functions("ruby", RUBY.encode()) == FileFunctions(
        functions=(
            FunctionMetrics(name="initialize", start_line=6, end_line=9, ccn=2,
                            parameters=2, nesting=0),
            # if && ||, the block's modifier if, elsif and, the while modifier, 2 when,
            # the until modifier, for, if or, the block's ?:, the lambda's &&, 2 rescue,
            # the rescue's modifier if, ensure. `unless` and `case` are no decisions.
            FunctionMetrics(name="classify", start_line=11, end_line=48, ccn=20,
                            parameters=5, nesting=2),
            FunctionMetrics(name="build", start_line=50, end_line=55, ccn=1, parameters=1,
                            nesting=0),
            # `empty?` is a method name: only the conditional's ? counts.
            FunctionMetrics(name="helper", start_line=51, end_line=53, ccn=2,
                            parameters=1, nesting=0),
        ),
        syntax_errors=False,
    )  # fmt: skip


def test_ruby_syntax_error_keeps_the_methods_before_it() -> None:
    source = b"def ok(a)\n  a or 1\nend\n\ndef broken(\n  if\nend\n"
    measured = measure_functions("ruby", source)
    assert measured is not None
    assert measured.syntax_errors is True
    assert measured.functions[0] == FunctionMetrics(
        name="ok", start_line=1, end_line=3, ccn=2, parameters=1, nesting=0
    )
