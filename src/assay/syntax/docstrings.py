"""Which public Python functions and classes have a docstring, read from the syntax tree.

Public means: a function or class at module level, or a method of a public class,
whose name does not start with an underscore. Methods named like ``__init__`` are
not counted (their class's docstring documents them), nor are functions defined
inside functions. A docstring is a string that is the first statement of the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from assay.syntax.parse import parse


@dataclass(frozen=True, kw_only=True, slots=True)
class Definition:
    kind: str  # "function" or "class"
    name: str  # qualified within the file: Class.method
    line: int
    documented: bool


_DEFINITIONS = {"function_definition": "function", "class_definition": "class"}


def public_definitions(data: bytes) -> list[Definition]:
    """The public functions and classes of a Python file, in order."""
    found: list[Definition] = []
    _walk(parse("python", data).root_node, "", found)
    return found


def _walk(block: Node, prefix: str, found: list[Definition]) -> None:
    for child in block.named_children:
        node = child
        if node.type == "decorated_definition":
            node = node.child_by_field_name("definition") or node
        kind = _DEFINITIONS.get(node.type)
        if kind is None:
            continue
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        name = (name_node.text or b"").decode("utf-8", "replace") if name_node else ""
        if not name or name.startswith("_") or body is None:
            continue  # private, magic, or broken: not part of the public surface
        found.append(Definition(kind=kind, name=prefix + name, line=node.start_point.row + 1,
                                documented=_has_docstring(body)))  # fmt: skip
        if kind == "class":
            _walk(body, f"{prefix}{name}.", found)


def _has_docstring(body: Node) -> bool:
    first = next((c for c in body.named_children if c.type != "comment"), None)
    if first is None or first.type != "expression_statement":
        return False
    expression = first.named_children[0] if first.named_children else None
    return expression is not None and expression.type in ("string", "concatenated_string")
