from __future__ import annotations

from typing import Any

import pytest

from assay.checks.api import fingerprint
from assay.checks.deps import DepsInventoryCheck, DepsParams
from support import run_product_check

CARGO_TOML = """\
[package]
name = "shop"
version = "0.1.0"

[dependencies]
serde = "=1.0.190"
rand = "0.8"
"""
CARGO_LOCK = """\
version = 3

[[package]]
name = "shop"
version = "0.1.0"
dependencies = ["serde", "rand"]

[[package]]
name = "serde"
version = "1.0.190"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["libc"]

[[package]]
name = "libc"
version = "0.2.150"
source = "registry+https://github.com/rust-lang/crates.io-index"
"""


def measures(**values: float) -> list[dict[str, Any]]:
    units = {"deps.files": "files", "deps.unreadable_files": "files", "deps.direct_pinned": "%"}
    return [
        {"check_id": "deps.inventory", "name": name.replace("__", "."), "value": value,
         "unit": units.get(name.replace("__", "."), "components"), "labels": {}}
        for name, value in values.items()
    ]  # fmt: skip


def test_counts_components_and_the_pinned_share(make_repo: Any) -> None:
    repo = make_repo("shop", {"Cargo.toml": CARGO_TOML, "Cargo.lock": CARGO_LOCK})
    assert run_product_check(DepsInventoryCheck(), repo) == {
        "findings": [],
        "measures": measures(deps__files=2, deps__components=3, deps__direct=2,
                             deps__transitive=1, deps__directness_unknown=0,
                             deps__unreadable_files=0, deps__direct_pinned=50.0),
        "not_applicable": None,
        "tool_versions": {},
    }  # fmt: skip


def test_unreadable_files_and_skipped_entries_are_findings(make_repo: Any) -> None:
    repo = make_repo(
        "broken",
        {"Cargo.lock": "version = [", "gradle.lockfile": "a:b:1=runtimeClasspath\nnope=x\n"},
    )
    output = run_product_check(DepsInventoryCheck(), repo)
    assert output["findings"] == [
        {"check_id": "deps.inventory", "rule": "deps.unreadable",
         "message": "Cargo.lock:1: invalid TOML: Invalid value",
         "severity": "medium", "path": "Cargo.lock", "start_line": 1, "end_line": 1,
         "fingerprint": fingerprint("deps.inventory", "deps.unreadable", "Cargo.lock", ""),
         "cwe": [1104], "properties": {}},
        {"check_id": "deps.inventory", "rule": "deps.skipped-entry",
         "message": "gradle.lockfile: not group:artifact:version: 'nope'",
         "severity": "low", "path": "gradle.lockfile", "start_line": 2, "end_line": 2,
         "fingerprint": fingerprint("deps.inventory", "deps.skipped-entry", "gradle.lockfile",
                                    "not group:artifact:version: 'nope'"),
         "cwe": [], "properties": {}},
    ]  # fmt: skip


def test_a_product_without_dependency_files_is_not_applicable(make_repo: Any) -> None:
    repo = make_repo("plain", {"README.md": "hello\n"})
    output = run_product_check(DepsInventoryCheck(), repo, DepsParams())
    assert output["not_applicable"] == "no dependency manifest or lock file"


@pytest.mark.slow
def test_a_100_mb_lock_file_is_reported_not_read(make_repo: Any) -> None:
    padding = "x" * (100 * 1024 * 1024)
    huge = '{"name": "app", "lockfileVersion": 3, "packages": {}, "pad": "' + padding + '"}\n'
    repo = make_repo("huge", {"package-lock.json": huge, "gradle.lockfile": "a:b:1=x\n"})
    output = run_product_check(DepsInventoryCheck(), repo)
    size = len(huge)
    assert [(f["rule"], f["message"]) for f in output["findings"]] == [
        ("deps.unreadable",
         f"package-lock.json: not read: {size:,} bytes is over the 67,108,864-byte limit "
         "for dependency files"),
    ]  # fmt: skip
    assert {m["name"]: m["value"] for m in output["measures"]}["deps.components"] == 1
