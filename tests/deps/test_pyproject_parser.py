from __future__ import annotations

from typing import Any

import pytest

from assay.deps.formats.pyproject import PyprojectParser, declared_license
from assay.deps.model import (
    Component,
    Ecosystem,
    ManifestError,
    ParsedFile,
    Problem,
    Scope,
    SourceKind,
)

PEP621 = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "inventory-service"
version = "1.0.0"
license = "Apache-2.0"
dependencies = [
    "requests>=2.31,<3",
    "Click==8.1.7",
    'PyYAML ; python_version >= "3.9"',
    "shared @ file:///srv/shared",
    "tooling @ git+https://github.com/example/tooling.git@v2",
    "not a requirement!",
    42,
]

[project.optional-dependencies]
server = ["uvicorn[standard]>=0.29"]
test = ["pytest==8.1.1", "requests>=2.31,<3"]
Docs = ["sphinx"]

[dependency-groups]
typing = ["mypy==1.10.0"]
dev = [
    {include-group = "typing"},
    "ruff>=0.4",
]
"""


def pypi(name: str, purl: str, line: int | None, **fields: Any) -> Component:
    values: dict[str, Any] = {
        "version": None,
        "ecosystem": Ecosystem.PYPI,
        "direct": True,
        "scope": Scope.RUNTIME,
        "declared_in": "svc/pyproject.toml",
    }
    values.update(fields)
    return Component(name=name, purl=purl, line=line, **values)


def test_reads_pep621_extras_and_dependency_groups() -> None:
    parsed = PyprojectParser().parse("svc/pyproject.toml", PEP621)
    dev = Scope.DEV
    assert parsed.components == (
        pypi("click", "pkg:pypi/click@8.1.7", 11, version="8.1.7"),
        pypi("mypy", "pkg:pypi/mypy@1.10.0", 25, version="1.10.0", scope=dev),
        pypi("pytest", "pkg:pypi/pytest@8.1.1", 21, version="8.1.1", scope=dev),
        pypi("pyyaml", "pkg:pypi/pyyaml", 12),
        pypi("requests", "pkg:pypi/requests", 10, requirement="<3,>=2.31"),
        pypi("requests", "pkg:pypi/requests", 21, requirement="<3,>=2.31", scope=dev),
        pypi("ruff", "pkg:pypi/ruff", 28, requirement=">=0.4", scope=dev),
        pypi(
            "shared", "pkg:pypi/shared", 13, source=SourceKind.PATH, location="file:///srv/shared"
        ),
        pypi("sphinx", "pkg:pypi/sphinx", 22, scope=dev),
        pypi(
            "tooling",
            "pkg:pypi/tooling",
            14,
            source=SourceKind.GIT,
            location="git+https://github.com/example/tooling.git@v2",
        ),
        pypi("uvicorn", "pkg:pypi/uvicorn", 20, requirement=">=0.29"),
    )
    assert parsed.problems == (
        Problem(
            message="invalid requirement 'not a requirement!': Expected semicolon (after name "
            "with no version specifier) or end",
            line=15,
        ),
        Problem(message="'project.dependencies' has a non-string entry 42"),
    )


POETRY = """\
[tool.poetry]
name = "billing"
version = "0.3.0"
license = "MIT"

[tool.poetry.dependencies]
python = "^3.11"
requests = "^2.31"
Django = "4.2.11"
attrs = "==23.2.0"
rich = "*"
numpy = [
    { version = "<1.25", python = "<3.9" },
    { version = "^1.26", python = ">=3.9" },
]
ledger = { path = "../libs/ledger", develop = true }
fx-rates = { git = "https://github.com/example/fx-rates.git", tag = "v1.4.0" }
wheelie = { url = "https://files.example.com/wheelie-1.0-py3-none-any.whl" }
pydantic = { version = ">=2.6", extras = ["email"], optional = true }
broken = { extras = ["x"] }
"bad name!" = "1.0"

[tool.poetry.dev-dependencies]
pytest = "^8.0"

[tool.poetry.group.docs.dependencies]
mkdocs = "1.5.3"

