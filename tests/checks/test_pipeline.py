"""The pipeline checks: GitHub Actions, GitLab CI images, dependency update tools."""

from __future__ import annotations

from typing import Any

from assay.checks.api import CheckOutput
from assay.checks.pipeline import (
    NO_WORKFLOW,
    ActionsPinnedCheck,
    ActionsPinnedParams,
    DangerousTriggersCheck,
    DependencyUpdatesCheck,
    GitlabImagesPinnedCheck,
    PermissionsCheck,
    ScriptInjectionCheck,
)
from assay.model import Finding, Measure, Severity
from support import as_data, expect, finding_with_cwe
from support import run_product_check as run

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"
DIGEST = "sha256:" + "ab" * 32
WF = ".github/workflows/ci.yml"

# The weakness each check's findings stand for; files it cannot read carry none.
CWE = {
    "pipeline.actions-pinned": [829],
    "pipeline.permissions": [250],
    "pipeline.dangerous-triggers": [829],
    "pipeline.script-injection": [78],
    "pipeline.gitlab-images-pinned": [829],
    "pipeline.dependency-updates": [1104],
}


finding = finding_with_cwe(CWE)


def measure(check_id: str, name: str, value: float, unit: str) -> Measure:
    return Measure(check_id=check_id, name=name, value=value, unit=unit)


# pipeline.actions-pinned

PINNING = f"""\
name: ci
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/local
      - uses: someone/action@{SHA}
      - uses: docker://alpine@{DIGEST}
      - uses: docker://alpine:3.20
      - uses: someone/action@v1
      - run: echo done
  reuse:
    uses: org/repo/.github/workflows/build.yml@main
"""


def test_actions_pinned_finds_each_unpinned_use_with_its_line(make_repo: Any) -> None:
    repo = make_repo("p", {WF: PINNING})
    check = "pipeline.actions-pinned"
    rule = f"{check}.unpinned"

    def unpinned(line: int, job: str, uses: str, key: str) -> Finding:
        return finding(check, rule,
                       f"{WF}:{line}: job {job} uses {uses}, not pinned to a full commit SHA",
                       severity=Severity.MEDIUM, path=WF, start_line=line, key=key)  # fmt: skip

    assert run(ActionsPinnedCheck(), repo) == expect(
        findings=[
            unpinned(9, "build", "actions/checkout@v4", "build:actions/checkout"),
            unpinned(13, "build", "docker://alpine:3.20", "build:docker://alpine:3.20"),
            unpinned(14, "build", "someone/action@v1", "build:someone/action"),
            unpinned(17, "reuse", "org/repo/.github/workflows/build.yml@main",
                     "reuse:org/repo/.github/workflows/build.yml"),
        ],
        measures=[
            measure(check, "pipeline.action_uses", 6, "uses"),
            measure(check, "pipeline.unpinned_uses", 4, "uses"),
        ],
    )  # fmt: skip


def test_actions_pinned_exempts_allowed_owners_case_insensitively(make_repo: Any) -> None:
    workflow = f"on: push\njobs:\n  a:\n    steps:\n      - uses: Actions/checkout@v4\n" \
               f"      - uses: someone/action@{SHA}\n"  # fmt: skip
    repo = make_repo("p", {".github/workflows/a.yaml": workflow})
    params = ActionsPinnedParams(allow_tag_pinned_owners=["actions"])
    check = "pipeline.actions-pinned"
    assert run(ActionsPinnedCheck(), repo, params) == expect(
        measures=[
            measure(check, "pipeline.action_uses", 2, "uses"),
            measure(check, "pipeline.unpinned_uses", 0, "uses"),
        ]
    )


def test_a_short_sha_is_not_a_pin_and_the_same_action_twice_gets_two_identities(
    make_repo: Any,
) -> None:
    workflow = (
        "on: push\njobs:\n  a:\n    steps:\n"
        "      - uses: someone/action@b4ffde6\n      - uses: someone/action@b4ffde6\n"
    )
    repo = make_repo("p", {WF: workflow})
    check = "pipeline.actions-pinned"
    message = "job a uses someone/action@b4ffde6, not pinned to a full commit SHA"
    assert run(ActionsPinnedCheck(), repo)["findings"] == as_data(
        CheckOutput(findings=[
            finding(check, f"{check}.unpinned", f"{WF}:5: {message}", severity=Severity.MEDIUM,
                    path=WF, start_line=5, key="a:someone/action"),
            finding(check, f"{check}.unpinned", f"{WF}:6: {message}", severity=Severity.MEDIUM,
                    path=WF, start_line=6, key="a:someone/action#2"),
        ])
    )["findings"]  # fmt: skip


