from __future__ import annotations

import pytest

from assay.deps.formats.nuget_lock import NugetLockParser
from assay.deps.model import Component, Ecosystem, ManifestError, Problem
from assay.deps.parsers import component

LOCK = """\
{
  "version": 1,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzj=="
      },
      "Serilog": {
        "type": "Transitive",
        "resolved": "2.10.0",
        "contentHash": "+QX0hmf37a0/OZLxM3wL7V6/ADvC1XihXN4Kq/p6=="
      },
      "Acme.Core": {
        "type": "Project",
        "dependencies": {
          "Serilog": "[2.10.0, )"
        }
      }
    },
    "net8.0": {
      "newtonsoft.json": {
        "type": "Transitive",
        "resolved": "13.0.1",
        "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzj=="
      },
      "Serilog": {
        "type": "CentralTransitive",
        "requested": "[3.1.1, )",
        "resolved": "3.1.1",
        "contentHash": "P6G4/4Kt9bT635bhuwdXlJ2SCqqn2nhh4gqFqQue=="
      },
      "Polly": {
        "type": "Pinned",
        "resolved": "8.2.0"
      },
      "Broken.Package": {
        "type": "Direct",
        "requested": "[1.0.0, )"
      },
      "Not.An.Object": "1.0.0"
    },
    "net8.0/linux-x64": {}
  }
}
"""


def _nuget(name: str, version: str, direct: bool | None, line: int) -> Component:
    return component(
        name=name,
        version=version,
        ecosystem=Ecosystem.NUGET,
        declared_in="src/App/packages.lock.json",
        direct=direct,
        line=line,
    )


def test_merges_frameworks_and_skips_projects() -> None:
    parsed = NugetLockParser().parse("src/App/packages.lock.json", LOCK)
    assert parsed.components == (
        _nuget("Newtonsoft.Json", "13.0.1", True, 5),
        _nuget("Polly", "8.2.0", None, 35),
        _nuget("Serilog", "2.10.0", False, 11),
        _nuget("Serilog", "3.1.1", False, 11),
    )
    assert parsed.problems == (
        Problem(message="unknown type 'Pinned' of Polly (net8.0)", line=35),
        Problem(message="skipped Broken.Package (net8.0): no resolved version", line=39),
        Problem(message="skipped Not.An.Object (net8.0): not an object", line=None),
    )
    assert (parsed.format, parsed.kind) == ("packages.lock.json", "lock")
    assert parsed.components[0].purl == "pkg:nuget/Newtonsoft.Json@13.0.1"


def test_an_unknown_lock_version_is_a_problem() -> None:
    text = (
        '{"version": 3, "dependencies": {"net8.0": {"A": {"type": "Direct", "resolved": "1.0.0"}}}}'
    )
    parsed = NugetLockParser().parse("packages.lock.json", text)
    assert parsed.components == (
        component(
            name="A",
            version="1.0.0",
            ecosystem=Ecosystem.NUGET,
            declared_in="packages.lock.json",
            direct=True,
            line=1,
        ),
    )
    assert parsed.problems == (Problem(message="unknown lock file version 3"),)


def test_truncated_json_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        NugetLockParser().parse(
            "packages.lock.json", LOCK[: LOCK.index('"resolved": "3.1.1"') + 14]
        )
    assert str(caught.value) == (
        "packages.lock.json:32: invalid JSON: Unterminated string starting at"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "packages.lock.json: expected a JSON object, found array"),
        ('{"version": 1}', 'packages.lock.json: "dependencies" must be an object, found nothing'),
        (
            '{"version": 1, "dependencies": []}',
            'packages.lock.json: "dependencies" must be an object, found array',
        ),
        ("", "packages.lock.json:1: invalid JSON: Expecting value"),
    ],
)
def test_wrong_shapes_are_errors(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        NugetLockParser().parse("packages.lock.json", text)
    assert str(caught.value) == message


def test_a_framework_that_is_not_an_object_is_a_problem() -> None:
    parsed = NugetLockParser().parse(
        "packages.lock.json", '{"version": 2, "dependencies": {"net8.0": []}}'
    )
    assert parsed.components == ()
    assert parsed.problems == (Problem(message="skipped framework 'net8.0': not an object"),)


def test_direct_in_a_later_framework_wins_and_the_first_spelling_stays() -> None:
    text = """{"version": 2, "dependencies": {
  "net6.0": {"Dapper": {"type": "Transitive", "resolved": "2.1.24"}},
  "net8.0": {"dapper": {"type": "Direct", "requested": "[2.1.24, )", "resolved": "2.1.24"}}
}}"""
    parsed = NugetLockParser().parse("packages.lock.json", text)
    assert parsed.components == (
        component(
            name="Dapper",
            version="2.1.24",
            ecosystem=Ecosystem.NUGET,
            declared_in="packages.lock.json",
            direct=True,
            line=2,
        ),
    )
    assert parsed.problems == ()
