from __future__ import annotations

import pytest

from assay.deps.formats.package_lock import PackageLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind
from assay.deps.parsers import component

PATH = "package-lock.json"
REGISTRY = "https://registry.npmjs.org"
SHA = "5b3f0a8b8d1f5a8a2d8c2e0e6a2b8f1d2c3e4f5a"

# lockfileVersion 3 of a workspace project (npm 9): the root "" and "packages/app" are
# the product; "node_modules/@acme/app" links to the workspace, "node_modules/local-lib"
# to a folder outside the project.
LOCK_V3 = f"""\
{{
  "name": "shop",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {{
    "": {{
      "name": "shop",
      "version": "1.0.0",
      "license": "UNLICENSED",
      "workspaces": ["packages/*"],
      "dependencies": {{
        "@babel/runtime": "^7.23.0",
        "debug": "^4.3.4",
        "left-pad": "github:acme/left-pad#v1.3.0",
        "local-lib": "file:../local-lib",
        "string-width-cjs": "npm:string-width@^4.2.0",
        "vendored": "file:vendor/vendored-1.0.0.tgz"
      }},
      "devDependencies": {{
        "jest": "^29.7.0"
      }},
      "optionalDependencies": {{
        "fsevents": "^2.3.3"
      }}
    }},
    "../local-lib": {{
      "name": "local-lib",
      "version": "0.2.0",
      "license": "MIT"
    }},
    "node_modules/@acme/app": {{
      "resolved": "packages/app",
      "link": true
    }},
    "node_modules/@babel/runtime": {{
      "version": "7.23.2",
      "resolved": "{REGISTRY}/@babel/runtime/-/runtime-7.23.2.tgz",
      "integrity": "sha512-mM8eg4yl5D6i3lu2QKPuPH4FArvJ8KhTofbE7jwMUv9KX5mBvwPAqnV3MlyBNqdp9g==",
      "license": "MIT",
      "dependencies": {{
        "regenerator-runtime": "^0.14.0"
      }}
    }},
    "node_modules/broken": "not an object",
    "node_modules/debug": {{
      "version": "4.3.4",
      "resolved": "{REGISTRY}/debug/-/debug-4.3.4.tgz",
      "license": "MIT",
      "dependencies": {{
        "ms": "2.1.2"
      }}
    }},
    "node_modules/debug/node_modules/ms": {{
      "version": "2.1.2",
      "resolved": "{REGISTRY}/ms/-/ms-2.1.2.tgz",
      "license": "MIT"
    }},
    "node_modules/esbuild-darwin-arm64": {{
      "version": "0.19.5",
      "resolved": "{REGISTRY}/esbuild-darwin-arm64/-/esbuild-darwin-arm64-0.19.5.tgz",
      "devOptional": true,
      "os": ["darwin"]
    }},
    "node_modules/fsevents": {{
      "version": "2.3.3",
      "resolved": "{REGISTRY}/fsevents/-/fsevents-2.3.3.tgz",
      "license": "MIT",
      "optional": true,
      "os": ["darwin"]
    }},
    "node_modules/jest": {{
      "version": "29.7.0",
      "resolved": "{REGISTRY}/jest/-/jest-29.7.0.tgz",
      "dev": true,
      "license": "MIT"
    }},
    "node_modules/left-pad": {{
      "version": "1.3.0",
      "resolved": "git+ssh://git@github.com/acme/left-pad.git#{SHA}",
      "license": "WTFPL"
    }},
    "node_modules/local-lib": {{
      "resolved": "../local-lib",
      "link": true
    }},
    "node_modules/lodash": {{
      "version": "3.10.1",
      "resolved": "{REGISTRY}/lodash/-/lodash-3.10.1.tgz",
      "license": "MIT"
    }},
    "node_modules/ms": {{
      "version": "2.1.3",
      "resolved": "{REGISTRY}/ms/-/ms-2.1.3.tgz",
      "license": "MIT"
    }},
    "node_modules/no-version": {{
      "resolved": "{REGISTRY}/no-version/-/no-version-1.0.0.tgz"
    }},
    "node_modules/regenerator-runtime": {{
      "version": "0.14.0",
      "resolved": "{REGISTRY}/regenerator-runtime/-/regenerator-runtime-0.14.0.tgz",
      "license": "MIT"
    }},
    "node_modules/string-width-cjs": {{
      "name": "string-width",
      "version": "4.2.3",
      "resolved": "{REGISTRY}/string-width/-/string-width-4.2.3.tgz",
      "license": "MIT"
    }},
    "node_modules/vendored": {{
      "version": "1.0.0",
      "resolved": "file:vendor/vendored-1.0.0.tgz",
      "integrity": "sha512-AAAA"
    }},
    "packages/app": {{
      "name": "@acme/app",
      "version": "0.1.0",
      "dependencies": {{
        "@acme/missing": "^1.0.0",
        "lodash": "^4.17.21",
        "ms": "^2.1.3"
      }}
    }},
    "packages/app/node_modules/lodash": {{
      "version": "4.17.21",
      "resolved": "{REGISTRY}/lodash/-/lodash-4.17.21.tgz",
      "license": "MIT"
    }}
  }}
}}
"""


