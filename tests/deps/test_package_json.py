from __future__ import annotations

import pytest

from assay.deps.formats.package_json import PackageJsonParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind

PATH = "web/package.json"

PACKAGE_JSON = """\
{
  "name": "@acme/shop-web",
  "version": "2.3.0",
  "license": "MIT",
  "workspaces": ["packages/*"],
  "dependencies": {
    "@babel/runtime": "7.23.2",
    "react": "^18.2.0",
    "string-width-cjs": "npm:string-width@^4.2.0",
    "left-pad": "npm:@acme/left-pad@1.3.0",
    "shared-ui": "workspace:*",
    "local-utils": "file:../utils",
    "linked": "link:../linked",
    "express": "expressjs/express#4.18.2",
    "lodash-fork": "git+https://github.com/acme/lodash.git#v4.17.21-acme",
    "gh": "github:acme/gh-tool",
    "tarball": "https://example.com/tarball-1.0.0.tgz",
    "anything": "*",
    "tagged": "latest",
    "blank": "",
    "pinned": "=v2.0.1",
    "broken": 3
  },
  "devDependencies": {
    "typescript": "~5.2.2",
    "react": "18.2.0",
    "jest": "29.7.0"
  },
  "optionalDependencies": {
    "fsevents": "2.3.3"
  },
  "peerDependencies": {
    "react-dom": "^18"
  },
  "bundleDependencies": ["react"]
}
"""


def _dependency(
    name: str,
    line: int,
    *,
    version: str | None = None,
    requirement: str | None = None,
    scope: Scope = Scope.RUNTIME,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
    purl: str | None = None,
) -> Component:
    return Component(
        name=name,
        version=version,
        ecosystem=Ecosystem.NPM,
        purl=purl or f"pkg:npm/{name}" + (f"@{version}" if version else ""),
        direct=True,
        scope=scope,
        declared_in=PATH,
        line=line,
        requirement=requirement,
        source=source,
        location=location,
    )


def test_reads_every_kind_of_spec_in_every_section() -> None:
    parsed = PackageJsonParser().parse(PATH, PACKAGE_JSON)
    assert parsed.format == "package.json"
    assert parsed.kind == "manifest"
    assert parsed.components == (
        _dependency("@acme/left-pad", 10, version="1.3.0", purl="pkg:npm/%40acme/left-pad@1.3.0"),
        _dependency("@babel/runtime", 7, version="7.23.2", purl="pkg:npm/%40babel/runtime@7.23.2"),
        _dependency("anything", 18, requirement="*"),
        _dependency("blank", 20, requirement="*"),
        _dependency(
            "express",
            14,
            requirement="expressjs/express#4.18.2",
            source=SourceKind.GIT,
            location="github:expressjs/express#4.18.2",
        ),
        _dependency("fsevents", 30, version="2.3.3"),
        _dependency(
            "gh",
            16,
            requirement="github:acme/gh-tool",
            source=SourceKind.GIT,
            location="github:acme/gh-tool",
        ),
        _dependency("jest", 27, version="29.7.0", scope=Scope.DEV),
        _dependency(
            "linked",
            13,
            requirement="link:../linked",
            source=SourceKind.PATH,
            location="../linked",
        ),
        _dependency(
            "local-utils",
            12,
            requirement="file:../utils",
            source=SourceKind.PATH,
            location="../utils",
        ),
        _dependency(
            "lodash-fork",
            15,
            requirement="git+https://github.com/acme/lodash.git#v4.17.21-acme",
            source=SourceKind.GIT,
            location="git+https://github.com/acme/lodash.git#v4.17.21-acme",
        ),
        _dependency("pinned", 21, version="2.0.1"),
        # Declared in both sections: the regular declaration wins, as in npm.
        _dependency("react", 8, requirement="^18.2.0"),
        _dependency("shared-ui", 11, requirement="workspace:*", source=SourceKind.PATH),
        _dependency("string-width", 9, requirement="^4.2.0"),
        _dependency("tagged", 19, requirement="latest"),
        _dependency(
            "tarball",
            17,
            requirement="https://example.com/tarball-1.0.0.tgz",
            source=SourceKind.URL,
            location="https://example.com/tarball-1.0.0.tgz",
        ),
        _dependency("typescript", 25, requirement="~5.2.2", scope=Scope.DEV),
    )
    assert parsed.problems == (
        Problem(message="dependencies.broken: expected a version string, found a number", line=22),
    )


def test_peer_dependencies_alone_give_no_component() -> None:
    text = '{"name": "plugin", "peerDependencies": {"react": "^18"}}'
    parsed = PackageJsonParser().parse("package.json", text)
    assert parsed.components == ()
    assert parsed.problems == ()


def test_sections_and_workspaces_of_the_wrong_shape_are_problems() -> None:
    text = """\
{
  "name": "odd",
  "dependencies": ["react"],
  "devDependencies": {"": "1.0.0", "@scope": "1.0.0", "alias": "npm:@scope/@1"},
  "workspaces": {"packages": "packages/*"}
}
"""
    parsed = PackageJsonParser().parse("package.json", text)
    assert parsed.components == ()
    assert parsed.problems == (
        Problem(message="dependencies should be an object, found an array", line=3),
        Problem(message="devDependencies: '' is not a package name", line=4),
        Problem(message="devDependencies: '@scope' is not a package name", line=4),
        Problem(message="devDependencies.alias: 'npm:@scope/@1' names no package", line=4),
        Problem(message="workspaces should be a list of folder patterns", line=5),
    )


def test_workspaces_as_an_object_are_accepted() -> None:
    text = '{"workspaces": {"packages": ["apps/*", "libs/*"], "nohoist": ["**/x"]}}'
    assert PackageJsonParser().parse("package.json", text).problems == ()


def test_a_truncated_file_is_an_error_naming_the_line() -> None:
    text = '{\n  "name": "web",\n  "dependencies": {\n    "react": "^18.2.0",\n'
    with pytest.raises(ManifestError) as caught:
        PackageJsonParser().parse(PATH, text)
    assert str(caught.value) == (
        "web/package.json:5: invalid JSON: Expecting property name enclosed in double quotes"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "web/package.json: invalid JSON: nested too deeply",
        ),
        (
            '{"version": ' + "9" * 5000 + "}",
            "web/package.json: invalid JSON: Exceeds the limit (4300 digits) for integer string"
            " conversion: value has 5000 digits; use sys.set_int_max_str_digits()"
            " to increase the limit",
        ),
    ],
)
def test_hostile_json_is_an_error_not_a_crash(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        PackageJsonParser().parse(PATH, text)
    assert str(caught.value) == message


def test_a_top_level_array_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        PackageJsonParser().parse(PATH, '["react"]')
    assert str(caught.value) == (
        "web/package.json:1: expected a JSON object at the top level, found an array"
    )


def test_a_byte_order_mark_is_ignored() -> None:
    parsed = PackageJsonParser().parse(PATH, '\ufeff{"dependencies": {"ms": "2.1.3"}}')
    assert [(c.name, c.version, c.line) for c in parsed.components] == [("ms", "2.1.3", 1)]
