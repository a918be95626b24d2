"""Running the real ``assay`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def assay(assay_home: Path) -> Runner:
    """``assay("audit", path)`` runs ``python -m assay`` with an isolated home; wide output."""

    def run(
        *args: str | Path,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {
            **os.environ,
            "COLUMNS": "250",
            "NO_COLOR": "1",
            "ASSAY_HOME": str(assay_home),
            "ASSAY_CACHE_DIR": str(assay_home / "cache"),
            **(env or {}),
        }
        for isolated in ("ASSAY_DB", "ASSAY_VULNDB"):
            if isolated not in (env or {}):
                full_env.pop(isolated, None)
        return subprocess.run(
            [sys.executable, "-m", "assay", *map(str, args)],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
