"""sast.bandit: the real bandit on repositories built by the tests."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

import pytest
from sast_support import INSECURE, key, only_git, sast_measures

from assay.cache import ResultCache
from assay.checks.api import fingerprint
from assay.checks.sast._adapter import SastParams
from assay.checks.sast._issues import context_text
from assay.checks.sast._tools import ToolError, find_tool
from assay.checks.sast.bandit import BanditCheck, bandit_severity
from assay.engine import BoundCheck, Limits, run_checks
from assay.model import Severity
from assay.snapshot import open_snapshot
from support import as_data, run_product_check

try:
    BANDIT_VERSION = importlib.metadata.version("bandit")
except importlib.metadata.PackageNotFoundError:
    BANDIT_VERSION = "not installed"
needs_bandit = pytest.mark.skipif(
    find_tool("bandit") is None, reason="bandit is not installed (pip install 'assay[python]')"
)


def measures(**counts: Any) -> list[dict[str, Any]]:
    return sast_measures("sast.bandit", **{"suppressed": 0, **counts})


def bandit_finding(
    test: str,
    line: int,
    text: str,
    *,
    severity: str,
    cwe: int,
    bandit: tuple[str, str],
    context: tuple[str, ...],
    path: str = "app/danger.py",
) -> dict[str, Any]:
    rule = f"sast.bandit.{test}"
    return {
        "check_id": "sast.bandit",
        "rule": rule,
        "message": f"{path}:{line}: {text}",
        "severity": severity,
        "path": path,
        "start_line": line,
        "end_line": line,
        "fingerprint": fingerprint("sast.bandit", rule, path, key(*context)),
        "cwe": [cwe],
        "properties": {"tool_severity": bandit[0], "confidence": bandit[1]},
    }


EXPECTED_FINDINGS = [
    bandit_finding(
        "B404", 1, "Consider possible security implications associated with the subprocess module.",
        severity="low", cwe=78, bandit=("LOW", "HIGH"), context=("import subprocess",),
    ),
    bandit_finding(
        "B105", 5, "Possible hardcoded password: 'hunter2hunter2'",
        severity="low", cwe=259, bandit=("LOW", "MEDIUM"),
        context=('PASSWORD = "hunter2hunter2"',),
    ),
    bandit_finding(
        "B602", 10, "subprocess call with shell=True identified, security issue.",
        severity="high", cwe=78, bandit=("HIGH", "HIGH"),
        context=("class Runner:", "def run(self, cmd):",
                 "return subprocess.call(cmd, shell=True)"),
    ),
    bandit_finding(
        "B506", 14, "Use of unsafe yaml load. Allows instantiation of arbitrary objects. "
        "Consider yaml.safe_load().",
        severity="medium", cwe=20, bandit=("MEDIUM", "HIGH"),
        context=("def load(text):", "return yaml.load(text)"),
    ),
]  # fmt: skip


@needs_bandit
def test_insecure_code_gives_every_finding_with_cwe_and_measures(make_repo: Any) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE, "README.md": "# product\n"})
    assert run_product_check(BanditCheck(), repo) == {
        "findings": EXPECTED_FINDINGS,
        "measures": measures(analysed=1, low=2, medium=1, high=1),
        "not_applicable": None,
        "tool_versions": {"bandit": BANDIT_VERSION},
    }


def test_the_key_is_the_documented_context() -> None:
    lines = INSECURE.splitlines()
    assert context_text(lines, 10, 10) == (
        "class Runner:\ndef run(self, cmd):\nreturn subprocess.call(cmd, shell=True)"
    )


@needs_bandit
def test_lines_inserted_above_keep_every_identity(make_repo: Any) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE})
    before = run_product_check(BanditCheck(), repo)["findings"]
    shifted = '"""Tools."""\n\n# a comment\nimport os\n\n' + INSECURE.replace(
        "class Runner:\n", "class Runner:\n    name = 'runner'\n\n    # runs it\n"
    )
    repo.commit_files({"app/danger.py": shifted})
    after = run_product_check(BanditCheck(), repo)["findings"]
    assert [(f["rule"], f["fingerprint"]) for f in after if f["rule"] != "sast.bandit.B404"] == [
        (f["rule"], f["fingerprint"]) for f in before if f["rule"] != "sast.bandit.B404"
    ]
    assert [(f["rule"], f["start_line"]) for f in after] == [
        ("sast.bandit.B404", 6), ("sast.bandit.B105", 10), ("sast.bandit.B602", 18),
        ("sast.bandit.B506", 22),
    ]  # fmt: skip
    # The import moved below another line, but its own line and context did not change.
    assert after[0]["fingerprint"] == before[0]["fingerprint"]


@needs_bandit
def test_editing_the_offending_line_or_its_function_gives_a_new_identity(
    make_repo: Any,
) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE})
    before = {
        f["rule"]: f["fingerprint"] for f in run_product_check(BanditCheck(), repo)["findings"]
    }
    edited = INSECURE.replace("def run(self, cmd):", "def execute(self, cmd):").replace(
        "return yaml.load(text)", "return   yaml.load(text)\t"
    )
    repo.commit_files({"app/danger.py": edited})
    after = {
        f["rule"]: f["fingerprint"] for f in run_product_check(BanditCheck(), repo)["findings"]
    }
    changed = sorted(rule for rule in before if before[rule] != after[rule])
    # Inner white space is normalised, so the yaml.load line keeps its identity.
    assert changed == ["sast.bandit.B602"]


@needs_bandit
def test_the_same_issue_twice_in_one_block_is_told_apart_by_order(make_repo: Any) -> None:
    code = "import os\n\n\ndef go(a, b):\n    os.system(a)\n    os.system(a)\n"
    repo = make_repo("product", {"twice.py": code})
    found = run_product_check(BanditCheck(), repo)["findings"]
    rule = "sast.bandit.B605"
    base = key("def go(a, b):", "os.system(a)")
    assert [(f["rule"], f["start_line"], f["fingerprint"]) for f in found] == [
        (rule, 5, fingerprint("sast.bandit", rule, "twice.py", base)),
        (rule, 6, fingerprint("sast.bandit", rule, "twice.py", f"{base}#2")),
    ]


@needs_bandit
def test_a_commit_is_audited_without_a_checkout(make_repo: Any) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit_files({"app/danger.py": "print('fixed')\n"})
    snapshot = open_snapshot(repo.path, rev=first)
    try:
        output = as_data(BanditCheck().run(snapshot, SastParams()))
    finally:
        snapshot.close()
    assert output["findings"] == EXPECTED_FINDINGS


@needs_bandit
def test_a_file_bandit_cannot_parse_is_a_finding_and_symlinks_are_skipped(
    make_repo: Any,
) -> None:
    repo = make_repo("product", {"ok.py": "x = 1\n", "old.py": 'print "python 2"\n'})
    repo.symlink("link.py", "/etc/passwd")
    repo.commit()
    assert run_product_check(BanditCheck(), repo) == {
        "findings": [
            {
                "check_id": "sast.bandit",
                "rule": "sast.bandit.unparsable",
                "message": "old.py: bandit could not parse it "
                "(syntax error while parsing AST from file); it was not analysed",
                "severity": "low",
                "path": "old.py",
                "start_line": None,
                "end_line": None,
                "fingerprint": fingerprint("sast.bandit", "sast.bandit.unparsable", "old.py", ""),
                "cwe": [],
                "properties": {},
            }
        ],
        "measures": measures(analysed=1, unparsable=1, skipped={"symlink": 1}),
        "not_applicable": None,
        "tool_versions": {"bandit": BANDIT_VERSION},
    }


@needs_bandit
def test_nosec_is_honoured_and_counted_unless_the_policy_says_otherwise(make_repo: Any) -> None:
    # assay: ignore[secrets.generic-secret] a made-up value that bandit must see
    code = 'TOKEN = "s3cr3t-value"  # nosec B105\nPASSWORD = "abc"  # nosec\n'
    repo = make_repo("product", {"conf.py": code})
    assert run_product_check(BanditCheck(), repo)["measures"] == measures(analysed=1, suppressed=2)
    strict = run_product_check(BanditCheck(), repo, SastParams(honour_inline_suppressions=False))
    assert [(f["rule"], f["start_line"]) for f in strict["findings"]] == [
        ("sast.bandit.B105", 1), ("sast.bandit.B105", 2)
    ]  # fmt: skip
    assert strict["measures"] == measures(analysed=1, low=2, suppressed=0)


@needs_bandit
def test_large_files_are_skipped_and_counted(make_repo: Any) -> None:
    repo = make_repo("product", {"big.py": "x = 1\n" * 100, "small.py": "y = 2\n"})
    output = run_product_check(BanditCheck(), repo, SastParams(max_file_bytes=100))
    assert output["measures"] == measures(analysed=1, skipped={"too_large": 1})


def test_a_product_without_python_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("product", {"README.md": "# hi\n", "main.go": "package main\n"})
    assert run_product_check(BanditCheck(), repo) == {
        "findings": [],
        "measures": [],
        "not_applicable": "no Python files (*.py, *.pyw)",
        "tool_versions": {},
    }


def test_missing_bandit_gives_the_verdict_error_with_the_install_hint(
    make_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("product", {"app/danger.py": INSECURE})
    monkeypatch.setenv("PATH", str(only_git(tmp_path / "bin")))
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tmp_path / "bin"))
    with pytest.raises(ToolError) as raised:
        run_product_check(BanditCheck(), repo)
    assert raised.value.message == (
        "bandit is not installed; install it with: pip install 'assay[python]'"
    )
    snapshot = open_snapshot(repo.path)
    try:
        result = run_checks(
            snapshot,
            [BoundCheck(check=BanditCheck(), params=SastParams())],
            cache=ResultCache(None),
            limits=Limits(),
        )
    finally:
        snapshot.close()
    assert result.failures == {
        "sast.bandit": "sast.bandit failed: ToolError: bandit is not installed; "
        "install it with: pip install 'assay[python]'"
    }


def test_a_bandit_that_fails_is_an_error_naming_it(
    make_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("product", {"a.py": "x = 1\n"})
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "bandit"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "bandit 9.9.9"; exit 0; fi\n'
        'echo "ERROR: Bandit internal error running: boom" >&2\nexit 2\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tools))
    with pytest.raises(ToolError) as raised:
        run_product_check(BanditCheck(), repo)
    assert raised.value.message == (
        "bandit exited with code 2: ERROR: Bandit internal error running: boom"
    )


def test_bandit_json_of_another_shape_is_an_error(
    make_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo("product", {"a.py": "x = 1\n"})
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "bandit"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "bandit 9.9.9"; exit 0; fi\n'
        """echo '{"results": {"a": 1}, "errors": [], "metrics": {"_totals": {"nosec": 0}}}'\n"""
    )
    fake.chmod(0o755)
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tools))
    with pytest.raises(ToolError) as raised:
        run_product_check(BanditCheck(), repo)
    assert raised.value.message == (
        "bandit wrote JSON of an unexpected shape: results: expected a list"
    )


@pytest.mark.parametrize(
    ("severity", "confidence", "expected"),
    [
        ("HIGH", "HIGH", Severity.HIGH),
        ("HIGH", "MEDIUM", Severity.HIGH),
        ("HIGH", "LOW", Severity.MEDIUM),
        ("MEDIUM", "HIGH", Severity.MEDIUM),
        ("MEDIUM", "LOW", Severity.LOW),
        ("LOW", "HIGH", Severity.LOW),
        ("LOW", "LOW", Severity.INFO),
        ("UNDEFINED", "UNDEFINED", Severity.LOW),
    ],
)
def test_severity_mapping(severity: str, confidence: str, expected: Severity) -> None:
    assert bandit_severity(severity, confidence) == expected