def test_github_checks_are_not_applicable_without_workflows(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "x\n", ".github/workflows/sub/ci.yml": "on: push\n"})
    for check in (ActionsPinnedCheck(), PermissionsCheck(), DangerousTriggersCheck(),
                  ScriptInjectionCheck()):  # fmt: skip
        assert run(check, repo) == expect(not_applicable=NO_WORKFLOW)


def test_malformed_workflow_is_a_finding_with_the_parse_error(make_repo: Any) -> None:
    repo = make_repo("p", {".github/workflows/bad.yml": "on: push\njobs: [\n"})
    check = "pipeline.actions-pinned"
    assert run(ActionsPinnedCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.unparsable",
                    "cannot parse: .github/workflows/bad.yml:3:1: invalid YAML: expected the "
                    "node content, but found '<stream end>'",
                    severity=Severity.MEDIUM, path=".github/workflows/bad.yml", start_line=3)
        ],
        measures=[
            measure(check, "pipeline.action_uses", 0, "uses"),
            measure(check, "pipeline.unpinned_uses", 0, "uses"),
        ],
    )  # fmt: skip


def test_tags_and_top_level_non_mappings_are_unparsable(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            ".github/workflows/list.yml": "- a\n- b\n",
            ".github/workflows/tag.yml": "on: push\njobs: !!python/object:os.system {}\n",
        },
    )
    check = "pipeline.permissions"
    assert run(PermissionsCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.unparsable",
                    "cannot parse: .github/workflows/list.yml:1:1: expected a mapping at the "
                    "top level, found a sequence",
                    severity=Severity.MEDIUM, path=".github/workflows/list.yml", start_line=1),
            finding(check, f"{check}.unparsable",
                    "cannot parse: .github/workflows/tag.yml:2:7: jobs: unsupported YAML tag "
                    "'!!python/object:os.system'",
                    severity=Severity.MEDIUM, path=".github/workflows/tag.yml", start_line=2),
        ],
        measures=[measure(check, "pipeline.workflows", 0, "files")],
    )  # fmt: skip


def test_symlinked_and_huge_workflows_are_not_read(make_repo: Any) -> None:
    repo = make_repo("p", {"elsewhere.yml": "on: push\n",
                           ".github/workflows/big.yml": "#" * (1024 * 1024 + 1)})  # fmt: skip
    repo.symlink(".github/workflows/link.yml", "../../elsewhere.yml")
    repo.commit()
    check = "pipeline.script-injection"
    assert run(ScriptInjectionCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.unreadable",
                    ".github/workflows/big.yml is larger than 1048576 bytes; it is not read",
                    severity=Severity.MEDIUM, path=".github/workflows/big.yml"),
            finding(check, f"{check}.unreadable",
                    ".github/workflows/link.yml is a symlink; it is not read",
                    severity=Severity.MEDIUM, path=".github/workflows/link.yml"),
        ]
    )  # fmt: skip


# pipeline.permissions


def test_permissions_missing_and_write_all(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            ".github/workflows/a.yml": (
                "on: push\njobs:\n  build:\n    steps: []\n"
                "  deploy:\n    permissions: write-all\n    steps: []\n"
            ),
            ".github/workflows/b.yml": "on: push\npermissions: write-all\njobs: {}\n",
            ".github/workflows/c.yml": (
                "on: push\njobs:\n  one:\n    permissions: {contents: read}\n"
                "  two:\n    permissions: read-all\n"
            ),
            ".github/workflows/d.yml": "on: push\npermissions: {}\njobs: {}\n",
        },
    )
    check = "pipeline.permissions"
    assert run(PermissionsCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.write-all",
                    ".github/workflows/a.yml:6: job deploy grants write-all permissions to the "
                    "GITHUB_TOKEN", severity=Severity.HIGH, path=".github/workflows/a.yml",
                    start_line=6, key="job deploy"),
            finding(check, f"{check}.missing",
                    ".github/workflows/a.yml: no permissions: at workflow level, and jobs "
                    "without their own: build", severity=Severity.LOW,
                    path=".github/workflows/a.yml"),
            finding(check, f"{check}.write-all",
                    ".github/workflows/b.yml:2: the workflow grants write-all permissions to "
                    "the GITHUB_TOKEN", severity=Severity.HIGH, path=".github/workflows/b.yml",
                    start_line=2, key="the workflow"),
        ],
        measures=[measure(check, "pipeline.workflows", 4, "files")],
    )  # fmt: skip


