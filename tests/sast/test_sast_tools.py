"""How the SAST adapters find, run and read their tools."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assay.checks.sast._tools import (
    ToolError,
    find_tool,
    require_tool,
    run_json,
    tool_salt,
    tool_version,
)


def fake_tool(folder: Path, name: str, script: str) -> Path:
    """An executable shell script ``name`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return path


def test_assay_tool_path_replaces_every_other_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned = fake_tool(tmp_path / "pinned", "bandit", "exit 0")
    fake_tool(tmp_path / "on-path", "bandit", "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path / "on-path"))
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tmp_path / "pinned"))
    assert find_tool("bandit") == pinned
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tmp_path / "empty"))
    assert find_tool("bandit") is None


def test_path_comes_before_the_interpreter_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSAY_TOOL_PATH", raising=False)
    on_path = fake_tool(tmp_path / "on-path", "bandit", "exit 0")
    beside = fake_tool(tmp_path / "venv" / "bin", "bandit", "exit 0")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "venv" / "bin" / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "on-path"))
    assert find_tool("bandit") == on_path
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_tool("bandit") == beside


def test_a_missing_tool_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(tmp_path))
    with pytest.raises(ToolError) as raised:
        require_tool("bandit", "pip install 'assay[python]'")
    assert raised.value.message == (
        "bandit is not installed; install it with: pip install 'assay[python]'"
    )


def test_the_version_is_the_first_version_like_word(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "bandit", 'echo "bandit 1.9.4"; echo "  python version = 3.11.7"')
    assert tool_version(tool, "bandit") == "1.9.4"
    bare = fake_tool(tmp_path, "semgrep", 'echo "1.86.0"')
    assert tool_version(bare, "semgrep") == "1.86.0"


def test_a_version_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "odd", 'echo "no digits here"')
    with pytest.raises(ToolError) as raised:
        tool_version(tool, "odd")
    assert raised.value.message == "odd --version printed no version: no digits here"
    failing = fake_tool(tmp_path, "broken", 'echo "Traceback: it broke" >&2; exit 1')
    with pytest.raises(ToolError) as raised:
        tool_version(failing, "broken")
    assert raised.value.message == "broken exited with code 1: Traceback: it broke"


def test_an_unexpected_exit_code_names_the_tool_and_its_first_stderr_line(
    tmp_path: Path,
) -> None:
    tool = fake_tool(tmp_path, "bandit", 'echo "\nerror: no such option\nusage" >&2; exit 2')
    with pytest.raises(ToolError) as raised:
        run_json([str(tool)], name="bandit", cwd=tmp_path, timeout_s=30, ok_codes=(0, 1))
    assert raised.value.message == "bandit exited with code 2: error: no such option"


def test_output_that_is_not_json_is_an_error(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "ruff", 'echo "warning: odd" >&2; echo "{not json"')
    with pytest.raises(ToolError) as raised:
        run_json([str(tool)], name="ruff", cwd=tmp_path, timeout_s=30, ok_codes=(0,))
    assert raised.value.message == (
        "ruff wrote output that is not JSON "
        "(Expecting property name enclosed in double quotes at line 1, column 2): warning: odd"
    )
    silent = fake_tool(tmp_path, "quiet", "exit 0")
    with pytest.raises(ToolError) as raised:
        run_json([str(silent)], name="quiet", cwd=tmp_path, timeout_s=30, ok_codes=(0,))
    assert raised.value.message == (
        "quiet wrote output that is not JSON (Expecting value at line 1, column 1): "
        "(nothing on stderr)"
    )


def test_a_tool_past_its_timeout_is_stopped(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "slow", "exec sleep 30")
    with pytest.raises(ToolError) as raised:
        run_json([str(tool)], name="slow", cwd=tmp_path, timeout_s=0.3, ok_codes=(0,))
    assert raised.value.message == "slow timed out after 0.3 s"


def test_json_on_stdout_is_returned(tmp_path: Path) -> None:
    tool = fake_tool(tmp_path, "ok", """echo '{"results": [1, 2]}'; exit 1""")
    document = run_json([str(tool)], name="ok", cwd=tmp_path, timeout_s=30, ok_codes=(0, 1))
    assert document == {"results": [1, 2]}


def test_the_tool_salt_changes_when_another_build_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    folder = tmp_path / "bin"
    monkeypatch.setenv("ASSAY_TOOL_PATH", str(folder))
    assert tool_salt("bandit") == "bandit: missing"
    tool = fake_tool(folder, "bandit", "echo bandit 1.7.9")
    first = tool_salt("bandit")
    assert first.startswith(f"bandit: {tool} ")
    assert tool_salt("bandit") == first
    fake_tool(folder, "bandit", "echo bandit 1.8.0 and more")  # an upgrade rewrites it
    os.utime(tool, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert tool_salt("bandit") != first
