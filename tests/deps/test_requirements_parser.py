from __future__ import annotations

import time
from typing import Any

import pytest

from assay.deps.formats.requirements import RequirementsParser
from assay.deps.model import Component, Ecosystem, ParsedFile, Problem, Scope, SourceKind
from assay.deps.parsers import ParserSet

REQUIREMENTS = """\
# Production dependencies, compiled by pip-compile.
--index-url https://pypi.org/simple
--extra-index-url https://mirror.example.com/simple
--trusted-host mirror.example.com
--find-links ./wheels
--pre
--no-binary :all:
-i https://pypi.org/simple

-r base.txt
--requirement=../common/shared.txt
-c constraints.txt
-r ../../../outside.txt
-r https://example.com/remote.txt

Django==4.2.11 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
requests[socks,security] >= 2.31, <3 ; python_version >= "3.8"  # http client
Flask_Login==0.6.*
pywin32==306 ; sys_platform == "win32"
arbitrary===1.0-custom
attrs

-e ./libs/Shared_Lib[extra]
--editable=git+https://github.com/example/tool.git@v1.2#egg=Example_Tool
-e git+https://github.com/example/anonymous.git
-e .
mything @ git+https://github.com/example/mything.git@main
wheelpkg @ https://files.example.com/wheelpkg-2.0-py3-none-any.whl
./dist/My_Wheel-1.2.0-py3-none-any.whl
https://files.example.com/archive/foo-1.0.tar.gz
hg+https://hg.example.com/repo#egg=hgpkg
foo >= 1 bar
--unknown-option
"""


def pypi(name: str, purl: str, line: int, **fields: Any) -> Component:
    values: dict[str, Any] = {
        "version": None,
        "ecosystem": Ecosystem.PYPI,
        "direct": True,
        "scope": Scope.RUNTIME,
        "declared_in": "app/requirements.txt",
    }
    values.update(fields)
    return Component(name=name, purl=purl, line=line, **values)


def test_reads_every_kind_of_requirement_line() -> None:
    parsed = RequirementsParser().parse("app/requirements.txt", REQUIREMENTS)
    git = SourceKind.GIT
    assert parsed.components == (
        pypi("arbitrary", "pkg:pypi/arbitrary@1.0-custom", 22, version="1.0-custom"),
        pypi("attrs", "pkg:pypi/attrs", 23),
        pypi("django", "pkg:pypi/django@4.2.11", 16, version="4.2.11"),
        pypi(
            "example-tool",
            "pkg:pypi/example-tool",
            26,
            source=git,
            location="git+https://github.com/example/tool.git@v1.2#egg=Example_Tool",
        ),
        pypi("flask-login", "pkg:pypi/flask-login", 20, requirement="==0.6.*"),
        pypi(
            "foo",
            "pkg:pypi/foo@1.0",
            32,
            version="1.0",
            source=SourceKind.URL,
            location="https://files.example.com/archive/foo-1.0.tar.gz",
        ),
        pypi(
            "hgpkg",
            "pkg:pypi/hgpkg",
            33,
            source=SourceKind.URL,
            location="hg+https://hg.example.com/repo#egg=hgpkg",
        ),
        pypi(
            "my-wheel",
            "pkg:pypi/my-wheel@1.2.0",
            31,
            version="1.2.0",
            source=SourceKind.PATH,
            location="app/dist/My_Wheel-1.2.0-py3-none-any.whl",
        ),
        pypi(
            "mything",
            "pkg:pypi/mything",
            29,
            source=git,
            location="git+https://github.com/example/mything.git@main",
        ),
        pypi("pywin32", "pkg:pypi/pywin32@306", 21, version="306"),
        pypi("requests", "pkg:pypi/requests", 19, requirement="<3,>=2.31"),
        pypi(
            "shared-lib",
            "pkg:pypi/shared-lib",
            25,
            source=SourceKind.PATH,
            location="app/libs/Shared_Lib",
        ),
        pypi(
            "wheelpkg",
            "pkg:pypi/wheelpkg",
            30,
            source=SourceKind.URL,
            location="https://files.example.com/wheelpkg-2.0-py3-none-any.whl",
        ),
    )
    assert parsed.includes == ("app/base.txt", "common/shared.txt", "app/constraints.txt")
    assert parsed.problems == (
        Problem(message="include '../../../outside.txt' points outside the repository", line=13),
        Problem(message="remote include 'https://example.com/remote.txt' is not followed", line=14),
        Problem(
            message="cannot tell the package name of "
            "'git+https://github.com/example/anonymous.git': add #egg=<name>",
            line=27,
        ),
        Problem(
            message="invalid requirement 'foo >= 1 bar': Expected comma (within version "
            "specifier), semicolon (after version specifier) or end",
            line=34,
        ),
        Problem(message="unknown option --unknown-option ignored", line=35),
    )
    assert (parsed.format, parsed.kind, parsed.ecosystem) == (
        "requirements.txt",
        "manifest",
        Ecosystem.PYPI,
    )


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("requirements.txt", Scope.RUNTIME),
        ("requirements-dev.txt", Scope.DEV),
        ("dev-requirements.txt", Scope.DEV),
        ("requirements/test.txt", Scope.DEV),
        ("requirements_tests.in", Scope.DEV),
        ("docs/requirements.txt", Scope.DEV),
        ("services/api/requirements-prod.txt", Scope.RUNTIME),
        ("requirements-latest.txt", Scope.RUNTIME),
    ],
)
def test_scope_follows_the_words_of_the_path(path: str, scope: Scope) -> None:
    parsed = RequirementsParser().parse(path, "six==1.16.0\n")
    assert parsed.components == (
        Component(
            name="six",
            version="1.16.0",
            ecosystem=Ecosystem.PYPI,
            purl="pkg:pypi/six@1.16.0",
            direct=True,
            scope=scope,
            declared_in=path,
            line=1,
        ),
    )


