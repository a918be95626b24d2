from __future__ import annotations

import time

import pytest

from assay.deps.formats.pnpm_lock import PnpmLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind
from assay.deps.parsers import component

PATH = "pnpm-lock.yaml"
SHA = "5b3f0a8b8d1f5a8a2d8c2e0e6a2b8f1d2c3e4f5a"
CODELOAD = f"https://codeload.github.com/acme/left-pad/tar.gz/{SHA}"
INTEGRITY = "{integrity: sha512-XktuhWlJ5g+3TJXc5upd9Ks1HutSArik6jf2eAjYFdsG0K3ja6M7Vn1fSuJDSw==}"


def _locked(
    name: str,
    version: str | None,
    line: int,
    *,
    direct: bool,
    scope: Scope = Scope.RUNTIME,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
) -> Component:
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.NPM,
        declared_in=PATH,
        direct=direct,
        scope=scope,
        line=line,
        source=source,
        location=location,
    )


# pnpm 7: one project, dependencies at the top level, "/name/version_peers" keys.
LOCK_5 = f"""\
lockfileVersion: 5.4

specifiers:
  '@babel/runtime': ^7.23.0
  left-pad: github:acme/left-pad#v1.3.0
  local-lib: file:../local-lib
  react-dom: ^18.2.0
  string-width-cjs: npm:string-width@^4.2.0
  typescript: ~5.2.2

dependencies:
  '@babel/runtime': 7.23.2
  left-pad: github.com/acme/left-pad/{SHA}
  local-lib: file:../local-lib
  react-dom: 18.2.0_react@18.2.0
  string-width-cjs: /string-width/4.2.3

devDependencies:
  typescript: 5.2.2

packages:

  /@babel/runtime/7.23.2:
    resolution: {INTEGRITY}
    engines: {{node: '>=6.9.0'}}
    dependencies:
      regenerator-runtime: 0.14.0
    dev: false

  /loose-envify/1.4.0:
    resolution: {INTEGRITY}
    hasBin: true
    dependencies:
      js-tokens: 4.0.0

  /ms/2.1.2:
    resolution: {INTEGRITY}
    dev: true

  /ms/2.1.3:
    resolution: {INTEGRITY}
    dev: false

  /react-dom/18.2.0_react@18.2.0:
    resolution: {INTEGRITY}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0
    dev: false

  /react/18.2.0:
    resolution: {INTEGRITY}
    dev: false

  /regenerator-runtime/0.14.0:
    resolution: {INTEGRITY}
    dev: false

  /string-width/4.2.3:
    resolution: {INTEGRITY}
    dev: false

  /typescript/5.2.2:
    resolution: {INTEGRITY}
    engines: {{node: '>=14.17'}}
    hasBin: true
    dev: true

  file:../local-lib:
    resolution: {{directory: ../local-lib, type: directory}}
    name: local-lib
    version: 0.2.0
    dev: false

  github.com/acme/left-pad/{SHA}:
    resolution: {{tarball: {CODELOAD}}}
    name: left-pad
    version: 1.3.0
    dev: false

  registry.example.com/nameless/1.0.0:
    resolution: {INTEGRITY}
    dev: false
"""


def test_v5_keys_peer_suffixes_and_dev_flags() -> None:
    parsed = PnpmLockParser().parse(PATH, LOCK_5)
    assert parsed.format == "pnpm-lock.yaml"
    assert parsed.kind == "lock"
    assert parsed.components == (
        _locked("@babel/runtime", "7.23.2", 23, direct=True),
        _locked("left-pad", "1.3.0", 77, direct=True, source=SourceKind.GIT, location=CODELOAD),
        _locked(
            "local-lib", "0.2.0", 71, direct=True, source=SourceKind.PATH, location="../local-lib"
        ),
        # No dev flag: used by both sides, so runtime.
        _locked("loose-envify", "1.4.0", 30, direct=False),
        _locked("ms", "2.1.2", 36, direct=False, scope=Scope.DEV),
        _locked("ms", "2.1.3", 40, direct=False),
        _locked("react", "18.2.0", 53, direct=False),
        _locked("react-dom", "18.2.0", 44, direct=True),
        _locked("regenerator-runtime", "0.14.0", 57, direct=False),
        _locked("string-width", "4.2.3", 61, direct=True),
        _locked("typescript", "5.2.2", 65, direct=True, scope=Scope.DEV),
    )
    assert parsed.problems == (
        Problem(
            message="packages['registry.example.com/nameless/1.0.0']: cannot tell the package name",
            line=83,
        ),
    )
    assert parsed.components[0].purl == "pkg:npm/%40babel/runtime@7.23.2"


