"""Report paths resolved to repository paths."""

from __future__ import annotations

import pytest

from assay.reports.paths import RepositoryIndex, escapes_repository, map_to_repository

REPOSITORY = [
    "README.md",
    "setup.py",
    "src/calc/core.py",
    "src/calc/util.py",
    "legacy/calc/util.py",
    "lib/x.py",
    "vendor/pkg/lib/x.py",
    "bank/src/main/java/com/example/bank/Account.java",
    "bank/src/main/java/Main.java",
    "web/src/App.cs",
    "tools/os.py",
]


@pytest.mark.parametrize(
    ("report_path", "roots", "expected"),
    [
        # Exact, after normalising separators and dot components.
        ("src/calc/core.py", (), "src/calc/core.py"),
        ("./src/calc/core.py", (), "src/calc/core.py"),
        ("src\\calc\\core.py", (), "src/calc/core.py"),
        ("src/./calc/../calc/core.py", (), "src/calc/core.py"),
        # Relative to a declared source root (coverage.py, Cobertura).
        ("calc/core.py", ("/home/runner/work/shop/shop/src",), "src/calc/core.py"),
        ("calc/core.py", ("src",), "src/calc/core.py"),
        ("core.py", ("/home/ci/project/src/calc",), "src/calc/core.py"),
        # Absolute under the CI checkout: the tail that is a whole repository path.
        ("/home/runner/work/shop/shop/src/calc/core.py", (), "src/calc/core.py"),
        ("/home/ci/project/setup.py", (), "setup.py"),
        ("C:\\agent\\_work\\1\\s\\web\\src\\App.cs", (), "web/src/App.cs"),
        # A declared root beats a longer tail elsewhere in the repository.
        ("/ci/pkg/lib/x.py", ("/ci/pkg",), "lib/x.py"),
        ("/ci/pkg/lib/x.py", (), "vendor/pkg/lib/x.py"),
        # Relative to a directory inside the repository (JaCoCo packages).
        ("com/example/bank/Account.java", (), "bank/src/main/java/com/example/bank/Account.java"),
        ("Main.java", (), "bank/src/main/java/Main.java"),
        # A longer tail settles what a shorter one leaves ambiguous.
        ("/ci/shop/src/calc/util.py", (), "src/calc/util.py"),
        ("/ci/old/legacy/calc/util.py", (), "legacy/calc/util.py"),
        # Ambiguous: two repository files end with calc/util.py.
        ("calc/util.py", (), None),
        ("/ci/checkout/calc/util.py", (), None),
        # A bare file name is not enough when the report names directories.
        ("/usr/lib/python3.11/os.py", (), None),
        # Whole components only.
        ("ore.py", (), None),
        ("c/core.py", (), None),
        # Nothing, empty, and climbs above the repository.
        ("/opt/other/thing.py", (), None),
        ("", (), None),
        (".", (), None),
        ("../lib/x.py", (), None),
        ("../lib/x.py", ("/ci/repo/app",), "lib/x.py"),
        ("../../lib/x.py", (".",), None),
    ],
)
def test_map_to_repository(report_path: str, roots: tuple[str, ...], expected: str | None) -> None:
    assert map_to_repository(report_path, REPOSITORY, roots) == expected


def test_an_index_serves_many_lookups() -> None:
    index = RepositoryIndex(REPOSITORY)
    found = [index.resolve(path) for path in ("setup.py", "/x/src/calc/core.py", "nope.py")]
    assert found == ["setup.py", "src/calc/core.py", None]


@pytest.mark.parametrize(
    ("path", "escapes"),
    [
        ("../x.py", True),
        ("..", True),
        ("..\\lib\\x.py", True),
        ("src/../../x.py", True),
        ("src/../x.py", False),
        ("src/..", False),
        ("x/y.py", False),
        ("/abs/../../x.py", False),
        ("C:\\a\\..\\..\\x.py", False),
        ("..hidden/x.py", False),
    ],
)
def test_escapes_repository(path: str, escapes: bool) -> None:
    assert escapes_repository(path) is escapes
