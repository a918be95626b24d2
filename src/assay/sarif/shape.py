"""Reading a parsed JSON document field by field, with the JSON path of every problem.

Reports written by other programs are data of unknown quality. Rather than trusting
their shape, readers walk them through :class:`Node`, which knows where it is
(``runs[0].results[3].locations``) and raises :class:`ShapeError` with that path when a
value is not of the kind expected. The caller adds the file name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class ShapeError(Exception):
    """A value of a JSON document is not of the expected kind; ``path`` says which."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path or 'top level'}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Node:
    """A value of a JSON document and its path from the top."""

    value: Any
    path: str = ""

    def fail(self, problem: str) -> ShapeError:
        return ShapeError(self.path, problem)

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("expected an object")
        return self.value

    def get(self, key: str) -> Node | None:
        """The member ``key`` of this object, or None when it is absent or null."""
        value = self.mapping().get(key)
        return None if value is None else Node(value, self.key_path(key))

    def require(self, key: str) -> Node:
        found = self.get(key)
        if found is None:
            raise ShapeError(self.key_path(key), "required, but absent")
        return found

    def items(self) -> Iterator[Node]:
        """The elements of this list."""
        if not isinstance(self.value, list):
            raise self.fail("expected a list")
        for index, value in enumerate(self.value):
            yield Node(value, f"{self.path}[{index}]")

    def list_at(self, key: str) -> list[Node]:
        """The elements of the list ``key`` (absent: none)."""
        found = self.get(key)
        return [] if found is None else list(found.items())

    def object_at(self, key: str) -> Node | None:
        found = self.get(key)
        if found is not None:
            found.mapping()
        return found

    def text(self) -> str:
        if not isinstance(self.value, str):
            raise self.fail("expected a string")
        return self.value

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail("expected an integer")
        return self.value

    def text_at(self, key: str) -> str | None:
        found = self.get(key)
        return None if found is None else found.text()

    def integer_at(self, key: str) -> int | None:
        found = self.get(key)
        return None if found is None else found.integer()