# pnpm 8: workspaces under importers, "/name@version(peers)" keys.
LOCK_6 = f"""\
lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    devDependencies:
      typescript:
        specifier: ~5.2.2
        version: 5.2.2

  packages/app:
    dependencies:
      '@acme/shared':
        specifier: workspace:*
        version: link:../shared
      left-pad:
        specifier: github:acme/left-pad#v1.3.0
        version: github.com/acme/left-pad/{SHA}
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
      string-width-cjs:
        specifier: npm:string-width@^4.2.0
        version: /string-width@4.2.3
      use-thing:
        specifier: ^1.2.0
        version: 1.2.0(react@18.2.0)

  packages/shared:
    dependencies:
      missing-one:
        specifier: ^1.0.0
        version: 1.0.0
      ms:
        specifier: ^2.1.3
        version: 2.1.3

packages:

  /ms@2.1.3:
    resolution: {INTEGRITY}
    dev: false

  /react-dom@18.2.0(react@18.2.0):
    resolution: {INTEGRITY}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      react: 18.2.0
    dev: false

  /react@18.2.0:
    resolution: {INTEGRITY}
    dev: false

  /react@18.3.1:
    resolution: {INTEGRITY}
    dev: true

  /string-width@4.2.3:
    resolution: {INTEGRITY}
    dev: false

  /typescript@5.2.2:
    resolution: {INTEGRITY}
    hasBin: true
    dev: true

  /use-thing@1.2.0(react@18.2.0):
    resolution: {INTEGRITY}
    peerDependencies:
      react: ^18
    dev: false

  /use-thing@1.2.0(react@18.3.1):
    resolution: {INTEGRITY}
    peerDependencies:
      react: ^18
    dev: true

  github.com/acme/left-pad/{SHA}:
    resolution: {{tarball: {CODELOAD}}}
    name: left-pad
    version: 1.3.0
    dev: false
"""


def test_v6_importers_links_and_peer_variants() -> None:
    parsed = PnpmLockParser().parse(PATH, LOCK_6)
    assert parsed.components == (
        _locked("left-pad", "1.3.0", 85, direct=True, source=SourceKind.GIT, location=CODELOAD),
        _locked("ms", "2.1.3", 44, direct=True),
        _locked("react", "18.2.0", 56, direct=False),
        _locked("react", "18.3.1", 60, direct=False, scope=Scope.DEV),
        _locked("react-dom", "18.2.0", 48, direct=True),
        _locked("string-width", "4.2.3", 64, direct=True),
        _locked("typescript", "5.2.2", 68, direct=True, scope=Scope.DEV),
        # Two peer variants, one runtime and direct: one component.
        _locked("use-thing", "1.2.0", 73, direct=True),
    )
    assert parsed.problems == (
        Problem(
            message="missing-one 1.0.0: in dependencies of importer 'packages/shared'"
            " but not in packages",
            line=33,
        ),
    )