# pipeline.dangerous-triggers

TRIGGERED = """\
on:
  {trigger}:
    types: [opened]
permissions: {{}}
jobs:
  test:
    steps:
      - uses: actions/checkout@v4
        with:
          ref: {ref}
      - uses: actions/checkout@v4
"""


def test_privileged_workflow_checking_out_the_pr_head(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            ".github/workflows/a.yml": TRIGGERED.format(
                trigger="pull_request_target", ref="${{ github.event.pull_request.head.sha }}"
            ),
            ".github/workflows/b.yml": TRIGGERED.format(
                trigger="workflow_run", ref="${{ github.head_ref }}"
            ),
            # The same checkout on an unprivileged trigger, or of the base: no finding.
            ".github/workflows/c.yml": TRIGGERED.format(
                trigger="pull_request", ref="${{ github.event.pull_request.head.sha }}"
            ),
            ".github/workflows/d.yml": TRIGGERED.format(
                trigger="pull_request_target", ref="${{ github.base_ref }}"
            ),
        },
    )
    check = "pipeline.dangerous-triggers"
    rule = f"{check}.untrusted-checkout"
    assert run(DangerousTriggersCheck(), repo) == expect(
        findings=[
            finding(check, rule,
                    ".github/workflows/a.yml:10: job test checks out untrusted code (ref: "
                    "${{ github.event.pull_request.head.sha }}) in a pull_request_target "
                    "workflow", severity=Severity.HIGH, path=".github/workflows/a.yml",
                    start_line=10, key="test"),
            finding(check, rule,
                    ".github/workflows/b.yml:10: job test checks out untrusted code (ref: "
                    "${{ github.head_ref }}) in a workflow_run workflow",
                    severity=Severity.HIGH, path=".github/workflows/b.yml", start_line=10,
                    key="test"),
        ]
    )  # fmt: skip


def test_trigger_as_string_or_list(make_repo: Any) -> None:
    body = (
        "jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          ref: refs/pull/${{ github.event.number }}/merge\n"
    )
    repo = make_repo("p", {".github/workflows/a.yml": "on: pull_request_target\n" + body,
                           ".github/workflows/b.yml": "on: [push]\n" + body})  # fmt: skip
    check = "pipeline.dangerous-triggers"
    assert run(DangerousTriggersCheck(), repo) == expect(
        findings=[
            finding(check, f"{check}.untrusted-checkout",
                    ".github/workflows/a.yml:7: job t checks out untrusted code (ref: "
                    "refs/pull/${{ github.event.number }}/merge) in a pull_request_target "
                    "workflow", severity=Severity.HIGH, path=".github/workflows/a.yml",
                    start_line=7, key="t"),
        ]
    )  # fmt: skip


# pipeline.script-injection

INJECTION = """\
on: issues
jobs:
  triage:
    steps:
      - run: |
          echo start
          echo "${{ github.event.issue.title }}"
          echo "${{ github.event.issue.number }}"
      - run: echo "${{ github.head_ref }}" "${{ github.event.commits[0].message }}"
      - env:
          TITLE: ${{ github.event.issue.title }}
        run: echo "$TITLE"
      - run: echo "${{ github.event.pull_request.head.sha }}"
"""


