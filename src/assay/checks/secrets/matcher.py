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
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import re2

from assay.checks.secrets import prefilter
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


@dataclass(frozen=True, kw_only=True, slots=True)
class Survey:
    """What one pass of the set found in a file: which rules to run, and the marker."""

    rule_indexes: list[int]
    marked: bool  # the marker (the suppression comment's prefix) occurs in the file


def _name_test(globs: Sequence[str]) -> Callable[[str], object]:
    """One compiled test of a file name against all of ``globs``."""
    return re.compile("|".join(fnmatch.translate(glob) for glob in globs)).match


class Matcher:
    """The rules compiled once: a set to tell which rules match, and each rule alone.

    The set is a Hyperscan prefilter where one can be had (:mod:`.prefilter`), else
    an RE2 set; each rule alone is always RE2, which decides what is reported.

    Rules limited to some file names (``.npmrc``, ``.netrc``...) stay out of the set:
    they are run alone, and only on the files they are for. The set also carries
    ``marker``, a literal, so a file is searched for it in the same pass.
    """

    def __init__(self, rules: Sequence[Rule], *, marker: bytes = b"", fast: bool = True) -> None:
        self.rules = tuple(rules)
        self._fast = fast
        self._everywhere = [i for i, rule in enumerate(self.rules) if not rule.files]
        self._by_name = [(i, _name_test(rule.files)) for i, rule in enumerate(self.rules)
                         if rule.files]  # fmt: skip
        # One test for "some name-limited rule applies": asked of every file.
        self._any_name = _name_test([glob for rule in self.rules for glob in rule.files])
        self._set_patterns = [self.rules[index].pattern for index in self._everywhere]
        self._marker_index = len(self._everywhere) if marker else -1
        if marker:
            self._set_patterns.append(re.escape(marker.decode()))
        # Compiled on first use: with Hyperscan, the set is never needed, and most rules
        # never match (compiling them all would cost a worker more than its scan).
        self._compiled: list[Any] = [None] * len(self.rules)

    @functools.cached_property
    def _set(self) -> Any:
        compiled = re2.Set.SearchSet(_options(_SET_MAX_MEM))
        for pattern in self._set_patterns:
            compiled.Add(pattern)
        compiled.Compile()
        return compiled

    def _regex(self, index: int) -> Any:
        compiled = self._compiled[index]
        if compiled is None:
            compiled = self._compiled[index] = re2.compile(self.rules[index].pattern, _options())
        return compiled

    @functools.cached_property
    def batch_safe(self) -> bool:
        """Whether files joined by a line break match the set wherever one file alone does.

        Joined, a file no longer starts or ends the text: a pattern anchored to the text's
        start or end (``\\A``, ``\\z``, ``^`` or ``$`` outside multi-line mode) could miss
        there. The built-in rules use ``\\z`` only as the other branch of a class that a
        line break satisfies (``_END``); any other anchor makes the matcher scan file by
        file. A match that spans two files is harmless: those files are then scanned alone.
        """
        return all(_joinable(self.rules[index].pattern) for index in self._everywhere)

    @functools.cached_property
    def prefilter(self) -> prefilter.Prefilter | None:
        """A Hyperscan filter naming which of many files the set may match, if one can be had."""
        return prefilter.build(self._set_patterns) if self._fast else None

    def clean(self, data: bytes) -> bool:
        """True when no rule of the set (nor the marker) matches anywhere in ``data``."""
        return not self._set.Match(data)

    def named(self, name: str) -> bool:
        """Whether a rule limited to file names applies to a file of this name."""
        return bool(self._by_name) and self._any_name(name) is not None

    def survey(self, data: bytes, name: str) -> Survey:
        """Rules that match somewhere in ``data`` or are for file ``name``; and the marker.

        One pass over the bytes answers for every rule at once (Hyperscan's, which may
        name a rule too many but never one too few, or the RE2 set's); only the rules
        it names are run alone, to find where and what they matched.
        """
        fast = self.prefilter
        matched = fast.matching(data) if fast is not None else (self._set.Match(data) or ())
        marked = self._marker_index in matched
        indexes = [self._everywhere[k] for k in matched if k != self._marker_index]
        if self._by_name:
            indexes += [index for index, fits in self._by_name if fits(name)]
        indexes.sort()
        return Survey(rule_indexes=indexes, marked=marked)

    def hits(self, data: bytes, rule_indexes: Iterable[int]) -> Iterator[Hit]:
        """Every match of the given rules in ``data`` (UTF-8 bytes), rule by rule in order."""
        for index in rule_indexes:
            for found in self._regex(index).finditer(data):
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
def matcher_for(rules: tuple[Rule, ...], marker: bytes = b"") -> Matcher:
    """The matcher of a rule list, compiled once per process (the built-ins always hit)."""
    return Matcher(rules, marker=marker)


# The one form of text-end anchor the rules may use when files are joined: "a character
# of this class, or the end" - kept true by a line break when the class takes one.
_CLASS_OR_END = re.compile(r"\(\?:(\[(?:\\.|[^\]\\])*\])\|\\z\)")


def _joinable(pattern: str) -> bool:
    for found in _CLASS_OR_END.finditer(pattern):
        try:
            if not re.fullmatch(found.group(1), "\n"):
                return False
        except re.error:
            return False
    return not _anchored(_CLASS_OR_END.sub("", pattern))


def _anchored(pattern: str) -> bool:
    """Whether ``pattern`` anchors to the text's start or end (outside character classes)."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped == "Q" or (not in_class and escaped in ("A", "z", "Z")):
                return True  # \Q...\E quotes what this reading cannot follow: assume the worst
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 2 if pattern[index + 1 : index + 2] == "^" else 1
            index += 1 if pattern[index : index + 1] == "]" else 0  # a leading ] is literal
            continue
        elif char in "^$":
            return True
        index += 1
    return in_class  # a class left open: a pattern this reading does not understand
