"""``assay sbom``: a CycloneDX 1.6 document that the CycloneDX schema accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

CARGO_TOML = '[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1.0"\n'
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
source = "git+https://github.com/serde-rs/serde?rev=abc#abc123"
"""
GRADLE = "org.junit:junit:4.13.2=testRuntimeClasspath\n"


def props(**values: str) -> list[dict[str, str]]:
    # CycloneDX keeps properties sorted by name
    return [{"name": f"assay:{name}", "value": value} for name, value in sorted(values.items())]


def test_sbom_is_valid_cyclonedx_with_every_component(
    make_repo: Any, assay: Any, tmp_path: Path
) -> None:
    repo = make_repo("shop", {"Cargo.toml": CARGO_TOML, "Cargo.lock": CARGO_LOCK,
                              "java/gradle.lockfile": GRADLE})  # fmt: skip
    out = tmp_path / "bom.json"
    done = assay("sbom", repo.path, "-o", out)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "",
        f"3 components written to {out}\n",
    )
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    assert (document["bomFormat"], document["specVersion"]) == ("CycloneDX", "1.6")
    commit = repo.git("rev-parse", "HEAD").strip()
    assert document["metadata"]["component"] == {
        "bom-ref": "product:shop", "name": "shop", "type": "application", "version": commit,
    }  # fmt: skip
    # the library orders components its own way; compare them by bom-ref
    assert sorted(document["components"], key=lambda c: c["bom-ref"]) == [
        {"bom-ref": "pkg:cargo/serde@1.0.190", "name": "serde", "purl": "pkg:cargo/serde@1.0.190",
         "type": "library", "version": "1.0.190",
         "properties": props(declared_in="Cargo.lock", direct="true", source="registry")},
        {"bom-ref": "pkg:cargo/serde_derive@1.0.190#https://github.com/serde-rs/serde?rev=abc#abc123",
         "name": "serde_derive", "purl": "pkg:cargo/serde_derive@1.0.190", "type": "library",
         "version": "1.0.190",
         "properties": props(declared_in="Cargo.lock", direct="false", source="git",
                             location="https://github.com/serde-rs/serde?rev=abc#abc123")},
        {"bom-ref": "pkg:maven/org.junit/junit@4.13.2", "group": "org.junit", "name": "junit",
         "purl": "pkg:maven/org.junit/junit@4.13.2", "scope": "excluded", "type": "library",
         "version": "4.13.2",
         "properties": props(declared_in="java/gradle.lockfile", direct="unknown",
                             source="registry")},
    ]  # fmt: skip
    product = next(d for d in document["dependencies"] if d["ref"] == "product:shop")
    assert product == {"ref": "product:shop", "dependsOn": ["pkg:cargo/serde@1.0.190"]}


def test_sbom_on_stdout_names_unreadable_files_and_exits_1(make_repo: Any, assay: Any) -> None:
    repo = make_repo("half", {"gradle.lockfile": GRADLE, "a/Cargo.lock": "version = ["})
    done = assay("sbom", repo.path)
    assert done.returncode == 1
    assert done.stderr == "not in the SBOM: a/Cargo.lock:1: invalid TOML: Invalid value\n"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(done.stdout) is None
    assert [c["name"] for c in json.loads(done.stdout)["components"]] == ["junit"]
