"""One RE2 multi-pattern matcher over every rule, then each hit rule alone for its values.

``re2.Set`` (RE2::Set, unanchored) answers in one linear pass over a file which rules
match anywhere in it; only those rules' own compiled RE2 patterns are then run to
find where and what. RE2 guarantees time linear in the input for any pattern it
accepts, and it refuses the constructs that would need backtracking
(backreferences, lookaround), so a company's pattern cannot hang an audit.
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import re2

from assay.checks.secrets.rules import Rule

# RE2::Set builds one DFA for all patterns; give it room so a large file never makes
# it give up (it would then report no match at all).
_SET_MAX_MEM = 256 << 20


def _options(max_mem: int | None = None) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on stderr
    if max_mem is not None:
        options.max_mem = max_mem
    return options


def pattern_problem(pattern: str) -> str | None:
    """Why RE2 refuses ``pattern`` as a rule (its own message), or None if it is fine."""
    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        return message.decode() if isinstance(message, bytes) else str(message)
    groups = int(compiled.groups)
    if groups != 1:
        return f"the pattern must have exactly one capture group (the secret), it has {groups}"
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class Hit:
    """One match of one rule: byte offsets of the whole match and of the secret value."""

    rule_index: int
    start: int
    end: int
    value_start: int
    value_end: int


class Matcher:
    """The rules compiled once: a set to tell which rules match, and each rule alone."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._set = re2.Set.SearchSet(_options(_SET_MAX_MEM))
        for rule in self.rules:
            self._set.Add(rule.pattern)
        self._set.Compile()
        self._compiled = [re2.compile(rule.pattern, _options()) for rule in self.rules]

    def rules_for(self, data: bytes, name: str) -> list[int]:
        """Indexes of the rules that match somewhere in ``data`` and fit the file name.

        One pass of the RE2 set over the bytes answers for every rule at once; only
        the rules it names are run alone, to find where and what they matched.
        """
        matched = self._set.Match(data)
        if not matched:
            return []
        return [
            index
            for index in sorted(matched)
            if not self.rules[index].files
            or any(fnmatch.fnmatchcase(name, g) for g in self.rules[index].files)
        ]

    def hits(self, data: bytes, path: str) -> Iterator[Hit]:
        """Every match of every rule in ``data`` (UTF-8 bytes), rule by rule in order."""
        for index in self.rules_for(data, posixpath.basename(path)):
            for found in self._compiled[index].finditer(data):
                value_start, value_end = found.span(1)
                if value_start < 0:
                    continue
                yield Hit(
                    rule_index=index,
                    start=found.start(),
                    end=found.end(),
                    value_start=value_start,
                    value_end=value_end,
                )


@functools.cache
def matcher_for(rules: tuple[Rule, ...]) -> Matcher:
    """The matcher of a rule list, compiled once per process (the built-ins always hit)."""
    return Matcher(rules)
