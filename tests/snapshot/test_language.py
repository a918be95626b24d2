"""Languages from file names (identify's tables) and from shebang lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.snapshot.language import language_from_name, language_from_shebang


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("a.py", "python"),
        ("src/pkg/module.py", "python"),
        ("stubs/module.pyi", "pyi"),
        ("Makefile", "makefile"),
        ("docker/Dockerfile", "dockerfile"),
        ("ui/App.tsx", "tsx"),
        ("ui/index.ts", "ts"),
        ("ui/index.js", "javascript"),
        ("ui/App.jsx", "jsx"),
        # identify tags a header {c, c++, header}; c++ comes first in the preferred order.
        ("include/x.h", "c++"),
        ("src/x.c", "c"),
        ("src/x.cpp", "c++"),
        ("src/lib.rs", "rust"),
        ("go.mod", "go-mod"),
        ("main.go", "go"),
        ("install.sh", "shell"),
        ("install.bash", "shell"),
        ("config.yml", "yaml"),
        ("config.yaml", "yaml"),
        ("package.json", "json"),
        # identify names some well-known files after themselves, not their format.
        ("pyproject.toml", "pyproject"),
        ("settings.toml", "toml"),
        ("setup.cfg", "ini"),
        ("README.md", "markdown"),
        ("CMakeLists.txt", "cmake"),
        ("Gemfile", "ruby"),
        (".gitignore", "gitignore"),
        ("logo.png", "png"),
        ("notes.txt", None),
        ("LICENSE", None),
        ("unknown.xyz", None),
        ("no-extension", None),
        ("dir.py/plain", None),
    ],
)
def test_language_from_name(path: str, language: str | None) -> None:
    assert language_from_name(path) == language


@pytest.mark.parametrize(
    ("line", "language"),
    [
        (b"#!/usr/bin/env python3.11", "python"),
        (b"#!/usr/bin/python3", "python"),
        (b"#!/bin/sh", "shell"),
        (b"#!/bin/bash -euo pipefail", "shell"),
        (b"#! /usr/bin/env ruby", "ruby"),
        (b"#!/usr/bin/env -S node --flag", "javascript"),
        (b"#!/usr/bin/perl -w", "perl"),
        (b"#!", None),
        (b"#!   ", None),
        (b"#!/usr/bin/env", None),
        (b"#!/usr/bin/env -S", None),
        (b"#!/opt/bin/unknown-interpreter", None),
        (b"#!/usr/bin/env python3.x", None),
        (b"#!/usr/bin/env 3.11", None),
        (b"#!\xff\xfe", None),
        (b"# just a comment", None),
        (b"import os", None),
        (b"", None),
    ],
)
def test_language_from_shebang(line: bytes, language: str | None) -> None:
    assert language_from_shebang(line) == language


# Names whose language identify decides by the whole name, a dotted part of it, or the
# extension alone (in any case), and names it does not know at all.
IDENTIFY_CASES = [
    "Dockerfile", "Dockerfile.dev", "dev.Dockerfile", "Makefile", "CMakeLists.txt",
    ".bashrc", ".gitignore", "setup.py", "types.pyi", "App.TSX", "view.jsx", "a.tar.gz",
    "noext", "weird.", "..x", ".hidden.yml", "Gemfile.lock", "package.json", "logo.svg",
    "README.md", "go.mod", "Cargo.toml", "build.gradle.kts", "x.PY", "pom.xml", "a.b.c.rs",
]  # fmt: skip


@pytest.mark.parametrize("name", IDENTIFY_CASES)
def test_language_from_name_agrees_with_identify_on_every_name(name: str) -> None:
    # The per-extension shortcut must give what identify's own lookup gives.
    from identify import identify

    from assay.snapshot.language import _pick_language

    expected = _pick_language(set(identify.tags_from_filename(name)))
    assert language_from_name(f"some/dir/{name}") == expected


def test_languages_of_names_met_before_are_kept_for_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay.snapshot import language

    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(language, "_known", {})
    monkeypatch.setattr(language, "_unsaved", [])
    monkeypatch.setattr(language, "_loaded", [])
    assert language.language_from_name("src/app.py") == "python"
    assert language.language_from_name("Dockerfile") == "dockerfile"
    language.remember_languages()
    (kept,) = tmp_path.glob("languages-*.json")
    assert json.loads(kept.read_text()) == {"app.py": "python", "Dockerfile": "dockerfile"}

    # A new process: the names come from the file, identify is not asked.
    monkeypatch.setattr(language, "_known", {})
    monkeypatch.setattr(language, "_loaded", [])

    def not_asked(name: str) -> str | None:
        raise AssertionError(f"identify asked about {name}")

    monkeypatch.setattr(language, "_language_of_filename", not_asked)
    assert language.language_from_name("lib/app.py") == "python"
    with pytest.raises(AssertionError, match=r"identify asked about notes\.rst"):
        language.language_from_name("notes.rst")