def _locked(
    name: str,
    version: str | None,
    line: int,
    *,
    direct: bool | None,
    scope: Scope = Scope.RUNTIME,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
    license: str | None = "MIT",
    path: str = PATH,
) -> Component:
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.NPM,
        declared_in=path,
        direct=direct,
        scope=scope,
        line=line,
        source=source,
        location=location,
        license=license,
    )


def test_v3_reads_installs_and_settles_direct_from_root_and_workspaces() -> None:
    parsed = PackageLockParser().parse(PATH, LOCK_V3)
    assert parsed.format == "package-lock.json"
    assert parsed.kind == "lock"
    assert parsed.components == (
        _locked("@babel/runtime", "7.23.2", 36, direct=True),
        _locked("debug", "4.3.4", 46, direct=True),
        _locked("esbuild-darwin-arm64", "0.19.5", 59, direct=False, scope=Scope.DEV, license=None),
        _locked("fsevents", "2.3.3", 65, direct=True),
        _locked("jest", "29.7.0", 72, direct=True, scope=Scope.DEV),
        _locked(
            "left-pad",
            "1.3.0",
            78,
            direct=True,
            source=SourceKind.GIT,
            location=f"git+ssh://git@github.com/acme/left-pad.git#{SHA}",
            license="WTFPL",
        ),
        _locked(
            "local-lib", "0.2.0", 83, direct=True, source=SourceKind.PATH, location="../local-lib"
        ),
        # Top-level lodash 3 is nobody's declared dependency; the workspace has its own 4.
        _locked("lodash", "3.10.1", 87, direct=False),
        _locked("lodash", "4.17.21", 125, direct=True),
        _locked("ms", "2.1.2", 54, direct=False),
        # packages/app finds ms by walking up to the top-level node_modules.
        _locked("ms", "2.1.3", 92, direct=True),
        _locked("regenerator-runtime", "0.14.0", 100, direct=False),
        _locked("string-width", "4.2.3", 105, direct=True),
        _locked(
            "vendored",
            "1.0.0",
            111,
            direct=True,
            source=SourceKind.PATH,
            location="vendor/vendored-1.0.0.tgz",
            license=None,
        ),
    )
    broken = "packages['node_modules/broken'] should be an object, found a string"
    missing = "@acme/missing: in dependencies of workspace packages/app but not installed"
    assert parsed.problems == (
        Problem(message=broken, line=45),
        Problem(message=missing, line=116),
        Problem(message="node_modules/no-version: no version", line=97),
    )


def test_a_scoped_component_has_an_encoded_purl() -> None:
    parsed = PackageLockParser().parse(PATH, LOCK_V3)
    assert parsed.components[0].purl == "pkg:npm/%40babel/runtime@7.23.2"


LOCK_V2 = f"""\
{{
  "name": "api",
  "lockfileVersion": 2,
  "requires": true,
  "packages": {{
    "": {{"name": "api", "dependencies": {{"ms": "2.1.3"}}}},
    "node_modules/ms": {{"version": "2.1.3", "resolved": "{REGISTRY}/ms/-/ms-2.1.3.tgz"}}
  }},
  "dependencies": {{
    "ms": {{"version": "2.1.3", "resolved": "{REGISTRY}/ms/-/ms-2.1.3.tgz"}},
    "only-in-the-old-tree": {{"version": "9.9.9"}}
  }}
}}
"""


def test_v2_prefers_packages_over_the_old_tree() -> None:
    parsed = PackageLockParser().parse("npm-shrinkwrap.json", LOCK_V2)
    assert parsed.components == (
        _locked("ms", "2.1.3", 7, direct=True, license=None, path="npm-shrinkwrap.json"),
    )
    assert parsed.problems == ()


LOCK_V1 = f"""\
{{
  "name": "legacy",
  "version": "1.0.0",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {{
    "@types/node": {{
      "version": "20.8.0",
      "resolved": "{REGISTRY}/@types/node/-/node-20.8.0.tgz",
      "integrity": "sha512-AAAA",
      "dev": true
    }},
    "bad": {{
      "resolved": "{REGISTRY}/bad/-/bad-1.0.0.tgz"
    }},
    "debug": {{
      "version": "4.3.4",
      "resolved": "{REGISTRY}/debug/-/debug-4.3.4.tgz",
      "requires": {{
        "ms": "2.1.2"
      }},
      "dependencies": {{
        "ms": {{
          "version": "2.1.2",
          "resolved": "{REGISTRY}/ms/-/ms-2.1.2.tgz",
          "bundled": true
        }}
      }}
    }},
    "left-pad": {{
      "version": "github:acme/left-pad#{SHA}",
      "from": "github:acme/left-pad#v1.3.0"
    }},
    "local-lib": {{
      "version": "file:../local-lib"
    }},
    "ms": {{
      "version": "2.1.3",
      "resolved": "{REGISTRY}/ms/-/ms-2.1.3.tgz",
      "optional": true
    }},
    "string-width-cjs": {{
      "version": "npm:string-width@4.2.3",
      "resolved": "{REGISTRY}/string-width/-/string-width-4.2.3.tgz"
    }},
    "tarball": {{
      "version": "https://example.com/tarball-1.0.0.tgz",
      "integrity": "sha512-BBBB"
    }}
  }}
}}
"""


