"""The hygiene checks: README, SECURITY.md, CODEOWNERS, guides, .gitignore, CI and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay.checks.api import CheckOutput, NoParams, fingerprint
from assay.checks.hygiene import (
    CI_PROVIDERS,
    ChangelogCheck,
    CiConfigCheck,
    CodeownersCheck,
    ContributingCheck,
    GitignoreCheck,
    ReadmeCheck,
    ReadmeParams,
    SecurityPolicyCheck,
    TestsPresentCheck,
)
from assay.model import Finding, Measure, Severity
from support import as_data
from support import run_product_check as run

TEN_LINES = "".join(f"Line {n} about the product.\n\n" for n in range(1, 11))


def expect(
    findings: list[Finding] | None = None, measures: list[Measure] | None = None
) -> dict[str, Any]:
    return as_data(CheckOutput(findings=findings or [], measures=measures or []))


def found(
    check_id: str, rule: str, message: str, severity: Severity, path: str | None = None
) -> Finding:
    return Finding(
        check_id=check_id,
        rule=rule,
        message=message,
        severity=severity,
        path=path,
        fingerprint=fingerprint(check_id, rule, path or "", ""),
    )


def measure(check_id: str, name: str, value: float, unit: str, **labels: str) -> Measure:
    return Measure(check_id=check_id, name=name, value=value, unit=unit, labels=labels)


# hygiene.readme


def test_readme_missing(make_repo: Any) -> None:
    repo = make_repo("p", {"main.py": "print(1)\n", "docs/README.md": TEN_LINES})
    assert run(ReadmeCheck(), repo) == expect(
        findings=[
            found("hygiene.readme", "hygiene.readme.missing", "no README at the repository root",
                  Severity.MEDIUM)
        ]
    )  # fmt: skip


def test_readme_too_short_counts_non_blank_lines(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "# Title\n\n   \nSome words.\n\n\nMore words.\n"})
    assert run(ReadmeCheck(), repo) == expect(
        findings=[
            found("hygiene.readme", "hygiene.readme.too-short",
                  "README.md has 3 non-blank lines; at least 10 required", Severity.LOW,
                  "README.md")
        ],
        measures=[measure("hygiene.readme", "readme.lines", 3, "lines")],
    )  # fmt: skip


def test_readme_of_one_line_is_singular_and_threshold_is_a_parameter(make_repo: Any) -> None:
    repo = make_repo("p", {"readme.rst": "Tool\n"})
    assert run(ReadmeCheck(), repo, ReadmeParams(min_lines=2)) == expect(
        findings=[
            found("hygiene.readme", "hygiene.readme.too-short",
                  "readme.rst has 1 non-blank line; at least 2 required", Severity.LOW,
                  "readme.rst")
        ],
        measures=[measure("hygiene.readme", "readme.lines", 1, "lines")],
    )  # fmt: skip
    assert run(ReadmeCheck(), repo, ReadmeParams(min_lines=1)) == expect(
        measures=[measure("hygiene.readme", "readme.lines", 1, "lines")]
    )


def test_readme_long_enough(make_repo: Any) -> None:
    repo = make_repo("p", {"README": TEN_LINES})
    assert run(ReadmeCheck(), repo) == expect(
        measures=[measure("hygiene.readme", "readme.lines", 10, "lines")]
    )


def test_readme_symlinked_to_etc_passwd_is_not_read(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.symlink("README.md", "/etc/passwd")
    repo.commit("link")
    output = run(ReadmeCheck(), repo)
    assert output == expect(
        findings=[
            found("hygiene.readme", "hygiene.readme.missing",
                  "README.md is a symlink; it is not read", Severity.MEDIUM, "README.md")
        ]
    )  # fmt: skip
    passwd = Path("/etc/passwd").read_text(errors="replace")
    assert "root:" not in repr(output)
    assert not [line for line in passwd.splitlines() if line.strip() and line in repr(output)]


def test_readme_regular_file_wins_over_a_symlink_of_the_same_stem(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": TEN_LINES})
    repo.symlink("README", "/etc/passwd")
    repo.commit("link")
    assert run(ReadmeCheck(), repo) == expect(
        measures=[measure("hygiene.readme", "readme.lines", 10, "lines")]
    )


def test_readme_over_the_read_limit_is_not_read(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "x" * (1024 * 1024 + 1)})
    assert run(ReadmeCheck(), repo) == expect(
        findings=[
            found("hygiene.readme", "hygiene.readme.missing",
                  "README.md is larger than 1048576 bytes; it is not read", Severity.MEDIUM,
                  "README.md")
        ]
    )  # fmt: skip


# hygiene.security-policy

NO_CONTACT = "# Security\n\nWe take security seriously and fix problems quickly.\n"


@pytest.mark.parametrize("folder", ["", ".github/", "docs/"])
@pytest.mark.parametrize(
    "text",
    [
        "# Security\n\nWrite to security@example.com with the details.\n",
        "# Security\n\nReport at https://example.com/security (we answer in 2 days).\n",
        "# Security\n\nUse GitHub's private security advisories for this repository.\n",
    ],
    ids=["e-mail", "url", "advisory"],
)
def test_security_policy_with_a_contact_passes(make_repo: Any, folder: str, text: str) -> None:
    repo = make_repo("p", {f"{folder}SECURITY.md": text})
    assert run(SecurityPolicyCheck(), repo) == expect()


@pytest.mark.parametrize("folder", ["", ".github/", "docs/"])
def test_security_policy_without_contact(make_repo: Any, folder: str) -> None:
    repo = make_repo("p", {f"{folder}SECURITY.md": NO_CONTACT})
    assert run(SecurityPolicyCheck(), repo) == expect(
        findings=[
            found("hygiene.security-policy", "hygiene.security-policy.no-contact",
                  f"{folder}SECURITY.md gives no contact (an e-mail address or a URL to report to)",
                  Severity.LOW, f"{folder}SECURITY.md")
        ]
    )  # fmt: skip


def test_security_policy_root_wins_over_github_folder(make_repo: Any) -> None:
    repo = make_repo(
        "p", {"SECURITY.md": NO_CONTACT, ".github/SECURITY.md": "Mail sec@example.org.\n"}
    )
    assert run(SecurityPolicyCheck(), repo)["findings"] == [
        found("hygiene.security-policy", "hygiene.security-policy.no-contact",
              "SECURITY.md gives no contact (an e-mail address or a URL to report to)",
              Severity.LOW, "SECURITY.md").model_dump()
    ]  # fmt: skip


def test_security_policy_missing_or_elsewhere(make_repo: Any) -> None:
    repo = make_repo("p", {"src/SECURITY.md": "Mail sec@example.org.\n", "README.md": "x\n"})
    assert run(SecurityPolicyCheck(), repo) == expect(
        findings=[
            found("hygiene.security-policy", "hygiene.security-policy.missing",
                  "no SECURITY.md in the root, .github/ or docs/", Severity.MEDIUM)
        ]
    )  # fmt: skip


def test_security_policy_symlink_is_not_read(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.symlink(".github/SECURITY.md", "/etc/passwd")
    repo.commit("link")
    output = run(SecurityPolicyCheck(), repo)
    assert output == expect(
        findings=[
            found("hygiene.security-policy", "hygiene.security-policy.missing",
                  ".github/SECURITY.md is a symlink; it is not read", Severity.MEDIUM,
                  ".github/SECURITY.md")
        ]
    )  # fmt: skip
    assert "root:" not in repr(output)


# hygiene.codeowners

OWNERS = "# Owners\n* @acme/platform\n/docs/ docs@example.com\n\n*.js   @alice @bob\n"


@pytest.mark.parametrize("folder", ["", ".github/", "docs/", ".gitlab/"])
def test_codeowners_found_in_each_location(make_repo: Any, folder: str) -> None:
    repo = make_repo("p", {f"{folder}CODEOWNERS": OWNERS})
    assert run(CodeownersCheck(), repo) == expect(
        measures=[measure("hygiene.codeowners", "codeowners.rules", 3, "rules")]
    )


def test_codeowners_elsewhere_is_missing(make_repo: Any) -> None:
    repo = make_repo("p", {"src/CODEOWNERS": OWNERS})
    assert run(CodeownersCheck(), repo) == expect(
        findings=[
            found("hygiene.codeowners", "hygiene.codeowners.missing",
                  "no CODEOWNERS in .github/, the root, docs/ or .gitlab/", Severity.LOW)
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# @alice owns everything\n\n",
        "*.py\n/docs/\n",  # patterns without owners
        "@alice\n",  # an owner without a pattern assigns nothing
        "*.py # @alice\n",  # the owner is in a comment
    ],
    ids=["empty", "comments", "no-owners", "no-pattern", "owner-in-comment"],
)
def test_codeowners_naming_no_owner(make_repo: Any, text: str) -> None:
    repo = make_repo("p", {".github/CODEOWNERS": text, "README.md": "x\n"})
    assert run(CodeownersCheck(), repo) == expect(
        findings=[
            found("hygiene.codeowners", "hygiene.codeowners.empty",
                  ".github/CODEOWNERS names no owner (no line with a pattern and an @owner)",
                  Severity.LOW, ".github/CODEOWNERS")
        ],
        measures=[measure("hygiene.codeowners", "codeowners.rules", 0, "rules")],
    )  # fmt: skip


def test_codeowners_gitlab_section_with_default_owners(make_repo: Any) -> None:
    repo = make_repo("p", {".gitlab/CODEOWNERS": "[Documentation] @docs-team\ndocs/\n"})
    assert run(CodeownersCheck(), repo) == expect(
        measures=[measure("hygiene.codeowners", "codeowners.rules", 1, "rules")]
    )


def test_codeowners_symlink_is_not_read_nor_called_empty(make_repo: Any) -> None:
    repo = make_repo("p")
    repo.symlink("CODEOWNERS", "/etc/passwd")
    repo.commit("link")
    output = run(CodeownersCheck(), repo)
    assert output == expect(
        findings=[
            found("hygiene.codeowners", "hygiene.codeowners.missing",
                  "CODEOWNERS is a symlink; it is not read", Severity.LOW, "CODEOWNERS")
        ]
    )  # fmt: skip
    assert "root:" not in repr(output)


# hygiene.contributing, hygiene.changelog, hygiene.gitignore


@pytest.mark.parametrize(
    "path", ["CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/contributing.rst", "CONTRIBUTING"]
)
def test_contributing_present(make_repo: Any, path: str) -> None:
    repo = make_repo("p", {path: "How to help.\n"})
    assert run(ContributingCheck(), repo) == expect()


def test_contributing_absent(make_repo: Any) -> None:
    repo = make_repo("p", {"src/CONTRIBUTING.md": "x\n", "CONTRIBUTORS.md": "x\n"})
    assert run(ContributingCheck(), repo) == expect(
        findings=[
            found("hygiene.contributing", "hygiene.contributing.missing",
                  "no CONTRIBUTING guide in the root, .github/ or docs/", Severity.LOW)
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    "path", ["CHANGELOG.md", "CHANGES.rst", "HISTORY.md", "NEWS", "docs/changelog.md"]
)
def test_changelog_present(make_repo: Any, path: str) -> None:
    repo = make_repo("p", {path: "1.0: first.\n"})
    assert run(ChangelogCheck(), repo) == expect()


@pytest.mark.parametrize("path", [".github/CHANGELOG.md", "src/CHANGELOG.md", "RELEASES.md"])
def test_changelog_absent(make_repo: Any, path: str) -> None:
    repo = make_repo("p", {path: "1.0: first.\n"})
    assert run(ChangelogCheck(), repo) == expect(
        findings=[
            found("hygiene.changelog", "hygiene.changelog.missing",
                  "no CHANGELOG, CHANGES, HISTORY or NEWS file in the root or docs/", Severity.LOW)
        ]
    )  # fmt: skip


def test_gitignore_present(make_repo: Any) -> None:
    repo = make_repo("p", {".gitignore": "build/\n"})
    assert run(GitignoreCheck(), repo) == expect()


@pytest.mark.parametrize("path", ["src/.gitignore", ".gitignore.bak", "gitignore"])
def test_gitignore_absent(make_repo: Any, path: str) -> None:
    repo = make_repo("p", {path: "build/\n"})
    assert run(GitignoreCheck(), repo) == expect(
        findings=[
            found("hygiene.gitignore", "hygiene.gitignore.missing",
                  "no .gitignore at the repository root", Severity.LOW)
        ]
    )  # fmt: skip


# hygiene.ci-config

CI_EXAMPLES = {
    "github-actions": [".github/workflows/ci.yml", ".github/workflows/release.yaml"],
    "gitlab-ci": [".gitlab-ci.yml", ".gitlab-ci.yaml"],
    "jenkins": ["Jenkinsfile", "jenkinsfile", "nightly.jenkinsfile", "Jenkinsfile.release"],
    "azure-pipelines": [
        "azure-pipelines.yml", "azure-pipelines.yaml", ".azure-pipelines/build.yml"
    ],
    "circleci": [".circleci/config.yml", ".circleci/config.yaml"],
    "bitbucket-pipelines": ["bitbucket-pipelines.yml"],
    "travis": [".travis.yml"],
    "buildkite": [
        ".buildkite/pipeline.yml", ".buildkite/pipeline.yaml", "buildkite.yml", "buildkite.yaml"
    ],
    "drone": [".drone.yml", ".drone.yaml"],
}  # fmt: skip

CI_MISSING = (
    "no CI configuration found (github-actions, gitlab-ci, jenkins, azure-pipelines, circleci, "
    "bitbucket-pipelines, travis, buildkite, drone looked for)"
)


def test_ci_examples_cover_every_provider() -> None:
    assert list(CI_EXAMPLES) == list(CI_PROVIDERS)


@pytest.mark.parametrize(
    ("provider", "path"),
    [(provider, path) for provider, paths in CI_EXAMPLES.items() for path in paths],
)
def test_ci_provider_detected_by_its_config_path(make_repo: Any, provider: str, path: str) -> None:
    repo = make_repo("p", {path: "steps: []\n", "README.md": "x\n"})
    assert run(CiConfigCheck(), repo) == expect(
        measures=[measure("hygiene.ci-config", "ci.config_files", 1, "files", provider=provider)]
    )


def test_ci_several_providers_and_files(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            ".github/workflows/test.yml": "on: push\n",
            ".github/workflows/lint.yaml": "on: push\n",
            ".gitlab-ci.yml": "test: {}\n",
        },
    )
    assert run(CiConfigCheck(), repo) == expect(
        measures=[
            measure("hygiene.ci-config", "ci.config_files", 2, "files", provider="github-actions"),
            measure("hygiene.ci-config", "ci.config_files", 1, "files", provider="gitlab-ci"),
        ]
    )


@pytest.mark.parametrize(
    "path",
    [
        ".github/workflows/sub/x.yml",
        ".github/workflows/ci.json",
        ".github/ci.yml",
        "docs/.travis.yml",
        "sub/.gitlab-ci.yml",
        "ci/nightly.jenkinsfile",
        "ci/Jenkinsfile",
        ".circleci/other.yml",
        ".buildkite/steps/x.yml",
    ],
)
def test_ci_near_miss_is_not_detected(make_repo: Any, path: str) -> None:
    repo = make_repo("p", {path: "steps: []\n"})
    assert run(CiConfigCheck(), repo) == expect(
        findings=[
            found("hygiene.ci-config", "hygiene.ci-config.missing", CI_MISSING, Severity.MEDIUM)
        ]
    )


# hygiene.tests-present

TESTS_MISSING = "no test files found (no tests/ folder, no test_*.py, *_test.go, *.spec.ts, ...)"


@pytest.mark.parametrize(
    "path",
    [
        "tests/helpers.py",
        "test/unit/data.json",
        "src/__tests__/App.js",
        "spec/models/user_spec.rb",
        "t/basic.t",
        "Testing/fixture.txt",
        "test_app.py",
        "pkg/app_test.py",
        "server/handler_test.go",
        "web/app.test.ts",
        "web/App.spec.tsx",
        "web/util.spec.js",
        "src/main/java/com/acme/ParserTest.java",
        "src/main/kotlin/ParserTest.kt",
        "Acme/ParserTests.cs",
        "lib/parser_test.rb",
        "src/ParserTest.php",
        "src/parser_test.rs",
        "Sources/ParserTests.swift",
        "lib/parser_test.exs",
        "src/parser_test.c",
        "src/parser_test.cpp",
    ],
)
def test_tests_detected(make_repo: Any, path: str) -> None:
    repo = make_repo("p", {path: "x\n", "src/main.py": "x\n"})
    assert run(TestsPresentCheck(), repo) == expect(
        measures=[measure("hygiene.tests-present", "tests.files", 1, "files")]
    )


def test_tests_counted_across_languages(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "tests/test_api.py": "x\n",
            "tests/conftest.py": "x\n",
            "cmd/main_test.go": "x\n",
            "web/app.spec.ts": "x\n",
            "src/main.py": "x\n",
            "web/app.ts": "x\n",
        },
    )
    assert run(TestsPresentCheck(), repo) == expect(
        measures=[measure("hygiene.tests-present", "tests.files", 4, "files")]
    )


def test_no_tests(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "src/main.py": "x\n",
            "src/contest.py": "x\n",
            "docs/testing-guide.md": "x\n",
            "latest/notes.txt": "x\n",
            "src/testament.go": "x\n",
        },
    )
    repo.symlink("tests/link.py", "/etc/passwd")
    repo.commit("link")
    assert run(TestsPresentCheck(), repo) == expect(
        findings=[
            found("hygiene.tests-present", "hygiene.tests-present.missing", TESTS_MISSING,
                  Severity.MEDIUM)
        ],
        measures=[measure("hygiene.tests-present", "tests.files", 0, "files")],
    )  # fmt: skip


def test_hygiene_checks_take_their_declared_params() -> None:
    assert ReadmeCheck.Params is ReadmeParams
    for check in (SecurityPolicyCheck, CodeownersCheck, ContributingCheck, ChangelogCheck,
                  GitignoreCheck, CiConfigCheck, TestsPresentCheck):  # fmt: skip
        assert check.Params is NoParams
        assert check.cache_scope == "tree"


def test_codeowners_in_dot_github_wins_as_on_github(make_repo: Any) -> None:
    repo = make_repo("p", {"CODEOWNERS": "# nobody\n", ".github/CODEOWNERS": "* @org/team\n"})
    assert run(CodeownersCheck(), repo) == expect(
        measures=[measure("hygiene.codeowners", "codeowners.rules", 1, "rules")]
    )
