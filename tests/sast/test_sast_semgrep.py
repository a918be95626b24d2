"""sast.semgrep: runs only with local rule files, and only when semgrep is installed.

Semgrep is not a dependency of Assay, nor of its test environment: `.ci/tools.sh`
installs it in a venv of its own and `.ci/test.sh` points ``ASSAY_TEST_TOOLS`` at it,
so the last test runs the real semgrep. Its absence and the not-applicable case are
tested as they are; the finer points of how the adapter reads semgrep's JSON are also
tested with a stand-in executable that records its command line and answers with a
document in the shape of ``semgrep scan --json``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from sast_support import key, only_git, sast_measures

from assay.checks.api import fingerprint
from assay.checks.sast._tools import ToolError
from assay.checks.sast.semgrep import SemgrepCheck, SemgrepParams, semgrep_severity
from assay.errors import ConfigError
from assay.model import Severity
from support import run_product_check

RULES = """\
rules:
  - id: no-eval
    languages: [python]
    severity: ERROR
    message: eval of data
    pattern: eval(...)
    metadata:
      cwe: ["CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code"]
"""
HOST_RULES = """\
rules:
  - id: company.no-pickle
    languages: [python]
    severity: WARNING
    message: pickle
    pattern: pickle.loads(...)
"""
CODE = "import pickle\n\n\ndef run(data):\n    return eval(data)\n"

# What the stand-in prints: semgrep's JSON, with {target} replaced by the folder scanned.
ANSWER = {
    "version": "1.86.0",
    "results": [
        {
            # Semgrep prefixes the ids of a rule file with the folders of its path.
            "check_id": "tmp.assay-semgrep-rules-x.no-eval",
            "path": "{target}/app/main.py",
            "start": {"line": 5, "col": 12, "offset": 60},
            "end": {"line": 5, "col": 22, "offset": 70},
            "extra": {
                "message": "eval of data",
                "severity": "ERROR",
                "metadata": {"cwe": ["CWE-95: Improper Neutralization of Directives"]},
                "lines": "requires login",
            },
        },
        {
            "check_id": "company.no-pickle",
            "path": "{target}/app/main.py",
            "start": {"line": 1, "col": 1},
            "end": {"line": 1, "col": 14},
            "extra": {"message": "pickle", "severity": "WARNING", "metadata": {}},
        },
    ],
    "errors": [
        {
            "level": "warn",
            "type": "Syntax error",
            "message": "Syntax error at line 1",
            "path": "{target}/broken.py",
        },
    ],
    "paths": {"scanned": ["{target}/app/main.py", "{target}/broken.py", "{target}/README.md"]},
}

STAND_IN = """\
#!{python}
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
if sys.argv[1:] == ["--version"]:
    print("1.86.0")
    sys.exit(0)
target = sys.argv[-1]
configs = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--config"]
record = {{
    "args": sys.argv[1:-1],
    "rules": [open(name).read() for name in configs],
    "files": sorted(
        os.path.relpath(os.path.join(d, f), target)
        for d, _, fs in os.walk(target) for f in fs
    ),
}}
with open(os.path.join(here, "record.json"), "w") as out:
    json.dump(record, out)
with open(os.path.join(here, "answer.json")) as answer:
    print(answer.read().replace("{{target}}", target))
sys.exit(int(os.environ.get("STAND_IN_EXIT", "0")))
"""


@pytest.fixture
def no_semgrep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = only_git(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tools))


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the stand-in semgrep, its answer, and (after a run) its record."""
    tools = tmp_path / "tools"
    tools.mkdir()
    script = tools / "semgrep"
    script.write_text(STAND_IN.format(python=sys.executable))
    script.chmod(0o755)
    (tools / "answer.json").write_text(json.dumps(ANSWER))
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tools))
    return tools


def product(make_repo: Any) -> Any:
    return make_repo(
        "product",
        {
            "app/main.py": CODE,
            "broken.py": "def f(:\n",
            "README.md": "# product\n",
            ".semgrepignore": "app/\n",
            ".semgrep/rules.yml": RULES,
        },
    )


