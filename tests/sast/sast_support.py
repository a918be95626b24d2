"""What the sast.* tests share: a PATH without analyzers, fingerprint keys, whole measures."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

INSECURE = """\
import subprocess

import yaml

PASSWORD = "hunter2hunter2"


class Runner:
    def run(self, cmd):
        return subprocess.call(cmd, shell=True)


def load(text):
    return yaml.load(text)
"""


def only_git(folder: Path) -> Path:
    """A folder for PATH holding git (which the snapshot needs) and no analyzer."""
    folder.mkdir(parents=True, exist_ok=True)
    git = shutil.which("git")
    assert git is not None
    (folder / "git").symlink_to(git)
    return folder


def key(*lines: str) -> str:
    """The documented fingerprint key: headers then offending lines, hashed."""
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:24]


def sast_measures(
    check_id: str, *, analysed: int, low: int = 0, medium: int = 0, high: int = 0,
    unparsable: int = 0, skipped: dict[str, int] | None = None, suppressed: int | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The whole measure list of a sast.* check; ``suppressed`` only where the tool says it."""

    def measure(name: str, value: int, unit: str, **labels: str) -> dict[str, Any]:
        return {"check_id": check_id, "name": name, "value": value, "unit": unit,
                "labels": labels}  # fmt: skip

    counts = {"info": 0, "low": low, "medium": medium, "high": high, "critical": 0}
    found = [
        measure("sast.files_analysed", analysed, "files"),
        *[measure("sast.issues", n, "issues", severity=s) for s, n in counts.items()],
        measure("sast.files_unparsable", unparsable, "files"),
        *[measure("sast.files_skipped", n, "files", reason=r)
          for r, n in sorted((skipped or {}).items())],
    ]  # fmt: skip
    if suppressed is not None:
        found.append(measure("sast.suppressed_inline", suppressed, "issues"))
    return found
