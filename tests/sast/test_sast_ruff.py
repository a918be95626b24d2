"""sast.ruff: the real ruff (security rules S) on repositories built by the tests."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sast_support import INSECURE, key, sast_measures

from assay.checks.api import fingerprint
from assay.checks.sast._adapter import SastParams
from assay.checks.sast._ruff_rules import RUFF_RULES
from assay.checks.sast._tools import ToolError, find_tool
from assay.checks.sast.ruff import RuffCheck
from support import run_product_check

try:
    RUFF_VERSION = importlib.metadata.version("ruff")
except importlib.metadata.PackageNotFoundError:
    RUFF_VERSION = "not installed"
needs_ruff = pytest.mark.skipif(
    find_tool("ruff") is None, reason="ruff is not installed (pip install 'assay[python]')"
)


def measures(**counts: Any) -> list[dict[str, Any]]:
    return sast_measures("sast.ruff", **counts)


def ruff_finding(
    code: str, line: int, text: str, *, severity: str, cwe: int, context: tuple[str, ...],
    path: str = "app/danger.py",
) -> dict[str, Any]:  # fmt: skip
    rule = f"sast.ruff.{code}"
    return {
        "check_id": "sast.ruff",
        "rule": rule,
        "message": f"{path}:{line}: {text}",
        "severity": severity,
        "path": path,
        "start_line": line,
        "end_line": line,
        "fingerprint": fingerprint("sast.ruff", rule, path, key(*context)),
        "cwe": [cwe],
        "properties": {"bandit_test": "B" + code[1:]},
    }


EXPECTED_FINDINGS = [
    ruff_finding(
        "S105", 5, 'Possible hardcoded password assigned to: "PASSWORD"',
        severity="low", cwe=259, context=('PASSWORD = "hunter2hunter2"',),
    ),
    ruff_finding(
        "S602", 10, "`subprocess` call with `shell=True` identified, security issue",
        severity="high", cwe=78,
        context=("class Runner:", "def run(self, cmd):",
                 "return subprocess.call(cmd, shell=True)"),
    ),
    ruff_finding(
        "S506", 14, "Probable use of unsafe `yaml.load`. Allows instantiation of arbitrary "
        "objects. Consider `yaml.safe_load`.",
        severity="medium", cwe=20, context=("def load(text):", "return yaml.load(text)"),
    ),
]  # fmt: skip


@needs_ruff
def test_insecure_code_gives_every_finding_with_the_cwe_of_the_bandit_test(
    make_repo: Any,
) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE, "README.md": "# product\n"})
    assert run_product_check(RuffCheck(), repo) == {
        "findings": EXPECTED_FINDINGS,
        "measures": measures(analysed=1, low=1, medium=1, high=1),
        "not_applicable": None,
        "tool_versions": {"ruff": RUFF_VERSION},
    }


@needs_ruff
def test_lines_inserted_above_keep_every_identity(make_repo: Any) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE})
    before = run_product_check(RuffCheck(), repo)["findings"]
    repo.commit_files({"app/danger.py": '"""Tools."""\n\nimport os\n\n' + INSECURE})
    after = run_product_check(RuffCheck(), repo)["findings"]
    assert [(f["fingerprint"], f["start_line"]) for f in after] == [
        (f["fingerprint"], f["start_line"] + 4) for f in before
    ]


@needs_ruff
def test_the_products_ruff_configuration_cannot_switch_rules_off(make_repo: Any) -> None:
    repo = make_repo(
        "product",
        {
            "app/danger.py": INSECURE,
            "ruff.toml": '[lint]\nignore = ["S"]\nexclude = ["app"]\n',
            "pyproject.toml": '[tool.ruff]\nextend-exclude = ["app"]\n',
        },
    )
    assert run_product_check(RuffCheck(), repo)["findings"] == EXPECTED_FINDINGS


@needs_ruff
def test_files_in_folders_ruff_excludes_by_default_are_analysed(make_repo: Any) -> None:
    code = 'PASSWORD = "hunter2hunter2"\n'
    repo = make_repo("product", {"build/gen.py": code, "venv/x.py": code, "stubs/a.pyi": code})
    output = run_product_check(RuffCheck(), repo)
    assert [f["path"] for f in output["findings"]] == ["build/gen.py", "stubs/a.pyi", "venv/x.py"]
    assert output["measures"] == measures(analysed=3, low=3)


@needs_ruff
def test_a_file_ruff_cannot_parse_is_one_finding(make_repo: Any) -> None:
    repo = make_repo("product", {"ok.py": "x = 1\n", "bad.py": "def f(:\n    pass\n"})
    assert run_product_check(RuffCheck(), repo) == {
        "findings": [
            {
                "check_id": "sast.ruff",
                "rule": "sast.ruff.unparsable",
                "message": "bad.py: ruff could not parse it (syntax error: Expected a parameter "
                "or the end of the parameter list); it was not analysed",
                "severity": "low",
                "path": "bad.py",
                "start_line": None,
                "end_line": None,
                "fingerprint": fingerprint("sast.ruff", "sast.ruff.unparsable", "bad.py", ""),
                "cwe": [],
                "properties": {},
            }
        ],
        "measures": measures(analysed=1, unparsable=1),
        "not_applicable": None,
        "tool_versions": {"ruff": RUFF_VERSION},
    }


@needs_ruff
def test_noqa_is_honoured_unless_the_policy_says_otherwise(make_repo: Any) -> None:
    repo = make_repo("product", {"conf.py": 'PASSWORD = "hunter2hunter2"  # noqa: S105\n'})
    assert run_product_check(RuffCheck(), repo)["findings"] == []
    strict = run_product_check(RuffCheck(), repo, SastParams(honour_inline_suppressions=False))
    assert [(f["rule"], f["start_line"]) for f in strict["findings"]] == [("sast.ruff.S105", 1)]


def test_a_product_without_python_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("product", {"main.go": "package main\n", "tool.pyw": "x = 1\n"})
    assert run_product_check(RuffCheck(), repo)["not_applicable"] == "no Python files (*.py, *.pyi)"


def test_missing_ruff_is_an_error_with_the_install_hint(
    make_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("product", {"a.py": "x = 1\n"})
    tools = tmp_path / "bin"
    tools.mkdir()
    git = shutil.which("git")
    assert git is not None
    (tools / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tools))
    with pytest.raises(ToolError) as raised:
        run_product_check(RuffCheck(), repo)
    assert raised.value.message == (
        "ruff is not installed; install it with: pip install 'assay[python]'"
    )


def test_a_rule_newer_than_the_table_is_medium_without_cwe(
    make_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("product", {"a.py": "x = 1\n"})
    tools = tmp_path / "tools"
    tools.mkdir()
    diagnostic = {
        "code": "S999", "message": "something new", "filename": "./a.py",
        "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 6},
    }  # fmt: skip
    fake = tools / "ruff"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "ruff 9.9.9"; exit 0; fi\n'
        f"echo '{json.dumps([diagnostic])}'\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tools))
    output = run_product_check(RuffCheck(), repo)
    assert output["findings"] == [
        {
            "check_id": "sast.ruff",
            "rule": "sast.ruff.S999",
            "message": "a.py:1: something new",
            "severity": "medium",
            "path": "a.py",
            "start_line": 1,
            "end_line": 1,
            "fingerprint": fingerprint("sast.ruff", "sast.ruff.S999", "a.py", key("x = 1")),
            "cwe": [],
            "properties": {},
        }
    ]
    assert output["tool_versions"] == {"ruff": "9.9.9"}


def installed_ruff_s_rules() -> set[str]:
    ruff = find_tool("ruff")
    assert ruff is not None
    listed = subprocess.run(
        [str(ruff), "rule", "--all", "--output-format", "json"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return {
        rule["code"]
        for rule in json.loads(listed)
        if rule["linter"] == "flake8-bandit" and rule["code"]
    }


@needs_ruff
def test_the_table_covers_exactly_the_installed_ruffs_security_rules() -> None:
    assert sorted(RUFF_RULES) == sorted(installed_ruff_s_rules())


@pytest.mark.filterwarnings("ignore:The verify_requirements argument")
def test_the_table_agrees_with_bandits_own_blacklist_cwes() -> None:
    blacklists = pytest.importorskip("bandit.blacklists", reason="bandit is not installed")
    calls, imports = blacklists.calls, blacklists.imports

    bandit_cwe = {
        item["id"]: item["cwe"]
        for listing in (calls.gen_blacklist(), imports.gen_blacklist())
        for items in listing.values()
        for item in items
    }
    table = {rule.bandit_test: rule.cwe for rule in RUFF_RULES.values()}
    assert {test: table[test] for test in bandit_cwe if test in table} == bandit_cwe