def test_without_rule_files_the_check_is_not_applicable(make_repo: Any, no_semgrep: None) -> None:
    repo = make_repo("product", {"app/main.py": CODE})
    assert run_product_check(SemgrepCheck(), repo) == {
        "findings": [],
        "measures": [],
        "not_applicable": "no semgrep rule file named in the policy (parameter rules)",
        "tool_versions": {},
    }


def test_rule_files_without_semgrep_are_an_error_with_the_install_hint(
    make_repo: Any, no_semgrep: None
) -> None:
    repo = product(make_repo)
    with pytest.raises(ToolError) as raised:
        run_product_check(SemgrepCheck(), repo, SemgrepParams(rules=[".semgrep/rules.yml"]))
    assert raised.value.message == "semgrep is not installed; install it with: pip install semgrep"


def test_rules_from_the_repository_and_the_host_are_run_and_read(
    make_repo: Any, stand_in: Path, tmp_path: Path
) -> None:
    repo = product(make_repo)
    host_rules = tmp_path / "company-rules.yaml"
    host_rules.write_text(HOST_RULES)
    params = SemgrepParams(rules=[".semgrep/rules.yml", str(host_rules)])
    output = run_product_check(SemgrepCheck(), repo, params)
    record = json.loads((stand_in / "record.json").read_text())
    assert record["args"] == [
        "scan", "--config", "rules-0.yaml", "--config", "rules-1.yaml", "--json",
        "--metrics=off", "--disable-version-check",
    ]  # fmt: skip
    assert record["rules"] == [RULES, HOST_RULES]
    assert record["files"] == [".semgrep/rules.yml", "README.md", "app/main.py", "broken.py"]
    path = "app/main.py"

    def semgrep_finding(rule: str, line: int, text: str, **rest: Any) -> dict[str, Any]:
        return {
            "check_id": "sast.semgrep", "rule": f"sast.semgrep.{rule}",
            "message": f"{path}:{line}: {text}", "path": path, "start_line": line,
            "end_line": line, **rest,
        }  # fmt: skip

    assert output == {
        "findings": [
            semgrep_finding(
                "company.no-pickle", 1, "pickle", severity="medium",
                fingerprint=fingerprint("sast.semgrep", "sast.semgrep.company.no-pickle", path,
                                        key("import pickle")),
                cwe=[], properties={"tool_severity": "WARNING"},
            ),
            semgrep_finding(
                "no-eval", 5, "eval of data", severity="high",
                fingerprint=fingerprint("sast.semgrep", "sast.semgrep.no-eval", path,
                                        key("def run(data):", "return eval(data)")),
                cwe=[95], properties={"tool_severity": "ERROR"},
            ),
            {
                "check_id": "sast.semgrep", "rule": "sast.semgrep.unparsable",
                "message": "broken.py: semgrep could not parse it (Syntax error at line 1); "
                "it was not analysed",
                "severity": "low", "path": "broken.py", "start_line": None, "end_line": None,
                "fingerprint": fingerprint("sast.semgrep", "sast.semgrep.unparsable",
                                           "broken.py", ""),
                "cwe": [], "properties": {},
            },
        ],
        "measures": sast_measures("sast.semgrep", analysed=2, medium=1, high=1, unparsable=1),
        "not_applicable": None,
        "tool_versions": {"semgrep": "1.86.0"},
    }  # fmt: skip


def test_inline_nosemgrep_can_be_refused(make_repo: Any, stand_in: Path) -> None:
    repo = product(make_repo)
    params = SemgrepParams(rules=[".semgrep/rules.yml"], honour_inline_suppressions=False)
    run_product_check(SemgrepCheck(), repo, params)
    record = json.loads((stand_in / "record.json").read_text())
    assert record["args"][-1] == "--disable-nosem"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([".semgrep/missing.yml"], "semgrep rule file .semgrep/missing.yml: not a regular file "
         "of the repository of at most 1048576 bytes"),
        (["../outside.yml"], "semgrep rule file ../outside.yml: not a path inside the "
         "repository (nor an absolute path)"),
        (["/nonexistent/rules.yml"], "semgrep rule file /nonexistent/rules.yml: no such file"),
        (["README.md"], "semgrep rule file README.md: no rules (expected a 'rules' list "
         "with ids)"),
    ],
)  # fmt: skip
def test_a_rule_file_that_cannot_be_used_is_an_error(
    make_repo: Any, stand_in: Path, rules: list[str], message: str
) -> None:
    repo = product(make_repo)
    repo.commit_files({"README.md": "title: not rules\n"})
    with pytest.raises(ToolError) as raised:
        run_product_check(SemgrepCheck(), repo, SemgrepParams(rules=rules))
    assert raised.value.message == message