# pnpm 9: "name@version" keys in packages, peer variants and the graph in snapshots.
LOCK_9 = f"""\
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@acme/shared':
        specifier: workspace:*
        version: link:packages/shared
      '@babel/runtime':
        specifier: ^7.23.0
        version: 7.23.2
      left-pad:
        specifier: github:acme/left-pad#v1.3.0
        version: {CODELOAD}
      local-lib:
        specifier: file:../local-lib
        version: file:../local-lib(react@18.2.0)
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
      string-width-cjs:
        specifier: npm:string-width@^4.2.0
        version: string-width@4.2.3
    devDependencies:
      jest-thing:
        specifier: ^1.0.0
        version: 1.0.0
      typescript:
        specifier: ~5.2.2
        version: 5.2.2

  packages/shared:
    dependencies:
      ms:
        specifier: ^2.1.3
        version: 2.1.3

packages:

  '@babel/runtime@7.23.2':
    resolution: {INTEGRITY}
    engines: {{node: '>=6.9.0'}}

  jest-thing@1.0.0:
    resolution: {INTEGRITY}

  js-tokens@4.0.0:
    resolution: {INTEGRITY}

  left-pad@{CODELOAD}:
    resolution: {{tarball: {CODELOAD}}}
    version: 1.3.0

  local-lib@file:../local-lib:
    resolution: {{directory: ../local-lib, type: directory}}
    version: 0.2.0
    peerDependencies:
      react: ^18

  loose-envify@1.4.0:
    resolution: {INTEGRITY}
    hasBin: true

  ms@2.0.0:
    resolution: {INTEGRITY}

  ms@2.1.3:
    resolution: {INTEGRITY}

  orphan@1.0.0:
    resolution: {INTEGRITY}

  react-dom@18.2.0:
    resolution: {INTEGRITY}
    peerDependencies:
      react: ^18.2.0

  react@18.2.0:
    resolution: {INTEGRITY}
    engines: {{node: '>=0.10.0'}}

  regenerator-runtime@0.14.0:
    resolution: {INTEGRITY}

  string-width@4.2.3:
    resolution: {INTEGRITY}

  typescript@5.2.2:
    resolution: {INTEGRITY}
    engines: {{node: '>=14.17'}}
    hasBin: true

snapshots:

  '@babel/runtime@7.23.2':
    dependencies:
      regenerator-runtime: 0.14.0

  jest-thing@1.0.0:
    dependencies:
      js-tokens: 4.0.0
      ms: 2.0.0

  js-tokens@4.0.0: {{}}

  left-pad@{CODELOAD}: {{}}

  local-lib@file:../local-lib(react@18.2.0):
    dependencies:
      react: 18.2.0

  loose-envify@1.4.0:
    dependencies:
      js-tokens: 4.0.0

  ms@2.0.0: {{}}

  ms@2.1.3: {{}}

  orphan@1.0.0: {{}}

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0

  react@18.2.0:
    dependencies:
      loose-envify: 1.4.0

  regenerator-runtime@0.14.0: {{}}

  string-width@4.2.3: {{}}

  typescript@5.2.2: {{}}
"""


def test_v9_works_out_scope_from_the_snapshot_graph() -> None:
    parsed = PnpmLockParser().parse(PATH, LOCK_9)
    assert parsed.components == (
        _locked("@babel/runtime", "7.23.2", 45, direct=True),
        _locked("jest-thing", "1.0.0", 49, direct=True, scope=Scope.DEV),
        # Reached from jest-thing (dev) and from loose-envify (runtime).
        _locked("js-tokens", "4.0.0", 52, direct=False),
        _locked("left-pad", "1.3.0", 55, direct=True, source=SourceKind.GIT, location=CODELOAD),
        _locked(
            "local-lib", "0.2.0", 59, direct=True, source=SourceKind.PATH, location="../local-lib"
        ),
        _locked("loose-envify", "1.4.0", 65, direct=False),
        _locked("ms", "2.0.0", 69, direct=False, scope=Scope.DEV),
        _locked("ms", "2.1.3", 72, direct=True),
        _locked("orphan", "1.0.0", 75, direct=False, scope=Scope.UNKNOWN),
        _locked("react", "18.2.0", 83, direct=False),
        _locked("react-dom", "18.2.0", 78, direct=True),
        _locked("regenerator-runtime", "0.14.0", 87, direct=False),
        _locked("string-width", "4.2.3", 90, direct=True),
        _locked("typescript", "5.2.2", 93, direct=True, scope=Scope.DEV),
    )
    assert parsed.problems == ()


def test_an_empty_lock_has_no_components() -> None:
    text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n\npackages: {}\n\nsnapshots: {}\n"
    parsed = PnpmLockParser().parse(PATH, text)
    assert (parsed.components, parsed.problems) == ((), ())


def test_an_unknown_lockfile_version_is_read_with_a_problem() -> None:
    text = "lockfileVersion: '10.0'\n\npackages:\n\n  ms@2.1.3:\n    resolution: {}\n"
    parsed = PnpmLockParser().parse(PATH, text)
    assert [(c.name, c.version, c.scope) for c in parsed.components] == [
        ("ms", "2.1.3", Scope.UNKNOWN)
    ]
    assert parsed.problems == (
        Problem(
            message="lockfileVersion 10.0 is not one of 5.x, 6.x, 9.x; read like the nearest",
            line=1,
        ),
    )


