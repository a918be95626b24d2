"""A small sample portfolio of real git repositories, for ``assay demo`` and ``make demo``.

Three products of different quality, so the demo shows passes, failures,
warnings and a product that cannot be audited.
"""

from __future__ import annotations

import os
import shutil
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
        "package-lock.json": '{"name": "billing-ui", "lockfileVersion": 3}\n',
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
    portfolio = directory / "assay.yaml"
    portfolio.write_text(
        "assay-portfolio: 1\n"
        "products:\n"
        "  - {name: billing, path: billing, team: payments, tier: 1, tags: [pci],"
        " data_classification: confidential}\n"
        "  - {name: storefront, path: storefront, team: web, tier: 2}\n"
        "  # Declared but never cloned: shows how a product that cannot be audited is reported.\n"
        "  - {name: inventory, path: inventory, team: logistics, tier: 3}\n",
        encoding="utf-8",
    )
    return portfolio
