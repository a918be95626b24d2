"""maint.lint: the real ruff on repositories built by the tests; issues per thousand lines."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

import pytest

from assay.checks.maint.lint import LintCheck, LintParams
from assay.checks.sast._tools import ToolError
from assay.model import Measure
from support import expect, run_product_check

RUFF_VERSION = importlib.metadata.version("ruff")

APP = """\
import os
import sys  # noqa: F401


def check(value):
    # a comment line is not a line of code
    if value == None:
        return undefined_name
    l = 1
    return l
"""


def m(name: str, value: float, unit: str, **labels: str) -> Measure:
    return Measure(check_id="maint.lint", name=name, value=value, unit=unit, labels=labels)


def run(repo: Any, params: LintParams | None = None) -> dict[str, Any]:
    return run_product_check(LintCheck(), repo, params or LintParams())


def test_issues_per_thousand_lines_with_the_top_rules(make_repo: Any) -> None:
    repo = make_repo("p", {"app/core.py": APP, "app/ok.py": "X = 1\n", "README.md": "# p\n"})
    output = run(repo)
    # F401 os, E711 == None, F821 undefined_name, E741 l; sys is silenced by noqa.
    # Lines of code: 7 in core.py (the comment and the blank lines are not), 1 in ok.py.
    expected = expect(
        measures=[
            m("maint.lint.density", 500.0, "issues/kloc"),
            m("maint.lint.issues", 4, "issues"),
            m("maint.lint.lines", 8, "lines"),
            m("maint.lint.files_analysed", 2, "files"),
            m("maint.lint.files_unparsable", 0, "files"),
            m("maint.lint.issues", 1, "issues", rule="E711"),
            m("maint.lint.issues", 1, "issues", rule="E741"),
            m("maint.lint.issues", 1, "issues", rule="F401"),
            m("maint.lint.issues", 1, "issues", rule="F821"),
        ]
    )
    expected["tool_versions"] = {"ruff": RUFF_VERSION}
    assert output == expected


def test_noqa_can_be_ignored_and_rules_chosen(make_repo: Any) -> None:
    repo = make_repo("p", {"app/core.py": APP})
    output = run(repo, LintParams(select=["F401"], honour_inline_suppressions=False))
    assert [(x["name"], x["value"], x["labels"]) for x in output["measures"]] == [
        ("maint.lint.density", 285.71, {}),
        ("maint.lint.issues", 2, {}),
        ("maint.lint.lines", 7, {}),
        ("maint.lint.files_analysed", 1, {}),
        ("maint.lint.files_unparsable", 0, {}),
        ("maint.lint.issues", 2, {"rule": "F401"}),
    ]


def test_a_file_ruff_cannot_parse_is_counted_apart(make_repo: Any) -> None:
    repo = make_repo("p", {"bad.py": "def broken(:\n    pass\n", "good.py": "import os\n"})
    values = {(x["name"], tuple(x["labels"].items())): x["value"] for x in run(repo)["measures"]}
    assert values[("maint.lint.files_unparsable", ())] == 1
    assert values[("maint.lint.files_analysed", ())] == 1
    assert values[("maint.lint.lines", ())] == 1
    assert values[("maint.lint.issues", ())] == 1


def test_without_python_files_it_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("p", {"main.go": "package main\n"})
    assert run(repo) == expect(not_applicable="no Python files (*.py, *.pyi)")


def test_without_ruff_it_is_an_error_saying_how_to_install_it(
    make_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("p", {"app.py": "X = 1\n"})
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(empty))
    with pytest.raises(ToolError) as caught:
        run(repo)
    assert "ruff is not installed" in str(caught.value)
    assert "pip install 'assay[python]'" in str(caught.value)
