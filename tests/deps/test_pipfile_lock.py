from __future__ import annotations

from typing import Any

import pytest

from assay.deps.formats.pipfile_lock import PipfileLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem, Scope, SourceKind

LOCK = """\
{
    "_meta": {
        "hash": {
            "sha256": "8f1d2e3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff"
        },
        "pipfile-spec": 6,
        "requires": {
            "python_version": "3.11"
        },
        "sources": [
            {
                "name": "pypi",
                "url": "https://pypi.org/simple",
                "verify_ssl": true
            }
        ]
    },
    "default": {
        "certifi": {
            "hashes": [
                "sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f"
            ],
            "index": "pypi",
            "markers": "python_version >= '3.6'",
            "version": "==2024.2.2"
        },
        "Flask-Cors": {
            "hashes": [],
            "index": "pypi",
            "version": "==4.0.0"
        },
        "fx-rates": {
            "git": "https://github.com/example/fx-rates.git",
            "ref": "0f5c3a0d8e1b2c4d6e8f0a1b3c5d7e9f1a2b3c4d"
        },
        "ledger": {
            "editable": true,
            "path": "../libs/ledger"
        },
        "vendored": {
            "file": "https://files.example.com/vendored-2.0.0.tar.gz"
        },
        "requests": {
            "hashes": [],
            "index": "pypi",
            "version": "==2.31.0"
        },
        "floating": {
            "index": "pypi"
        },
        "odd": "1.0"
    },
    "develop": {
        "pytest": {
            "hashes": [],
            "index": "pypi",
            "version": "==8.1.1"
        },
        "requests": {
            "hashes": [],
            "index": "pypi",
            "version": "==2.31.0"
        }
    }
}
"""


def pypi(name: str, purl: str, line: int, **fields: Any) -> Component:
    values: dict[str, Any] = {
        "version": None,
        "ecosystem": Ecosystem.PYPI,
        "direct": None,
        "scope": Scope.RUNTIME,
        "declared_in": "Pipfile.lock",
    }
    values.update(fields)
    return Component(name=name, purl=purl, line=line, **values)


def test_reads_default_and_develop() -> None:
    parsed = PipfileLockParser().parse("Pipfile.lock", LOCK)
    assert parsed.components == (
        pypi("certifi", "pkg:pypi/certifi@2024.2.2", 19, version="2024.2.2"),
        pypi("flask-cors", "pkg:pypi/flask-cors@4.0.0", 27, version="4.0.0"),
        pypi(
            "fx-rates",
            "pkg:pypi/fx-rates",
            32,
            source=SourceKind.GIT,
            location="https://github.com/example/fx-rates.git",
        ),
        pypi("ledger", "pkg:pypi/ledger", 36, source=SourceKind.PATH, location="../libs/ledger"),
        pypi("pytest", "pkg:pypi/pytest@8.1.1", 54, version="8.1.1", scope=Scope.DEV),
        pypi("requests", "pkg:pypi/requests@2.31.0", 43, version="2.31.0"),
        pypi("requests", "pkg:pypi/requests@2.31.0", 59, version="2.31.0", scope=Scope.DEV),
        pypi(
            "vendored",
            "pkg:pypi/vendored",
            40,
            source=SourceKind.URL,
            location="https://files.example.com/vendored-2.0.0.tar.gz",
        ),
    )
    assert parsed.problems == (
        Problem(message="default: package 'floating' has no locked version", line=48),
        Problem(message="default: package 'odd' is not an object", line=51),
    )
    assert (parsed.format, parsed.kind) == ("Pipfile.lock", "lock")


def test_a_path_inside_the_repository_becomes_a_repository_path() -> None:
    text = '{"default": {"ledger": {"editable": true, "path": "./libs/ledger"}}, "develop": {}}'
    (ledger,) = PipfileLockParser().parse("svc/Pipfile.lock", text).components
    assert (ledger.source, ledger.location, ledger.line) == (SourceKind.PATH, "svc/libs/ledger", 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LOCK[:400], "Pipfile.lock:16: invalid JSON: Expecting ',' delimiter"),
        (
            LOCK[: LOCK.index("2024.2.2")],
            "Pipfile.lock:25: invalid JSON: Unterminated string starting at",
        ),
        ("[]", "Pipfile.lock:1: the top level is not a JSON object"),
        ('{"_meta": {}}', "Pipfile.lock: no 'default' or 'develop' section: not a Pipfile.lock"),
        ('{\n"default": "x",\n"develop": {}}', "Pipfile.lock:2: 'default' is not an object"),
    ],
)
def test_unreadable_or_misshapen_locks_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        PipfileLockParser().parse("Pipfile.lock", text)
    assert str(caught.value) == message