def test_a_constraints_file_does_not_say_what_is_direct() -> None:
    parsed = RequirementsParser().parse("constraints.txt", "urllib3==2.2.1\n")
    assert parsed.components == (
        Component(
            name="urllib3",
            version="2.2.1",
            ecosystem=Ecosystem.PYPI,
            purl="pkg:pypi/urllib3@2.2.1",
            direct=None,
            scope=Scope.RUNTIME,
            declared_in="constraints.txt",
            line=1,
        ),
    )


def test_includes_resolve_from_the_including_directory() -> None:
    text = "-r ../base.txt\n-c./pins/../c.txt\n--constraint ../../up.txt\n-r ../base.txt\n"
    parsed = RequirementsParser().parse("requirements/prod.txt", text)
    assert parsed == ParsedFile(
        path="requirements/prod.txt",
        format="requirements.txt",
        kind="manifest",
        ecosystem=Ecosystem.PYPI,
        includes=("base.txt", "requirements/c.txt"),
        problems=(Problem(message="include '../../up.txt' points outside the repository", line=3),),
    )


def test_continuations_and_comments_keep_the_first_line_number() -> None:
    text = (
        "# just a comment \\\n"
        "numpy==1.26.4 \\\n"
        "    --hash=sha256:1111 \\\n"
        "    # a comment ends the continuation\n"
        "pandas \\\n"
        "  >=2.0\n"
        "url-pkg @ https://example.com/x.whl#sha256=abc\n"
    )
    parsed = RequirementsParser().parse("requirements.txt", text)
    assert [(c.name, c.version, c.requirement, c.line) for c in parsed.components] == [
        ("numpy", "1.26.4", None, 2),
        ("pandas", None, ">=2.0", 5),
        ("url-pkg", None, None, 7),
    ]
    assert parsed.problems == ()


def test_a_garbage_file_gives_problems_not_an_exception() -> None:
    parsed = RequirementsParser().parse("requirements.txt", "<html>\n-e\n")
    assert parsed.components == ()
    assert parsed.problems == (
        Problem(
            message="invalid requirement '<html>': Expected package name at the start of "
            "dependency specifier",
            line=1,
        ),
        Problem(message="option -e needs a value", line=2),
    )


def test_ten_thousand_identical_lines_stay_ten_thousand_components() -> None:
    text = "requests==2.31.0 --hash=sha256:abcd\n" * 10_000
    started = time.perf_counter()
    parsed = RequirementsParser().parse("requirements.txt", text)
    elapsed = time.perf_counter() - started
    assert parsed.components == tuple(
        Component(
            name="requests",
            version="2.31.0",
            ecosystem=Ecosystem.PYPI,
            purl="pkg:pypi/requests@2.31.0",
            direct=True,
            scope=Scope.RUNTIME,
            declared_in="requirements.txt",
            line=number,
        )
        for number in range(1, 10_001)
    )
    assert elapsed < 2.0


@pytest.mark.parametrize(
    ("path", "claimed"),
    [
        ("requirements.txt", True),
        ("requirements-dev.txt", True),
        ("ci/constraints-py311.txt", True),
        ("requirements.in", True),
        ("api.requirements.txt", True),
        ("dev-requirements.txt", True),
        ("test-requirements.txt", True),
        ("requirements.md", False),
    ],
)
def test_patterns(path: str, claimed: bool) -> None:
    parsers = ParserSet(parsers=(RequirementsParser(),), broken={})
    assert (parsers.for_path(path) is not None) is claimed