def test_v1_walks_the_nested_tree_and_leaves_direct_open() -> None:
    parsed = PackageLockParser().parse(PATH, LOCK_V1)
    assert parsed.components == (
        _locked("@types/node", "20.8.0", 7, direct=None, scope=Scope.DEV, license=None),
        _locked("debug", "4.3.4", 16, direct=None, license=None),
        _locked(
            "left-pad",
            None,
            30,
            direct=None,
            source=SourceKind.GIT,
            location=f"github:acme/left-pad#{SHA}",
            license=None,
        ),
        _locked(
            "local-lib",
            None,
            34,
            direct=None,
            source=SourceKind.PATH,
            location="../local-lib",
            license=None,
        ),
        _locked("ms", "2.1.2", 23, direct=None, license=None),
        _locked("ms", "2.1.3", 37, direct=None, license=None),
        _locked("string-width", "4.2.3", 42, direct=None, license=None),
        _locked(
            "tarball",
            None,
            46,
            direct=None,
            source=SourceKind.URL,
            location="https://example.com/tarball-1.0.0.tgz",
            license=None,
        ),
    )
    assert parsed.problems == (Problem(message="bad: no version", line=13),)


def test_copies_of_one_version_at_several_places_are_one_component() -> None:
    text = f"""\
{{
  "lockfileVersion": 3,
  "packages": {{
    "": {{"devDependencies": {{"a": "1", "b": "1"}}, "dependencies": {{"c": "1"}}}},
    "node_modules/a": {{"version": "1.0.0", "dev": true}},
    "node_modules/a/node_modules/ms": {{"version": "2.0.0", "dev": true}},
    "node_modules/b": {{"version": "1.0.0", "dev": true}},
    "node_modules/b/node_modules/ms": {{"version": "2.0.0", "dev": true}},
    "node_modules/c": {{"version": "1.0.0"}},
    "node_modules/c/node_modules/ms": {{"version": "2.0.0", "resolved": "{REGISTRY}/ms/-/ms-2.0.0.tgz"}}
  }}
}}
"""  # noqa: E501 (lock lines are long)
    parsed = PackageLockParser().parse(PATH, text)
    assert [(c.name, c.version, c.scope, c.direct, c.line) for c in parsed.components] == [
        ("a", "1.0.0", Scope.DEV, True, 5),
        ("b", "1.0.0", Scope.DEV, True, 7),
        ("c", "1.0.0", Scope.RUNTIME, True, 9),
        # Runtime because the copy under c is; first line of the three.
        ("ms", "2.0.0", Scope.RUNTIME, False, 6),
    ]


def test_an_unknown_lockfile_version_is_read_with_a_problem() -> None:
    text = '{\n  "lockfileVersion": 4,\n  "packages": {"node_modules/x": {"version": "1.0.0"}}\n}\n'
    parsed = PackageLockParser().parse(PATH, text)
    assert [(c.name, c.version) for c in parsed.components] == [("x", "1.0.0")]
    assert parsed.problems == (
        Problem(message="lockfileVersion 4 is not one of 1, 2, 3; read like the nearest", line=2),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/ms": {\n',
            "package-lock.json:5: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        ("", "package-lock.json:1: invalid JSON: Expecting value"),
        ('["x"]', "package-lock.json:1: expected a JSON object at the top level, found an array"),
        ('{"name": "x"}', "package-lock.json: lockfileVersion should be a number, found nothing"),
        (
            '{\n  "lockfileVersion": "3"\n}',
            "package-lock.json:2: lockfileVersion should be a number, found a string",
        ),
        (
            '{\n  "lockfileVersion": 3,\n  "dependencies": {}\n}',
            "package-lock.json:2: lockfileVersion 3 should have a packages object",
        ),
        (
            '{\n  "lockfileVersion": 3,\n  "packages": []\n}',
            "package-lock.json:3: packages should be an object, found an array",
        ),
        (
            '{\n  "lockfileVersion": 1,\n  "dependencies": "none"\n}',
            "package-lock.json:3: dependencies should be an object, found a string",
        ),
    ],
)
def test_unreadable_files_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        PackageLockParser().parse(PATH, text)
    assert str(caught.value) == message
