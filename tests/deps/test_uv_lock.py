from __future__ import annotations

from typing import Any

import pytest

from assay.deps.formats.uv_lock import UvLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind

REGISTRY = '{ registry = "https://pypi.org/simple" }'
PYPI = f"source = {REGISTRY}"
FILES = "https://files.pythonhosted.org/packages"
OLD = "marker = \"python_full_version < '3.12'\""
NEW = "marker = \"python_full_version >= '3.12'\""
SHA = "0f5c3a0d8e1b2c4d6e8f0a1b3c5d7e9f1a2b3c4d"

# A workspace: the root project "app" and the member "app-core"; numpy forks by Python version.
LOCK = f"""\
version = 1
revision = 2
requires-python = ">=3.10"
resolution-markers = [
    "python_full_version >= '3.12'",
    "python_full_version < '3.12'",
]

[manifest]
members = [
    "app",
    "app-core",
]

[[package]]
name = "anyio"
version = "4.4.0"
{PYPI}
dependencies = [
    {{ name = "idna" }},
    {{ name = "sniffio" }},
]
sdist = {{ url = "{FILES}/anyio-4.4.0.tar.gz", hash = "sha256:5aad", size = 163930 }}
wheels = [
    {{ url = "{FILES}/anyio-4.4.0-py3-none-any.whl", hash = "sha256:c1b2", size = 86780 }},
]

[[package]]
name = "app"
version = "0.1.0"
source = {{ editable = "." }}
dependencies = [
    {{ name = "app-core" }},
    {{ name = "fx-rates" }},
    {{ name = "httpx" }},
    {{ name = "numpy", version = "1.26.4", source = {REGISTRY}, {OLD} }},
    {{ name = "numpy", version = "2.0.0", source = {REGISTRY}, {NEW} }},
]

[package.optional-dependencies]
docs = [
    {{ name = "mkdocs" }},
]
socks = [
    {{ name = "httpx", extra = ["socks"] }},
]

[package.dev-dependencies]
dev = [
    {{ name = "pytest" }},
    {{ name = "respx" }},
]

[package.metadata]
requires-dist = [
    {{ name = "app-core", editable = "packages/core" }},
    {{ name = "httpx", specifier = ">=0.27" }},
]

[package.metadata.requires-dev]
dev = [
    {{ name = "pytest", specifier = ">=8" }},
    {{ name = "respx" }},
]

[[package]]
name = "app-core"
version = "0.2.0"
source = {{ editable = "packages/core" }}
dependencies = [
    {{ name = "attrs" }},
    {{ name = "ledger" }},
]

[[package]]
name = "attrs"
version = "23.2.0"
{PYPI}

[[package]]
name = "certifi"
version = "2024.2.2"
{PYPI}

[[package]]
name = "colorama"
version = "0.4.6"
{PYPI}

[[package]]
name = "docs-theme"
version = "1.0.0"
source = {{ url = "https://files.example.com/docs_theme-1.0.0-py3-none-any.whl" }}

[[package]]
name = "fx-rates"
version = "1.4.0"
source = {{ git = "https://github.com/example/fx-rates?tag=v1.4.0#{SHA}" }}

[[package]]
name = "h2"
version = "4.1.0"
{PYPI}

[[package]]
name = "httpx"
version = "0.27.0"
{PYPI}
dependencies = [
    {{ name = "anyio" }},
    {{ name = "certifi" }},
    {{ name = "idna" }},
]

[package.optional-dependencies]
http2 = [
    {{ name = "h2" }},
]
socks = [
    {{ name = "socksio" }},
]

[[package]]
name = "idna"
version = "3.7"
{PYPI}

[[package]]
name = "iniconfig"
version = "2.0.0"
{PYPI}

[[package]]
name = "ledger"
version = "0.1.0"
source = {{ directory = "../libs/ledger" }}

[[package]]
name = "mkdocs"
version = "1.6.0"
{PYPI}
dependencies = [
    {{ name = "docs-theme" }},
]

[[package]]
name = "numpy"
version = "1.26.4"
{PYPI}
resolution-markers = [
    "python_full_version < '3.12'",
]

[[package]]
name = "numpy"
version = "2.0.0"
{PYPI}
resolution-markers = [
    "python_full_version >= '3.12'",
]

[[package]]
name = "pytest"
version = "8.2.0"
{PYPI}
dependencies = [
    {{ name = "colorama", marker = "sys_platform == 'win32'" }},
    {{ name = "iniconfig" }},
]

[[package]]
name = "respx"
version = "0.21.1"
{PYPI}
dependencies = [
    {{ name = "httpx", extra = ["http2"] }},
]

[[package]]
name = "sniffio"
version = "1.3.1"
{PYPI}

[[package]]
name = "socksio"
version = "1.0.0"
{PYPI}

[[package]]
name = "stray"
version = "1.0.0"
{PYPI}

[[package]]
name = "nover"
{PYPI}
"""


