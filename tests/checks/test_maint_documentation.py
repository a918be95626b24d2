"""maint.docstrings and maint.readme-sections: documentation a user and a maintainer need."""

from __future__ import annotations

from typing import Any

import pytest

from assay.checks.api import FileInput, FileResult, finding
from assay.checks.maint.docstrings import DocstringsCheck, DocstringsParams
from assay.checks.maint.readme import ReadmeSectionsCheck, ReadmeSectionsParams, headings
from assay.model import EntryKind, FileEntry, Measure, Severity
from support import expect, run_product_check


def scan(path: str, text: str) -> FileResult:
    entry = FileEntry(path=path, kind=EntryKind.FILE, blob_id="1" * 40, size=len(text),
                      language="python")  # fmt: skip
    return DocstringsCheck().scan(FileInput(entry=entry, data=text.encode(), language="python"),
                                  DocstringsParams())  # fmt: skip


def test_docstring_coverage_counts_public_definitions_outside_tests() -> None:
    results = {
        "app/core.py": scan("app/core.py", 'def a():\n    """Doc."""\n\ndef b():\n    pass\n'),
        "app/models.py": scan("app/models.py", 'class M:\n    """Doc."""\n'),
        "tests/test_core.py": scan("tests/test_core.py", "def test_a():\n    pass\n"),
    }
    assert dict(results["app/core.py"].facts) == {
        "public": 2, "documented": 1, "missing": [["b", 4]],
    }  # fmt: skip
    assert dict(results["tests/test_core.py"].facts) == {"excluded": True}
    output = DocstringsCheck().summarize(results, DocstringsParams())
    assert [m.model_dump() for m in output.measures] == [
        Measure(check_id="maint.docstrings", name=name, value=value, unit=unit).model_dump()
        for name, value, unit in [
            ("maint.docstrings.coverage", 66.67, "%"),
            ("maint.docstrings.public", 3, "definitions"),
            ("maint.docstrings.documented", 2, "definitions"),
        ]
    ]


def test_no_public_definition_is_not_applicable() -> None:
    output = DocstringsCheck().summarize({"a.py": scan("a.py", "X = 1\n")}, DocstringsParams())
    assert output.not_applicable == "no public Python function or class outside tests"


MARKDOWN = """\
Shop
====

What it is.

## Installation

pip install shop

Usage
-----

    shop serve
"""

RST = """\
Shop
####

Getting started
===============

Run ``shop serve``.
"""


def test_headings_of_markdown_rst_and_asciidoc() -> None:
    assert headings(MARKDOWN) == ["Shop", "Installation", "Usage"]
    assert headings(RST) == ["Shop", "Getting started"]
    assert headings("= Shop\n\n== Install it\n\ntext\n") == ["Shop", "Install it"]


@pytest.mark.parametrize(
    ("name", "text", "missing"),
    [
        ("README.md", MARKDOWN, []),
        ("README.rst", RST, []),  # "Getting started" covers both
        ("README.md", "# Shop\n\n## Usage\n\nshop run\n", ["installation"]),
        ("README", "Shop\n\nJust text, no headings at all.\n", ["installation", "usage"]),
    ],
)
def test_readme_sections(make_repo: Any, name: str, text: str, missing: list[str]) -> None:
    repo = make_repo("p", {name: text})
    check = ReadmeSectionsCheck()
    params = ReadmeSectionsParams()
    words = params.topics
    findings = [
        finding("maint.readme-sections", "maint.readme-section-missing",
                f"{name} has no section on {topic} (no heading with "
                f"'{words[topic][0]}' or '{words[topic][1]}' or a related word)",
                severity=Severity.LOW, path=name, key=topic)
        for topic in missing
    ]  # fmt: skip
    titles = len(headings(text))
    assert run_product_check(check, repo) == expect(
        findings=findings,
        measures=[
            Measure(check_id="maint.readme-sections", name="maint.readme.topics_covered",
                    value=2 - len(missing), unit="topics"),
            Measure(check_id="maint.readme-sections", name="maint.readme.headings",
                    value=titles, unit="headings"),
        ],
    )  # fmt: skip


def test_no_readme_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("p", {"main.py": "print(1)\n"})
    assert run_product_check(ReadmeSectionsCheck(), repo) == expect(
        not_applicable="no readable README at the repository root"
    )