[tool.poetry.group.main.dependencies]
httpx = ">=0.27,<0.28"
"""


def test_reads_poetry_tables() -> None:
    parsed = PyprojectParser().parse("svc/pyproject.toml", POETRY)
    dev = Scope.DEV
    assert parsed.components == (
        pypi("attrs", "pkg:pypi/attrs@23.2.0", 10, version="23.2.0"),
        pypi("django", "pkg:pypi/django@4.2.11", 9, version="4.2.11"),
        pypi(
            "fx-rates",
            "pkg:pypi/fx-rates",
            17,
            source=SourceKind.GIT,
            location="https://github.com/example/fx-rates.git",
        ),
        pypi("httpx", "pkg:pypi/httpx", 30, requirement=">=0.27,<0.28"),
        pypi("ledger", "pkg:pypi/ledger", 16, source=SourceKind.PATH, location="libs/ledger"),
        pypi("mkdocs", "pkg:pypi/mkdocs@1.5.3", 27, version="1.5.3", scope=dev),
        pypi("numpy", "pkg:pypi/numpy", 12, requirement="<1.25"),
        pypi("numpy", "pkg:pypi/numpy", 12, requirement="^1.26"),
        pypi("pydantic", "pkg:pypi/pydantic", 19, requirement=">=2.6"),
        pypi("pytest", "pkg:pypi/pytest", 24, requirement="^8.0", scope=dev),
        pypi("requests", "pkg:pypi/requests", 8, requirement="^2.31"),
        pypi("rich", "pkg:pypi/rich", 11),
        pypi(
            "wheelie",
            "pkg:pypi/wheelie",
            18,
            source=SourceKind.URL,
            location="https://files.example.com/wheelie-1.0-py3-none-any.whl",
        ),
    )
    assert parsed.problems == (
        Problem(message="poetry dependency 'broken' has no version, git, path or url", line=20),
        Problem(message="invalid project name 'bad name!'", line=21),
    )


def test_poetry_2_refinements_of_project_entries_are_not_counted_twice() -> None:
    text = """\
[project]
name = "app"
dependencies = ["requests>=2.31"]

[tool.poetry.dependencies]
requests = { source = "internal" }
colorama = "^0.4"
"""
    parsed = PyprojectParser().parse("pyproject.toml", text)
    assert [(c.name, c.requirement, c.line) for c in parsed.components] == [
        ("colorama", "^0.4", 7),
        ("requests", ">=2.31", 3),
    ]
    assert parsed.problems == ()


def test_a_pyproject_without_dependencies_has_no_components() -> None:
    text = '[project]\nname = "tool"\nversion = "1.0"\n\n[tool.ruff]\nline-length = 100\n'
    assert PyprojectParser().parse("pyproject.toml", text) == ParsedFile(
        path="pyproject.toml", format="pyproject.toml", kind="manifest", ecosystem=Ecosystem.PYPI
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[project]\nname = "app"\ndependencies = [\n    "requests>=2.31",\n    "click',
            "pyproject.toml:5: invalid TOML: Unterminated string",
        ),
        (
            '[project]\nname = "app"\ndependencies = [\n    "requests>=2.31",\n',
            "pyproject.toml:4: invalid TOML: Invalid value",
        ),
        (
            '[project\nname = "app"\n',
            "pyproject.toml:1: invalid TOML: Expected ']' at the end of a table declaration",
        ),
        ('project = "app"\n', "pyproject.toml:1: 'project' is not a table"),
        (
            '[project]\nname = "app"\ndependencies = "requests"\n',
            "pyproject.toml:3: 'project.dependencies' is not an array",
        ),
        (
            '[tool.poetry]\nname = "app"\ndependencies = ["requests"]\n',
            "pyproject.toml:3: 'tool.poetry.dependencies' is not a table",
        ),
    ],
)
def test_unreadable_or_misshapen_files_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        PyprojectParser().parse("pyproject.toml", text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "license"),
    [
        (PEP621, "Apache-2.0"),
        ('[project]\nname = "a"\nlicense = {text = "BSD-3-Clause"}\n', "BSD-3-Clause"),
        ('[project]\nname = "a"\nlicense = {file = "LICENSE"}\n', None),
        (POETRY, "MIT"),
        ('[project]\nname = "a"\n', None),
    ],
)
def test_declared_license(text: str, license: str | None) -> None:
    assert declared_license("pyproject.toml", text) == license