def test_a_malformed_rule_file_names_its_line(make_repo: Any, stand_in: Path) -> None:
    repo = make_repo("product", {"a.py": "x = 1\n", "rules.yml": "rules:\n  - id: [unclosed\n"})
    with pytest.raises(ConfigError) as raised:
        run_product_check(SemgrepCheck(), repo, SemgrepParams(rules=["rules.yml"]))
    assert raised.value.message.startswith("rules.yml:3:1: invalid YAML")


def test_a_semgrep_error_is_an_error(
    make_repo: Any, stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = product(make_repo)
    (stand_in / "answer.json").write_text(
        json.dumps({"results": [], "errors": [{"level": "error", "message": "Invalid rule\nx"}]})
    )
    with pytest.raises(ToolError) as raised:
        run_product_check(SemgrepCheck(), repo, SemgrepParams(rules=[".semgrep/rules.yml"]))
    assert raised.value.message == "semgrep reported an error: Invalid rule"
    monkeypatch.setenv("STAND_IN_EXIT", "7")
    with pytest.raises(ToolError) as raised:
        run_product_check(SemgrepCheck(), repo, SemgrepParams(rules=[".semgrep/rules.yml"]))
    assert raised.value.message == "semgrep exited with code 7: (nothing on stderr)"


@pytest.mark.parametrize(
    ("level", "severity"),
    [
        ("CRITICAL", Severity.CRITICAL), ("ERROR", Severity.HIGH), ("HIGH", Severity.HIGH),
        ("WARNING", Severity.MEDIUM), ("MEDIUM", Severity.MEDIUM), ("INFO", Severity.LOW),
        ("LOW", Severity.LOW), ("INVENTORY", Severity.INFO), ("EXPERIMENT", Severity.INFO),
    ],
)  # fmt: skip
def test_severity_mapping(level: str, severity: Severity) -> None:
    assert semgrep_severity(level) == severity


REAL_TOOLS = os.environ.get("ASSAY_TEST_TOOLS")


@pytest.mark.skipif(not REAL_TOOLS, reason="ASSAY_TEST_TOOLS not set (run .ci/tools.sh)")
def test_the_real_semgrep_finds_what_the_rules_say(
    make_repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(REAL_TOOLS))
    repo = make_repo("product", {"app/main.py": CODE, "rules/no-eval.yaml": RULES})
    output = run_product_check(SemgrepCheck(), repo, SemgrepParams(rules=["rules/no-eval.yaml"]))
    assert [
        (f["rule"], f["path"], f["start_line"], f["severity"], f["cwe"], f["message"])
        for f in output["findings"]
    ] == [("sast.semgrep.no-eval", "app/main.py", 5, Severity.HIGH, [95],
           "app/main.py:5: eval of data")]  # fmt: skip
    assert set(output["tool_versions"]) == {"semgrep"}


def test_an_edited_host_rule_file_makes_another_cache_key(tmp_path: Path) -> None:
    from assay.engine import BoundCheck

    rules = tmp_path / "company-rules.yaml"
    rules.write_text("rules:\n  - id: no-eval\n    pattern: eval(...)\n")
    params = SemgrepParams(rules=[str(rules), "ci/repo-rules.yaml"])
    before = BoundCheck(check=SemgrepCheck(), params=params).cache_key()
    assert BoundCheck(check=SemgrepCheck(), params=params).cache_key() == before
    rules.write_text("rules:\n  - id: no-eval\n    pattern: exec(...)\n")
    assert BoundCheck(check=SemgrepCheck(), params=params).cache_key() != before
    rules.unlink()
    assert BoundCheck(check=SemgrepCheck(), params=params).cache_key() != before