def test_untrusted_expressions_inside_run_scripts(make_repo: Any) -> None:
    repo = make_repo("p", {WF: INJECTION})
    check = "pipeline.script-injection"

    def injected(line: int, field: str) -> Finding:
        return finding(check, f"{check}.untrusted-input",
                       f"{WF}:{line}: job triage expands {field} inside a run: script; pass it "
                       "through env: and quote the variable", severity=Severity.HIGH, path=WF,
                       start_line=line, key=f"triage:{field}")  # fmt: skip

    assert run(ScriptInjectionCheck(), repo) == expect(
        findings=[
            injected(7, "github.event.issue.title"),
            injected(9, "github.head_ref"),
            injected(9, "github.event.commits[0].message"),
        ]
    )


# pipeline.gitlab-images-pinned


def test_gitlab_images_and_services(make_repo: Any) -> None:
    gitlab = f"""\
image: python:3.12
services:
  - postgres:16
  - name: redis@{DIGEST}
default:
  image:
    name: node:20
stages: [test]
test:
  image: registry.example.com/team/app@{DIGEST}
  services:
    - name: mysql:8
  script: [pytest]
.template:
  image: alpine
"""
    repo = make_repo("p", {".gitlab-ci.yml": gitlab})
    check = "pipeline.gitlab-images-pinned"

    def unpinned(line: int, where: str, image: str, key: str) -> Finding:
        return finding(check, f"{check}.unpinned",
                       f".gitlab-ci.yml:{line}: {where} uses {image}, not pinned by digest "
                       "(@sha256:)", severity=Severity.MEDIUM, path=".gitlab-ci.yml",
                       start_line=line, key=key)  # fmt: skip

    assert run(GitlabImagesPinnedCheck(), repo) == expect(
        findings=[
            unpinned(1, "the pipeline", "python:3.12", "the pipeline:python:3.12"),
            unpinned(3, "the pipeline (service)", "postgres:16",
                     "the pipeline (service):postgres:16"),
            unpinned(7, "default", "node:20", "default:node:20"),
            unpinned(12, "job test (service)", "mysql:8", "job test (service):mysql:8"),
            unpinned(15, "job .template", "alpine", "job .template:alpine"),
        ],
        measures=[measure(check, "pipeline.gitlab_images", 7, "images")],
    )  # fmt: skip


def test_gitlab_not_applicable_and_malformed(make_repo: Any) -> None:
    check = "pipeline.gitlab-images-pinned"
    empty = make_repo("e", {"README.md": "x\n"})
    assert run(GitlabImagesPinnedCheck(), empty) == expect(
        not_applicable="no .gitlab-ci.yml at the repository root"
    )
    broken = make_repo("b", {".gitlab-ci.yml": "a: b\na: c\n"})
    assert run(GitlabImagesPinnedCheck(), broken) == expect(
        findings=[
            finding(check, f"{check}.unparsable",
                    "cannot parse: .gitlab-ci.yml:2:1: a: duplicate key 'a'",
                    severity=Severity.MEDIUM, path=".gitlab-ci.yml", start_line=2)
        ],
        measures=[measure(check, "pipeline.gitlab_images", 0, "images")],
    )  # fmt: skip


# pipeline.dependency-updates


def test_dependency_update_tool_missing_or_configured(make_repo: Any) -> None:
    check = "pipeline.dependency-updates"
    nothing = make_repo("nothing", {"README.md": "x\n"})
    assert run(DependencyUpdatesCheck(), nothing) == expect(
        not_applicable="nothing to update: no dependency manifest and no workflow"
    )
    bare = make_repo("bare", {"requirements.txt": "flask==3.0.0\n"})
    assert run(DependencyUpdatesCheck(), bare) == expect(
        findings=[
            finding(check, f"{check}.missing",
                    "no Dependabot or Renovate configuration (.github/dependabot.yml, "
                    "renovate.json, .github/renovate.json, .renovaterc, ... looked for)",
                    severity=Severity.LOW)
        ],
        measures=[measure(check, "pipeline.dependency_update_configs", 0, "files")],
    )  # fmt: skip
    for path in (".github/dependabot.yml", "renovate.json5", ".gitlab/renovate.json"):
        files = {path: "{}\n", ".github/workflows/ci.yml": "on: push\n"}
        repo = make_repo(path.replace("/", "_"), files)
        assert run(DependencyUpdatesCheck(), repo) == expect(
            measures=[measure(check, "pipeline.dependency_update_configs", 1, "files")]
        )
