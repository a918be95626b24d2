"""The roll-up of every dependency file of a snapshot into one inventory."""

from __future__ import annotations

import codecs
from typing import Any

from assay.deps.inventory import Inventory, collect
from assay.deps.model import Component, Ecosystem, Scope, SourceKind
from assay.snapshot import open_snapshot

CARGO_TOML = """\
[package]
name = "shop"
version = "0.1.0"

[dependencies]
serde = "1.0"
"""
CARGO_LOCK = """\
version = 3

[[package]]
name = "shop"
version = "0.1.0"
dependencies = ["serde"]

[[package]]
name = "serde"
version = "1.0.190"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["serde_derive"]

[[package]]
name = "serde_derive"
version = "1.0.190"
source = "registry+https://github.com/rust-lang/crates.io-index"
"""
GO_MOD = """\
module example.com/shop

go 1.22

require (
\tgithub.com/pkg/errors v0.9.1
\tgolang.org/x/text v0.14.0 // indirect
)
"""
GO_SUM = """\
github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=
golang.org/x/text v0.13.0 h1:ablQoSUd0tRdKxZewP80B+BaqeKJuVhuRxj/dkrun3k=
"""


def inventory_of(repo: Any) -> Inventory:
    snapshot = open_snapshot(repo.path)
    try:
        return collect(snapshot)
    finally:
        snapshot.close()


def brief(inventory: Inventory) -> list[tuple[str, str | None, bool | None, str]]:
    return [(c.purl, c.version, c.direct, c.declared_in) for c in inventory.components]


def test_a_lock_is_authoritative_and_its_manifest_settles_directness(make_repo: Any) -> None:
    repo = make_repo("shop", {"Cargo.toml": CARGO_TOML, "Cargo.lock": CARGO_LOCK})
    inventory = inventory_of(repo)
    assert brief(inventory) == [
        ("pkg:cargo/serde@1.0.190", "1.0.190", True, "Cargo.lock"),
        ("pkg:cargo/serde_derive@1.0.190", "1.0.190", False, "Cargo.lock"),
    ]
    assert [f.path for f in inventory.files] == ["Cargo.lock", "Cargo.toml"]
    assert inventory.errors == ()


def test_a_workspace_lock_covers_the_members_below_it(make_repo: Any) -> None:
    member = CARGO_TOML.replace('serde = "1.0"', 'serde_derive = "1.0"')
    repo = make_repo("ws", {"Cargo.lock": CARGO_LOCK, "crates/a/Cargo.toml": member})
    assert [(c.name, c.direct) for c in inventory_of(repo).components] == [
        ("serde", True),  # the lock's own root crate names it
        ("serde_derive", False),
    ]


def test_go_mod_wins_over_go_sum_in_the_same_folder(make_repo: Any) -> None:
    repo = make_repo("gosvc", {"go.mod": GO_MOD, "go.sum": GO_SUM})
    assert brief(inventory_of(repo)) == [
        ("pkg:golang/github.com/pkg/errors@v0.9.1", "v0.9.1", True, "go.mod"),
        ("pkg:golang/golang.org/x/text@v0.14.0", "v0.14.0", False, "go.mod"),
    ]


def test_go_sum_alone_is_read(make_repo: Any) -> None:
    repo = make_repo("gosum", {"go.sum": GO_SUM})
    assert [(c.name, c.version, c.direct) for c in inventory_of(repo).components] == [
        ("github.com/pkg/errors", "v0.9.1", None),
        ("golang.org/x/text", "v0.13.0", None),
    ]


def test_vendored_folders_are_not_read(make_repo: Any) -> None:
    repo = make_repo(
        "vendored",
        {
            "vendor/lib/Cargo.lock": CARGO_LOCK,
            "node_modules/x/gradle.lockfile": "a:b:1=runtimeClasspath\n",
        },
    )
    inventory = inventory_of(repo)
    assert (inventory.files, inventory.components, inventory.errors) == ((), (), ())


def test_duplicate_entries_count_once(make_repo: Any) -> None:
    lines = "".join("com.example:lib:1.0=runtimeClasspath\n" for _ in range(10_000))
    repo = make_repo("dups", {"gradle.lockfile": lines})
    inventory = inventory_of(repo)
    assert [(c.name, c.version, c.line) for c in inventory.components] == [
        ("com.example:lib", "1.0", 1)
    ]


def test_unreadable_files_are_errors_that_name_the_file(make_repo: Any) -> None:
    repo = make_repo(
        "broken",
        {
            "a/Cargo.lock": "[[package]\nname = ",
            "b/gradle.lockfile": codecs.BOM_UTF16_LE + b"\x00\xd8A\x00",  # lone surrogate
            "c/gradle.lockfile": b"com.example:lib:1.0\xff=runtimeClasspath\n",
            "d/gradle.lockfile": codecs.BOM_UTF16_LE
            + "org.x:y:2.0=runtimeClasspath\n".encode("utf-16-le"),
        },
    )
    inventory = inventory_of(repo)
    assert [str(e) for e in inventory.errors] == [
        "a/Cargo.lock:1: invalid TOML: Expected ']]' at the end of an array declaration",
        "b/gradle.lockfile: not valid UTF-16 text (byte 2)",
        "c/gradle.lockfile: not valid UTF-8 text (byte 19)",
    ]
    assert [(c.name, c.declared_in) for c in inventory.components] == [
        ("org.x:y", "d/gradle.lockfile")
    ]


def test_a_file_over_the_size_limit_is_reported_not_read(make_repo: Any) -> None:
    repo = make_repo("big", {"gradle.lockfile": "a:b:1=runtimeClasspath\n" * 5000})
    snapshot = open_snapshot(repo.path)
    try:
        inventory = collect(snapshot, max_size=1000)
    finally:
        snapshot.close()
    assert [str(e) for e in inventory.errors] == [
        "gradle.lockfile: not read: 115,000 bytes is over the 1,000-byte limit for dependency files"
    ]
    assert inventory.components == ()


def test_unique_keeps_one_component_per_purl() -> None:
    def make(path: str) -> Component:
        return Component(name="lib", version="1.0", ecosystem=Ecosystem.MAVEN,
                         purl="pkg:maven/org/lib@1.0", direct=True, scope=Scope.RUNTIME,
                         declared_in=path, source=SourceKind.REGISTRY)  # fmt: skip

    inventory = Inventory(components=(make("a"), make("b")), files=(), errors=(),
                          broken_parsers={})  # fmt: skip
    assert inventory.unique() == (make("a"),)
