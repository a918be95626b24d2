"""The CLI reference (docs/cli.md), generated from the commands themselves.

``python -m assay.cli.reference > docs/cli.md`` rewrites it; a test fails when the
file and the commands disagree, so the reference cannot go stale.
"""

from __future__ import annotations

import typer
from typer.testing import CliRunner

_INTRO = """\
# Command-line reference

Generated from the commands by `python -m assay.cli.reference > docs/cli.md`; a test
keeps it in step with the code. Every command also answers `--help`.

## Exit codes

| code | meaning |
| --- | --- |
| 0 | no failing enforced control |
| 1 | at least one failing (or erroring) enforced control; for a portfolio, also a product \
that could not be audited |
| 2 | usage or configuration error; the message names the file, line, column and key |
| 3 | internal error; the message says where the details were logged |

## Environment

| variable | meaning |
| --- | --- |
| `ASSAY_DB` | the store: a SQLAlchemy URL or a SQLite file (same as `--db`) |
| `ASSAY_HOME` | folder of the default SQLite store (`assay.sqlite3`) |
| `ASSAY_VULNDB` | the vulnerability database (default `vulndb.sqlite3` in `ASSAY_HOME`) |
| `ASSAY_TOOL_PATH` | folders searched for bandit, ruff and semgrep instead of `PATH` |
| `ASSAY_CACHE_DIR` | folder of the result cache, of crash logs and of compiled pattern databases |
| `ASSAY_SECRETS_PREFILTER` | `off`: `secrets.scan` uses RE2 alone, without Hyperscan |
"""


def command_names(app: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf command of ``app`` as its words, e.g. ``("db", "upgrade")``, sorted."""
    names: list[tuple[str, ...]] = []
    for info in app.registered_commands:
        if info.name and not info.hidden:
            names.append((*prefix, info.name))
    for group in app.registered_groups:
        if group.name and group.typer_instance is not None:
            names.extend(command_names(group.typer_instance, (*prefix, group.name)))
    return sorted(names)


def _help_text(app: typer.Typer, words: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], prog_name="assay", terminal_width=100)
    if result.exit_code != 0:
        raise RuntimeError(f"assay {' '.join(words)} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.output.strip().splitlines())


def cli_reference() -> str:
    from assay.cli.main import _register, app

    _register()
    sections = [
        f"## `assay {' '.join(words)}`\n\n```text\n{_help_text(app, words)}\n```\n"
        for words in command_names(app)
    ]
    return _INTRO + "\n" + "\n".join(sections)


if __name__ == "__main__":
    print(cli_reference(), end="")
