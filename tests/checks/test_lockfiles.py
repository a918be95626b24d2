"""hygiene.lockfiles: every dependency manifest has its lock file."""

from __future__ import annotations

from typing import Any

import pytest

from assay.checks.api import CheckOutput, fingerprint
from assay.checks.lockfiles import LockfilesCheck
from assay.model import Finding, Measure, Severity
from support import as_data, run_product_check

CHECK = "hygiene.lockfiles"
NOT_APPLICABLE = "no dependency manifest in the repository"
PYPROJECT_DEPS = '[project]\nname = "app"\ndependencies = ["requests>=2"]\n'

# manifest path -> (its content, the lock names the message lists, every lock that satisfies it)
KINDS: dict[str, tuple[str, str, list[str]]] = {
    "package.json": (
        '{"dependencies": {"left-pad": "1.0.0"}}\n',
        "package-lock.json or npm-shrinkwrap.json or yarn.lock or pnpm-lock.yaml or bun.lockb "
        "or bun.lock",
        ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
         "bun.lock"],
    ),
    "pyproject.toml": (
        PYPROJECT_DEPS,
        "poetry.lock or uv.lock or pdm.lock or pylock.toml or pylock.*.toml or a fully pinned "
        "requirements*.txt",
        ["poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "pylock.dev.toml"],
    ),
    "Pipfile": ("[packages]\nrequests = '*'\n", "Pipfile.lock", ["Pipfile.lock"]),
    "Gemfile": ("gem 'rails'\n", "Gemfile.lock", ["Gemfile.lock"]),
    "Cargo.toml": ('[dependencies]\nserde = "1"\n', "Cargo.lock", ["Cargo.lock"]),
    "go.mod": ("module example.com/app\n", "go.sum", ["go.sum"]),
    "composer.json": ('{"require": {}}\n', "composer.lock", ["composer.lock"]),
    "mix.exs": ("defmodule App.MixProject do\nend\n", "mix.lock", ["mix.lock"]),
    "pubspec.yaml": ("name: app\n", "pubspec.lock", ["pubspec.lock"]),
    "Package.swift": ("// swift-tools-version:5.9\n", "Package.resolved", ["Package.resolved"]),
    "App.csproj": ("<Project />\n", "packages.lock.json", ["packages.lock.json"]),
}  # fmt: skip


def run(repo: Any) -> dict[str, Any]:
    return run_product_check(LockfilesCheck(), repo)


def missing(path: str, locks: str) -> Finding:
    rule = "hygiene.lockfiles.missing"
    return Finding(
        check_id=CHECK,
        rule=rule,
        message=f"{path} has no lock file ({locks})",
        severity=Severity.MEDIUM,
        path=path,
        fingerprint=fingerprint(CHECK, rule, path, ""),
    )


def expect(manifests: int, findings: list[Finding] | None = None) -> dict[str, Any]:
    counted = Measure(check_id=CHECK, name="dependency.manifests", value=manifests, unit="files")
    return as_data(
        CheckOutput(
            findings=findings or [],
            measures=[counted],
            not_applicable=None if manifests else NOT_APPLICABLE,
        )
    )


@pytest.mark.parametrize("manifest", list(KINDS))
def test_manifest_without_its_lock(make_repo: Any, manifest: str) -> None:
    content, locks, _ = KINDS[manifest]
    repo = make_repo("p", {manifest: content, "README.md": "x\n"})
    assert run(repo) == expect(1, [missing(manifest, locks)])


@pytest.mark.parametrize(
    ("manifest", "lock"), [(m, lock) for m, (_, _, locks) in KINDS.items() for lock in locks]
)
def test_manifest_with_its_lock(make_repo: Any, manifest: str, lock: str) -> None:
    repo = make_repo("p", {manifest: KINDS[manifest][0], lock: "locked\n"})
    assert run(repo) == expect(1)


def test_lock_of_another_ecosystem_does_not_count(make_repo: Any) -> None:
    repo = make_repo("p", {"package.json": "{}\n", "Cargo.lock": "x\n", "go.sum": "x\n"})
    assert run(repo) == expect(1, [missing("package.json", KINDS["package.json"][1])])


def test_lock_in_a_parent_folder_serves_a_workspace(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "package.json": '{"workspaces": ["packages/*"]}\n',
            "pnpm-lock.yaml": "lockfileVersion: 9\n",
            "packages/web/package.json": "{}\n",
            "packages/api/deep/package.json": "{}\n",
            "crates/core/Cargo.toml": '[dependencies]\nserde = "1"\n',
            "Cargo.lock": "x\n",
        },
    )
    assert run(repo) == expect(4)


def test_lock_in_a_child_or_sibling_folder_does_not_count(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "package.json": "{}\n",
            "packages/web/yarn.lock": "x\n",
            "services/api/go.mod": "module api\n",
            "services/worker/go.sum": "x\n",
        },
    )
    assert run(repo) == expect(
        2,
        [
            missing("package.json", KINDS["package.json"][1]),
            missing("services/api/go.mod", "go.sum"),
        ],
    )


@pytest.mark.parametrize(
    "folder", ["node_modules/left-pad", "vendor/github.com/x", "third_party/lib", "third-party",
               ".venv/lib/site", "venv", "web/node_modules/react"],
)  # fmt: skip
def test_vendored_manifests_are_not_the_products(make_repo: Any, folder: str) -> None:
    repo = make_repo("p", {f"{folder}/package.json": "{}\n", f"{folder}/go.mod": "module x\n"})
    assert run(repo) == expect(0)


