"""A small sample portfolio of real git repositories, for ``assay demo`` and ``make demo``.

Three products of different quality, so the demo shows passes, failures,
warnings and a product that cannot be audited. A one-advisory vulnerability
database comes with it, so the demo can show a vulnerable dependency offline;
``assay vulndb update`` fetches the real one.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from assay import proc

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Assay Demo",
    "GIT_AUTHOR_EMAIL": "demo@example.com",
    "GIT_COMMITTER_NAME": "Assay Demo",
    "GIT_COMMITTER_EMAIL": "demo@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}

_README = """# {name}

{name} is a sample product of the Assay demo portfolio.

## Installation

    pip install {name}

## Usage

    {name} --help

## Development

- Run the tests with `pytest`.
- Format the code with `ruff format`.
- Report problems on the issue tracker.
"""

_MIT = """MIT License

Copyright (c) 2026 Example Corp

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

PRODUCTS: dict[str, dict[str, str]] = {
    "billing": {
        "README.md": _README.format(name="billing"),
        "LICENSE": _MIT,
        "SECURITY.md": "# Security\n\nReport vulnerabilities to security@example.com.\n",
        ".github/CODEOWNERS": "* @example/payments\n",
        "CONTRIBUTING.md": "# Contributing\n\nOpen a pull request.\n",
        "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release.\n",
        ".gitignore": "__pycache__/\n.venv/\n",
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
        "package.json": '{"name": "billing-ui", "dependencies": {"left-pad": "1.3.0"}}\n',
        "package-lock.json": json.dumps(
            {
                "name": "billing-ui",
                "lockfileVersion": 3,
                "requires": True,
                "packages": {
                    "": {"name": "billing-ui", "dependencies": {"left-pad": "1.3.0"}},
                    "node_modules/left-pad": {
                        "version": "1.3.0",
                        "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
                        "license": "WTFPL",
                    },
                },
            },
            indent=2,
        )
        + "\n",
        "requirements.txt": "# the billing service\nrequests==2.25.0\n",
        "billing/__init__.py": '"""Billing."""\n\n\ndef total(items):\n    return sum(items)\n',
        "tests/test_total.py": "from billing import total\n\n\ndef test_total():\n"
        "    assert total([1, 2]) == 3\n",
    },
    "storefront": {
        "README.md": "# storefront\n",
        "LICENSE": _MIT,
        "app.js": "// entry point\nconsole.log('shop');\n",
        "package.json": '{"name": "storefront", "dependencies": {"express": "4.19.2"}}\n',
        "dist/app.jar": "PK binary placeholder\n",
    },
}


# The one advisory of the demo's vulnerability database: facts of the public record
# GHSA-j8r2-6x86-q33q, with a summary in our words.
DEMO_ADVISORY = {
    "schema_version": "1.6.0",
    "id": "GHSA-j8r2-6x86-q33q",
    "modified": "2024-05-01T12:00:00Z",
    "published": "2023-05-22T20:36:32Z",
    "aliases": ["CVE-2023-32681", "PYSEC-2023-74"],
    "summary": "Proxy credentials sent to the destination server on redirects",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "requests"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "2.3.0"}, {"fixed": "2.31.0"}]}
            ],
        }
    ],
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"}],
    "database_specific": {"cwe_ids": ["CWE-200"]},
}


def _write_ci_reports(repo: Path) -> None:
    """The reports billing's CI would leave in its checkout (not committed): JUnit, Cobertura."""
    now = datetime.now(UTC)
    build = repo / "build"
    build.mkdir()
    (build / "junit.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites><testsuite name="pytest" tests="1" timestamp="{now:%Y-%m-%dT%H:%M:%S}">'
        '<testcase classname="tests.test_total" name="test_total" file="tests/test_total.py"'
        ' time="0.01"/></testsuite></testsuites>\n',
        encoding="utf-8",
    )
    (build / "coverage.xml").write_text(
        '<?xml version="1.0" ?>\n'
        f'<coverage version="7.4" timestamp="{int(now.timestamp() * 1000)}">'
        '<sources><source>.</source></sources><packages><package name="billing"><classes>'
        '<class name="__init__.py" filename="billing/__init__.py"><lines>'
        '<line number="1" hits="1"/><line number="4" hits="1"/><line number="5" hits="1"/>'
        "</lines></class></classes></package></packages></coverage>\n",
        encoding="utf-8",
    )


def build_demo_vulndb(directory: Path) -> Path:
    """A vulnerability database holding the demo's advisory, stamped for PyPI and npm."""
    from assay.deps.model import Ecosystem
    from assay.vulndb.index import VulnIndex
    from assay.vulndb.load import load_paths

    source = directory / "demo-advisories.json"
    source.write_text(json.dumps([DEMO_ADVISORY], indent=2) + "\n", encoding="utf-8")
    database = directory / "vulndb.sqlite3"
    database.unlink(missing_ok=True)
    with VulnIndex.open_for_import(database) as index:
        index.import_records(
            load_paths([source]), source=str(source), ecosystems=[Ecosystem.PYPI, Ecosystem.NPM]
        )
    return database


def _git(repo: Path, *args: str) -> None:
    result = proc.run(["git", "-C", str(repo), *args], env=_GIT_ENV)
    if not result.ok:
        raise RuntimeError(f"git {' '.join(args)} failed in {repo}: {result.stderr_text()}")


def build_demo_portfolio(directory: Path) -> Path:
    """Write the sample products as git repositories under ``directory``; return assay.yaml."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, files in PRODUCTS.items():
        repo = directory / name
        for relative, content in files.items():
            target = repo / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"Initial commit of {name}")
    _write_ci_reports(directory / "billing")
    portfolio = directory / "assay.yaml"
    portfolio.write_text(
        "assay-portfolio: 1\n"
        "products:\n"
        "  - {name: billing, path: billing, team: payments, tier: 1, tags: [pci],"
        " data_classification: confidential,\n"
        "     reports: ['build/*.xml']}  # test and coverage reports its CI wrote\n"
        "  - {name: storefront, path: storefront, team: web, tier: 2}\n"
        "  # Declared but never cloned: shows how a product that cannot be audited is reported.\n"
        "  - {name: inventory, path: inventory, team: logistics, tier: 3}\n",
        encoding="utf-8",
    )
    return portfolio
