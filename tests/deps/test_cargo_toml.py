from __future__ import annotations

import pytest

from assay.deps.formats.cargo_toml import CargoTomlParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind

CARGO_TOML = """\
[package]
name = "shop-api"
version = "0.4.0"
edition = "2021"
description = \"\"\"
A multi-line description.
[dependencies]
fake = "1"
\"\"\"

[dependencies]
serde = { version = "1.0.193", features = ["derive"] }
tokio = "=1.35.1"
"openssl" = { version = "0.10", optional = true }
json = { package = "serde_json", version = "1" }
shared = { path = "../shared", version = "0.3" }
tracing.workspace = true
anyhow = { workspace = true }
broken = 3
both = { git = "https://github.com/x/both", path = "../both" }
nameless = { features = ["x"] }

[dependencies.regex]
version = "= 1.10.2"
default-features = false

[dev-dependencies]
pretty_assertions = "1.4"
mockito = { git = "https://github.com/lipanski/mockito", tag = "1.2.0" }

[build-dependencies]
cc = "1.0.83"

[target.'cfg(windows)'.dependencies]
winapi = { version = "0.3.9", features = ["winuser"] }

[target.x86_64-unknown-linux-gnu.dev-dependencies]
procfs = { git = "https://github.com/eminence/procfs", rev = "a1b2c3d" }
"""

PATH = "crates/api/Cargo.toml"


def _crate(
    name: str,
    line: int,
    *,
    requirement: str | None,
    version: str | None = None,
    scope: Scope = Scope.RUNTIME,
    source: SourceKind = SourceKind.REGISTRY,
    location: str | None = None,
) -> Component:
    return Component(
        name=name,
        version=version,
        ecosystem=Ecosystem.CARGO,
        purl=f"pkg:cargo/{name}@{version}" if version else f"pkg:cargo/{name}",
        direct=True,
        scope=scope,
        declared_in=PATH,
        line=line,
        requirement=requirement,
        source=source,
        location=location,
    )


def test_reads_every_dependency_table() -> None:
    parsed = CargoTomlParser().parse(PATH, CARGO_TOML)
    assert (parsed.format, parsed.kind, parsed.ecosystem) == (
        "Cargo.toml",
        "manifest",
        Ecosystem.CARGO,
    )
    assert parsed.components == (
        _crate("anyhow", 18, requirement=None),
        _crate("cc", 32, requirement="1.0.83", scope=Scope.DEV),
        _crate(
            "mockito",
            29,
            requirement=None,
            scope=Scope.DEV,
            source=SourceKind.GIT,
            location="https://github.com/lipanski/mockito?tag=1.2.0",
        ),
        _crate("nameless", 21, requirement="*"),
        _crate("openssl", 14, requirement="0.10"),
        _crate("pretty_assertions", 28, requirement="1.4", scope=Scope.DEV),
        _crate(
            "procfs",
            38,
            requirement=None,
            scope=Scope.DEV,
            source=SourceKind.GIT,
            location="https://github.com/eminence/procfs?rev=a1b2c3d",
        ),
        _crate("regex", 23, requirement="= 1.10.2", version="1.10.2"),
        _crate("serde", 12, requirement="1.0.193"),
        # The key "json" is an alias: the crate is serde_json.
        _crate("serde_json", 15, requirement="1"),
        _crate("shared", 16, requirement="0.3", source=SourceKind.PATH, location="../shared"),
        _crate("tokio", 13, requirement="=1.35.1", version="1.35.1"),
        _crate("tracing", 17, requirement=None),
        _crate("winapi", 35, requirement="0.3.9"),
    )
    assert parsed.problems == (
        Problem(
            message="dependency 'broken' is neither a version requirement nor a table", line=19
        ),
        Problem(message="dependency 'both' names both a git repository and a path", line=20),
    )


def test_workspace_dependencies_have_unknown_scope() -> None:
    text = """\
[workspace]
members = ["crates/*"]
resolver = "2"

[workspace.dependencies]
serde = "1.0"
tokio = { version = "1.35", features = ["full"] }
internal = { path = "crates/internal" }
"""
    parsed = CargoTomlParser().parse("Cargo.toml", text)
    assert [(c.name, c.requirement, c.scope, c.source, c.line) for c in parsed.components] == [
        ("internal", None, Scope.UNKNOWN, SourceKind.PATH, 8),
        ("serde", "1.0", Scope.UNKNOWN, SourceKind.REGISTRY, 6),
        ("tokio", "1.35", Scope.UNKNOWN, SourceKind.REGISTRY, 7),
    ]


def test_a_package_without_dependencies_has_no_components() -> None:
    parsed = CargoTomlParser().parse(
        "Cargo.toml", '[package]\nname = "lonely"\nversion = "0.1.0"\n'
    )
    assert (parsed.components, parsed.problems) == ((), ())


def test_an_empty_file_has_nothing() -> None:
    parsed = CargoTomlParser().parse("Cargo.toml", "")
    assert (parsed.components, parsed.problems) == ((), ())


def test_wrong_value_types_are_problems() -> None:
    text = """\
[dependencies]
a = { version = 1 }
b = { workspace = false }
c = { git = "https://github.com/x/c", branch = "main", version = "0.1" }
"""
    parsed = CargoTomlParser().parse("Cargo.toml", text)
    assert [(c.name, c.requirement, c.location) for c in parsed.components] == [
        ("c", "0.1", "https://github.com/x/c?branch=main")
    ]
    assert parsed.problems == (
        Problem(message="dependency 'a': 'version' is not a string", line=2),
        Problem(message="dependency 'b': 'workspace' can only be true", line=3),
    )


def test_invalid_toml_is_an_error_naming_the_line() -> None:
    with pytest.raises(ManifestError) as caught:
        CargoTomlParser().parse("Cargo.toml", '[package]\nname = "x"\n[dependencies\nserde = "1"\n')
    assert str(caught.value) == (
        "Cargo.toml:3: invalid TOML: Expected ']' at the end of a table declaration"
    )


def test_a_truncated_file_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        CargoTomlParser().parse("Cargo.toml", '[dependencies]\nserde = "1.0')
    assert str(caught.value) == "Cargo.toml:2: invalid TOML: Unterminated string"


def test_a_dependency_section_that_is_not_a_table_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        CargoTomlParser().parse("Cargo.toml", 'dependencies = "serde"\n')
    assert str(caught.value) == "Cargo.toml: [dependencies] is not a table"
    with pytest.raises(ManifestError) as caught:
        CargoTomlParser().parse("Cargo.toml", "[target]\nlinux = 1\n")
    assert str(caught.value) == "Cargo.toml: [target.linux] is not a table"