def test_vendored_manifests_are_ignored_beside_the_products_own(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "package.json": "{}\n",
            "node_modules/left-pad/package.json": "{}\n",
            "node_modules/left-pad/node_modules/x/package.json": "{}\n",
        },
    )
    assert run(repo) == expect(1, [missing("package.json", KINDS["package.json"][1])])


@pytest.mark.parametrize(
    "content",
    [
        '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "app"\n',
        '[project]\nname = "app"\ndependencies = []\n',
        '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
        "[tool.ruff]\nline-length = 100\n",
        "",
    ],
    ids=["build-system-only", "empty-dependencies", "poetry-python-only", "tool-config", "empty"],
)
def test_pyproject_without_dependencies_is_not_a_manifest(make_repo: Any, content: str) -> None:
    repo = make_repo("p", {"pyproject.toml": content})
    assert run(repo) == expect(0)


@pytest.mark.parametrize(
    "content",
    [
        PYPROJECT_DEPS,
        '[project]\nname = "app"\n[project.optional-dependencies]\ndev = ["pytest"]\n',
        '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2"\n',
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        '[tool.poetry.group.dev.dependencies]\npytest = "^8"\n',
        '[tool.poetry.dev-dependencies]\npytest = "^8"\n',
        '[dependency-groups]\ntest = ["pytest"]\n',
    ],
    ids=["project", "optional", "poetry", "poetry-group", "poetry-dev", "dependency-groups"],
)
def test_pyproject_declaring_dependencies_needs_a_lock(make_repo: Any, content: str) -> None:
    repo = make_repo("p", {"pyproject.toml": content})
    assert run(repo) == expect(1, [missing("pyproject.toml", KINDS["pyproject.toml"][1])])


@pytest.mark.parametrize(
    "content",
    [
        '[project\nname = "app"\n',
        'project = "app"\n',
        '[tool]\npoetry = 3\n',
        '[tool.poetry]\ndependencies = ["requests"]\n',
        '[tool.poetry]\ngroup = "dev"\n',
    ],
    ids=["invalid-toml", "project-not-a-table", "poetry-not-a-table",
         "poetry-dependencies-not-a-table", "poetry-group-not-a-table"],
)  # fmt: skip
def test_unreadable_pyproject_is_judged_as_a_manifest(make_repo: Any, content: str) -> None:
    repo = make_repo("p", {"pyproject.toml": content})
    assert run(repo) == expect(1, [missing("pyproject.toml", KINDS["pyproject.toml"][1])])


def test_no_manifest_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "x\n", "src/main.c": "int main;\n", "yarn.lock": "x\n"})
    assert run(repo) == expect(0)


def test_symlinked_manifest_is_not_a_manifest(make_repo: Any) -> None:
    repo = make_repo("p", {"README.md": "x\n"})
    repo.symlink("package.json", "/etc/passwd")
    repo.commit("link")
    assert run(repo) == expect(0)


def test_findings_for_several_manifests_follow_the_file_order(make_repo: Any) -> None:
    repo = make_repo(
        "p",
        {
            "web/package.json": "{}\n",
            "api/pyproject.toml": PYPROJECT_DEPS,
            "api/uv.lock": "x\n",
            "cli/Cargo.toml": "[package]\n",
            "Gemfile": "gem 'rails'\n",
        },
    )
    assert run(repo) == expect(
        4,
        [
            missing("Gemfile", "Gemfile.lock"),
            missing("cli/Cargo.toml", "Cargo.lock"),
            missing("web/package.json", KINDS["package.json"][1]),
        ],
    )


PINNED = "alembic==1.20.1\nrich[jupyter]==15.0.0 ; python_version < '3.13'\n# a comment\n"


@pytest.mark.parametrize(
    ("name", "content", "is_lock"),
    [
        ("requirements-lock.txt", PINNED, True),
        ("requirements.txt", "--index-url https://example.org/simple\n" + PINNED, True),
        ("constraints.txt", "six==1.16.0 \\\n    --hash=sha256:abc\n", True),
        ("requirements.txt", PINNED + "requests>=2\n", False),
        ("requirements.txt", "-e .\n" + PINNED, False),
        ("requirements.txt", "-r base.txt\n" + PINNED, False),
        ("requirements.txt", "# nothing pinned\n", False),
        ("pins.txt", PINNED, False),  # not named like a requirements file
    ],
    ids=["pinned", "index-option", "hashes", "a-range", "editable", "include", "empty", "name"],
)
def test_a_fully_pinned_requirements_file_locks_a_pyproject(
    make_repo: Any, name: str, content: str, is_lock: bool
) -> None:
    repo = make_repo("p", {"pyproject.toml": PYPROJECT_DEPS, name: content})
    findings = [] if is_lock else [missing("pyproject.toml", KINDS["pyproject.toml"][1])]
    assert run(repo) == expect(1, findings)


def test_pinned_requirements_do_not_lock_other_manifests(make_repo: Any) -> None:
    repo = make_repo("p", {"package.json": KINDS["package.json"][0], "requirements.txt": PINNED})
    assert run(repo) == expect(1, [missing("package.json", KINDS["package.json"][1])])