def pypi(
    name: str, version: str, line: int, direct: bool | None, scope: Scope, **fields: Any
) -> Component:
    return Component(
        name=name,
        version=version,
        ecosystem=Ecosystem.PYPI,
        purl=f"pkg:pypi/{name}@{version}",
        direct=direct,
        scope=scope,
        declared_in="svc/uv.lock",
        line=line,
        **fields,
    )


def test_members_decide_direct_and_the_graph_decides_scope() -> None:
    parsed = UvLockParser().parse("svc/uv.lock", LOCK)
    run, dev = Scope.RUNTIME, Scope.DEV
    assert parsed.components == (
        pypi("anyio", "4.4.0", 15, False, run),
        pypi("attrs", "23.2.0", 75, True, run),
        pypi("certifi", "2024.2.2", 80, False, run),
        pypi("colorama", "0.4.6", 85, False, dev),
        pypi(
            "docs-theme",
            "1.0.0",
            90,
            False,
            dev,
            source=SourceKind.URL,
            location="https://files.example.com/docs_theme-1.0.0-py3-none-any.whl",
        ),
        pypi(
            "fx-rates",
            "1.4.0",
            95,
            True,
            run,
            source=SourceKind.GIT,
            location="https://github.com/example/fx-rates?tag=v1.4.0"
            "#0f5c3a0d8e1b2c4d6e8f0a1b3c5d7e9f1a2b3c4d",
        ),
        pypi("h2", "4.1.0", 100, False, dev),
        pypi("httpx", "0.27.0", 105, True, run),
        pypi("idna", "3.7", 123, False, run),
        pypi("iniconfig", "2.0.0", 128, False, dev),
        pypi("ledger", "0.1.0", 133, True, run, source=SourceKind.PATH, location="libs/ledger"),
        pypi("mkdocs", "1.6.0", 138, True, dev),
        pypi("numpy", "1.26.4", 146, True, run),
        pypi("numpy", "2.0.0", 154, True, run),
        pypi("pytest", "8.2.0", 162, True, dev),
        pypi("respx", "0.21.1", 171, True, dev),
        pypi("sniffio", "1.3.1", 179, False, run),
        pypi("socksio", "1.0.0", 184, False, run),
        pypi("stray", "1.0.0", 189, False, Scope.UNKNOWN),
    )
    assert parsed.problems == (Problem(message="package 'nover': no version", line=194),)
    assert (parsed.format, parsed.kind) == ("uv.lock", "lock")


def test_a_fork_edge_without_version_reaches_every_version() -> None:
    text = f"""\
version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "0.1.0"
source = {{ virtual = "." }}
dependencies = [{{ name = "numpy" }}]

[[package]]
name = "numpy"
version = "1.26.4"
{PYPI}

[[package]]
name = "numpy"
version = "2.0.0"
{PYPI}
"""
    parsed = UvLockParser().parse("uv.lock", text)
    assert [(c.purl, c.direct, c.scope) for c in parsed.components] == [
        ("pkg:pypi/numpy@1.26.4", True, Scope.RUNTIME),
        ("pkg:pypi/numpy@2.0.0", True, Scope.RUNTIME),
    ]


def test_a_lock_without_members_cannot_tell_direct_or_scope() -> None:
    text = f"""\
version = 1
requires-python = ">=3.12"

[manifest]
requirements = [{{ name = "rich" }}]

[[package]]
name = "rich"
version = "13.7.1"
{PYPI}
"""
    parsed = UvLockParser().parse("uv.lock", text)
    assert parsed.components == (
        Component(
            name="rich",
            version="13.7.1",
            ecosystem=Ecosystem.PYPI,
            purl="pkg:pypi/rich@13.7.1",
            direct=None,
            scope=Scope.UNKNOWN,
            declared_in="uv.lock",
            line=7,
        ),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'version = 1\n\n[[package]]\nname = "rich"\nversion = "13.7',
            "uv.lock:5: invalid TOML: Unterminated string",
        ),
        (
            '[[package]]\nname = "rich"\nversion = "13.7.1"\n',
            "uv.lock: no integer 'version' key: not a uv lock file",
        ),
        ('version = 1\npackage = "x"\n', "uv.lock:2: 'package' is not an array"),
        (
            'version = 1\n[manifest]\nmembers = "app"\n',
            "uv.lock:3: 'manifest.members' is not an array",
        ),
    ],
)
def test_unreadable_or_misshapen_locks_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        UvLockParser().parse("uv.lock", text)
    assert str(caught.value) == message
