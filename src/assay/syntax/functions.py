"""Functions of one file and their measures: cyclomatic complexity, lines, parameters, nesting.

One parse with tree-sitter, then two queries run in C: one finds the functions
(with their names and parameter lists), the other every decision token and every
nesting statement. Python then only sorts positions: each decision and each
nesting statement belongs to the innermost function around it, so a nested
function or a lambda counted as a function is measured on its own, as lizard does.

Cyclomatic complexity is 1 plus the decisions, the decisions being, per language,
the tokens lizard counts (``if``, loops, ``case``, ``catch``, ``&&``/``||``, the
conditional operator...), taken from the syntax tree rather than from a token
stream, so a keyword in a string or a comment never counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tree_sitter import Node, QueryCursor

from assay.syntax.languages import rules_for
from assay.syntax.parse import parse
from assay.syntax.rules import LanguageRules

ANONYMOUS = "(anonymous)"


@dataclass(frozen=True, kw_only=True, slots=True)
class FunctionMetrics:
    """One function (method, constructor, named closure) and its measures."""

    name: str
    start_line: int
    end_line: int
    ccn: int  # cyclomatic complexity: 1 + decisions
    parameters: int
    nesting: int  # deepest nesting of control statements inside it; 0 for none

    @property
    def lines(self) -> int:
        return self.end_line - self.start_line + 1


@dataclass(frozen=True, kw_only=True, slots=True)
class FileFunctions:
    functions: tuple[FunctionMetrics, ...]
    syntax_errors: bool  # the parser had to recover somewhere: some functions may be missed


@dataclass(kw_only=True, slots=True)
class _Open:
    """A function while its decisions and nesting statements are being counted."""

    node: Node
    name: str | None = None
    parameters: int | None = None  # counted from a parameter list
    lone_parameters: set[int] = field(default_factory=set)  # start bytes of lone parameters
    decisions: int = 0
    nesting: int = 0


def measure_functions(language: str, data: bytes) -> FileFunctions | None:
    """The functions of ``data`` (source in ``language``), or None if no grammar is known."""
    rules = rules_for(language)
    if rules is None:
        return None
    root = parse(language, data).root_node
    functions = _functions(rules, root)
    if functions:
        _count(rules, root, functions)
    return FileFunctions(
        functions=tuple(_metrics(f) for f in functions), syntax_errors=root.has_error
    )


def _functions(rules: LanguageRules, root: Node) -> list[_Open]:
    found: dict[tuple[int, int], _Open] = {}
    for _, captures in QueryCursor(rules.function_query()).matches(root):
        node = captures["function"][0]
        key = (node.start_byte, node.end_byte)
        function = found.get(key)
        if function is None:
            function = found[key] = _Open(node=node)
        # Several patterns can match one function (a declarator names an arrow
        # function, which has the parameters): the first name and list found stand.
        names = captures.get("name")
        if names and function.name is None:
            function.name = _text(names[0])
        params = captures.get("params")
        if params and params[0].type in rules.parameter_lists:
            if function.parameters is None:
                function.parameters = _parameter_count(rules, params[0])
        elif params:
            # Parameters captured one by one (Go's ``a, b int``): each distinct node is one.
            function.lone_parameters.update(p.start_byte for p in params)
    # Outer functions before the functions they contain.
    return sorted(found.values(), key=lambda f: (f.node.start_byte, -f.node.end_byte))


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _parameter_count(rules: LanguageRules, params: Node) -> int:
    count = 0
    for child in params.named_children:
        if child.type in rules.multi_name_parameters:
            count += max(1, len(child.children_by_field_name("name")))
        elif child.type not in rules.not_parameters:
            count += 1
    return count


def _count(rules: LanguageRules, root: Node, functions: list[_Open]) -> None:
    captures = QueryCursor(rules.body_query()).captures(root)
    _count_decisions(functions, captures.get("decision", []))
    flat = {(n.start_byte, n.end_byte) for n in captures.get("flat", [])}
    _count_nesting(functions, captures.get("nesting", []), flat)


def _innermost(functions: Sequence[_Open], positions: list[int]) -> list[_Open | None]:
    """For each sorted position, the innermost function whose span holds it."""
    owners: list[_Open | None] = []
    stack: list[_Open] = []
    index = 0
    for position in positions:
        while index < len(functions) and functions[index].node.start_byte <= position:
            while stack and stack[-1].node.end_byte <= functions[index].node.start_byte:
                stack.pop()
            stack.append(functions[index])
            index += 1
        while stack and stack[-1].node.end_byte <= position:
            stack.pop()
        owners.append(stack[-1] if stack else None)
    return owners


def _count_decisions(functions: list[_Open], decisions: list[Node]) -> None:
    positions = sorted(node.start_byte for node in decisions)
    for owner in _innermost(functions, positions):
        if owner is not None:
            owner.decisions += 1


def _count_nesting(
    functions: list[_Open], statements: list[Node], flat: set[tuple[int, int]]
) -> None:
    """Deepest nesting per function: a statement inside another of the same function is one
    level deeper, except an ``else if`` (``flat``), which continues the level it is on."""
    ordered = sorted(statements, key=lambda n: (n.start_byte, -n.end_byte))
    owners = _innermost(functions, [n.start_byte for n in ordered])
    open_statements: list[tuple[int, _Open, int]] = []  # (end byte, owner, level)
    for node, owner in zip(ordered, owners, strict=True):
        while open_statements and open_statements[-1][0] <= node.start_byte:
            open_statements.pop()
        if owner is None:
            continue
        around = next((lv for end, fn, lv in reversed(open_statements) if fn is owner), 0)
        level = around if (node.start_byte, node.end_byte) in flat else around + 1
        owner.nesting = max(owner.nesting, level)
        open_statements.append((node.end_byte, owner, level))


def _metrics(function: _Open) -> FunctionMetrics:
    node = function.node
    return FunctionMetrics(
        name=function.name or ANONYMOUS,
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        ccn=1 + function.decisions,
        parameters=(
            function.parameters
            if function.parameters is not None
            else len(function.lone_parameters)
        ),
        nesting=function.nesting,
    )