def test_entries_of_the_wrong_shape_are_problems() -> None:
    text = """\
lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      ms:
        specifier: ^2
  other: 3
packages:
  ms@2.1.3: [not, a, mapping]
  /@scope/@1.0.0:
    resolution: {integrity: sha512-AAAA}
"""
    parsed = PnpmLockParser().parse(PATH, text)
    assert parsed.components == ()
    assert parsed.problems == (
        Problem(message="importer 'other' should be a mapping, found a number", line=7),
        Problem(message="ms: in dependencies of importer '.' without a version", line=3),
        Problem(message="packages['ms@2.1.3'] should be a mapping, found an array", line=9),
        Problem(message="packages['/@scope/@1.0.0']: cannot tell the package name", line=10),
    )


BOMB = """\
lockfileVersion: '9.0'
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

# The same with merge keys: each mapping pulls in the previous one twice over.
MERGE_BOMB = (
    "lockfileVersion: '9.0'\na: &a {"
    + ", ".join(f"k{i}: v" for i in range(200))
    + "}\n"
    + "".join(
        f"m{i}: &m{i} {{<<: [*{'a' if i == 0 else f'm{i - 1}'}], x{i}: 1}}\nn{i}: [*m{i}, *m{i}]\n"
        for i in range(60)
    )
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "pnpm-lock.yaml: YAML aliases expand the document by more than 10000 values"),
        (MERGE_BOMB, "pnpm-lock.yaml: YAML aliases expand the document by more than 10000 values"),
        ("a: &a [*a]\n", "pnpm-lock.yaml: YAML aliases refer to their own ancestors (a cycle)"),
        (
            "lockfileVersion: '9.0'\npackages: " + "[" * 40 + "]" * 40 + "\n",
            "pnpm-lock.yaml:2: invalid YAML: flow collections ([ ], { })"
            " are nested more than 32 deep",
        ),
        (
            "lockfileVersion: '9.0'\npackages:\n  ms@2.1.3:\n    resolution: {integrity: sha512-Xk",
            "pnpm-lock.yaml:4: invalid YAML: expected ',' or '}', but got '<stream end>'",
        ),
        ("", "pnpm-lock.yaml:1: expected a mapping at the top level, found an empty document"),
        ("- a\n- b\n", "pnpm-lock.yaml:1: expected a mapping at the top level, found an array"),
        (
            "packages: {}\n",
            "pnpm-lock.yaml: lockfileVersion should be a version number, found nothing",
        ),
        (
            "lockfileVersion: [5]\n",
            "pnpm-lock.yaml:1: lockfileVersion should be a version number, found an array",
        ),
        (
            "lockfileVersion: 'next'\n",
            "pnpm-lock.yaml:1: lockfileVersion 'next' is not a version number",
        ),
        (
            "lockfileVersion: '9.0'\npackages: [a]\n",
            "pnpm-lock.yaml:2: packages should be a mapping, found an array",
        ),
        (
            "lockfileVersion: '9.0'\nimporters: 3\n",
            "pnpm-lock.yaml:2: importers should be a mapping, found a number",
        ),
        (
            "lockfileVersion: '9.0'\nlockfileVersion: '6.0'\n",
            'pnpm-lock.yaml:2: invalid YAML: found duplicate key "lockfileVersion"'
            ' with value "6.0" (original value: "9.0")',
        ),
        (
            "lockfileVersion: !!python/object:os.system x\n",
            "pnpm-lock.yaml:1: invalid YAML: could not determine a constructor"
            " for the tag 'tag:yaml.org,2002:python/object:os.system'",
        ),
        (
            "lockfileVersion: '9.0'\x00\n",
            "pnpm-lock.yaml:1: invalid YAML: unacceptable character #x0000",
        ),
    ],
)
def test_unreadable_files_are_errors_and_fast(text: str, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(ManifestError) as caught:
        PnpmLockParser().parse(PATH, text)
    assert str(caught.value) == message
    assert time.monotonic() - started < 2
