"""Ruby: methods (``def name``) and singleton methods (``def self.name``), nested ones too.

Blocks and lambdas count toward the method around them, as lizard has it.

The decisions are lizard's Ruby tokens: ``if``, ``elsif``, ``while``, ``until``, ``for``,
``rescue``, ``ensure``, ``when``, ``and``/``or``/``&&``/``||`` and the conditional
``?``, whether a keyword opens a statement or modifies one (``x if y``,
``x rescue nil``). ``unless`` and ``case`` are not decisions there, so neither here.
"""

from __future__ import annotations

from assay.syntax.rules import LanguageRules

RUBY = LanguageRules(
    module="tree_sitter_ruby",
    functions="""
    (method name: (_) @name parameters: (method_parameters)? @params) @function
    (singleton_method name: (_) @name parameters: (method_parameters)? @params) @function
    """,
    # A modifier (`x if y`) is a decision but no nesting: it holds one statement.
    body="""
    ["if" "elsif" "while" "until" "for" "rescue" "ensure" "when"] @decision
    (binary operator: ["and" "or" "&&" "||"] @decision)
    (conditional "?" @decision)
    [(if) (unless) (while) (until) (for) (case) (case_match) (begin)] @nesting
    """,
    parameter_lists=frozenset({"method_parameters"}),
)

RULES = {"ruby": RUBY}
