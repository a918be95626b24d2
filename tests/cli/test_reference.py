"""docs/cli.md is generated from the commands and must match them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.cli.reference import cli_reference

DOCS = Path(__file__).parents[2] / "docs" / "cli.md"


def test_cli_reference_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert DOCS.read_text() == cli_reference(), (
        "docs/cli.md is stale: run `COLUMNS=100 python -m assay.cli.reference > docs/cli.md`"
    )


def test_every_command_has_a_section() -> None:
    text = DOCS.read_text()
    for command in (
        "audit",
        "history",
        "show",
        "db upgrade",
        "cache clear",
        "policy validate",
        "policy schema",
        "schema",
        "checks",
        "demo",
    ):
        assert f"## `assay {command}`" in text
