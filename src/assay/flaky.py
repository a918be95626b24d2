"""Flaky tests across stored audits: one test, the same code, both passing and failing.

Each audit keeps the outcome of every test case in the reports it judged
(``Audit.test_outcomes``). Audits of a product are grouped by the tree they audited —
the same tree is the same code, whatever the commit — and a test that passed in one
audit of a tree and failed or errored in another of the same tree is flaky: its
outcome does not depend on the code alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from assay.model import Audit, TestOutcome


@dataclass(frozen=True, kw_only=True, slots=True)
class FlakyTest:
    test: str
    commit: str  # the newest commit audited with that tree
    passed: int  # audits of that tree in which it passed
    failed: int  # ... in which it failed or errored
    last_seen: datetime
    audits: tuple[str, ...] = field(default=())


def flaky_tests(audits: Iterable[Audit]) -> list[FlakyTest]:
    """Tests with both outcomes among audits of one tree, most recently seen first."""
    by_tree: dict[str, list[Audit]] = {}
    for audit in audits:
        if audit.source.tree and audit.test_outcomes:
            by_tree.setdefault(audit.source.tree, []).append(audit)
    found = [flaky for group in by_tree.values() if len(group) > 1 for flaky in _in_tree(group)]
    return sorted(found, key=lambda f: (-f.last_seen.timestamp(), f.test))


def _in_tree(audits: list[Audit]) -> list[FlakyTest]:
    newest = max(audits, key=lambda a: a.started_at)
    outcomes: dict[str, list[tuple[Audit, TestOutcome]]] = {}
    for audit in audits:
        for test, outcome in audit.test_outcomes.items():
            outcomes.setdefault(test, []).append((audit, outcome))
    flaky = []
    for test, seen in outcomes.items():
        passed = [a for a, o in seen if o is TestOutcome.PASSED]
        failed = [a for a, o in seen if o.failing]
        if passed and failed:
            involved = sorted({a.id for a, _ in seen})
            flaky.append(FlakyTest(test=test, commit=newest.source.commit or "",
                                   passed=len(passed), failed=len(failed),
                                   last_seen=max(a.started_at for a, _ in seen),
                                   audits=tuple(involved)))  # fmt: skip
    return flaky
