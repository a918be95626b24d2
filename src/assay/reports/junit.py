"""JUnit-style XML test reports, as the many tools that write them write them.

One reader serves pytest, Jest (jest-junit), Mocha (mocha-junit-reporter),
Maven Surefire/Failsafe, Gradle, go-junit-report, the .NET JUnit logger,
PHPUnit and Bazel/GoogleTest: the root is ``<testsuites>`` or ``<testsuite>``,
suites nest to any depth, and each ``<testcase>`` belongs to its innermost
suite. Only ``name`` is required of a test case.

A case's status comes from its children: ``<failure>`` (failed) before
``<error>`` (error) before ``<skipped>``; GoogleTest's ``status="notrun"`` or
``result="skipped"/"suppressed"`` also mean skipped. Several failures still make
one failed test. Surefire's ``<flakyFailure>``/``<flakyError>`` mean the test
failed, was rerun and passed: it passed, and is marked flaky;
``<rerunFailure>``/``<rerunError>`` accompany a final ``<failure>``/``<error>``
(failed on every run) and are marked flaky only if the case passed in the end.
Output (``<system-out>``, ``<system-err>``) and ``<properties>`` are ignored.

A case without a ``file`` takes the ``file`` of its innermost suite that has
one: mocha-junit-reporter and PHPUnit write the test file on the suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from assay.reports.limits import MAX_BYTES
from assay.reports.model import TestCase, TestReport, TestStatus
from assay.reports.values import parse_iso, parse_seconds
from assay.reports.xmldoc import XmlElement, attribute, parse_xml, required

MAX_MESSAGE = 500
_RERUNS = frozenset({"flakyFailure", "flakyError", "rerunFailure", "rerunError"})
_NOT_RUN_RESULTS = frozenset({"skipped", "suppressed"})
# Captured output can be most of a report's bytes; it is dropped while parsing.
_IGNORED = frozenset({"system-out", "system-err", "properties"})


def parse_junit(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> TestReport:
    """The test report in ``data``; ``source`` names it in errors."""
    root = parse_xml(
        data,
        source,
        max_bytes=max_bytes,
        roots={"testsuites", "testsuite"},
        kind="a JUnit report",
        skip=_IGNORED,
    )
    outermost = _Suite(name="", file=None)
    if root.name == "testsuite":
        outermost = _Suite(name=root.get("name") or "", file=root.get("file"))
    return TestReport(
        source=source,
        timestamp=_timestamp(root, source),
        cases=tuple(_cases(root, outermost, source)),
        declared_duration_s=attribute(root, "time", source, parse_seconds),
    )


@dataclass(frozen=True, kw_only=True)
class _Suite:
    """What a test case inherits from its innermost suite."""

    name: str
    file: str | None


def _cases(container: XmlElement, suite: _Suite, source: str) -> Iterator[TestCase]:
    for child in container.children:
        if child.name == "testsuite":
            inner = _Suite(name=child.get("name") or "", file=child.get("file") or suite.file)
            yield from _cases(child, inner, source)
        elif child.name == "testcase":
            yield _case(child, suite, source)


def _suites(container: XmlElement) -> Iterator[XmlElement]:
    """The container, then every suite inside it, in document order."""
    yield container
    for child in container.named("testsuite"):
        yield from _suites(child)


def _timestamp(root: XmlElement, source: str) -> datetime | None:
    """The first ``timestamp`` of the root or a suite, as reporters put it on either."""
    for suite in _suites(root):
        found = attribute(suite, "timestamp", source, parse_iso)
        if found is not None:
            return found
    return None


def _case(element: XmlElement, suite: _Suite, source: str) -> TestCase:
    status, evidence = _outcome(element)
    reruns = any(child.name in _RERUNS for child in element.children)
    return TestCase(
        suite=suite.name,
        classname=element.get("classname"),
        name=required(element, "name", source, str),
        file=element.get("file") or suite.file,
        status=status,
        duration_s=attribute(element, "time", source, parse_seconds),
        message=_message(evidence),
        flaky=reruns and status is TestStatus.PASSED,
    )


def _outcome(element: XmlElement) -> tuple[TestStatus, XmlElement | None]:
    """The status and the child element that explains it, if any."""
    for name, status in (
        ("failure", TestStatus.FAILED),
        ("error", TestStatus.ERROR),
        ("skipped", TestStatus.SKIPPED),
    ):
        found = element.child(name)
        if found is not None:
            return status, found
    if element.get("status") == "notrun" or element.get("result") in _NOT_RUN_RESULTS:
        return TestStatus.SKIPPED, None
    rerun = next((child for child in element.children if child.name in _RERUNS), None)
    return TestStatus.PASSED, rerun


def _message(evidence: XmlElement | None) -> str | None:
    """The ``message`` attribute, else the first non-blank line of the text."""
    if evidence is None:
        return None
    text = (evidence.get("message") or "").strip()
    if not text:
        lines = (line.strip() for line in evidence.text.splitlines())
        text = next((line for line in lines if line), "")
    return text[:MAX_MESSAGE] or None
