"""Entry point: the Typer app, and the one place where errors become exit codes."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

import typer

from assay import __version__
from assay.errors import AssayError, ExitCode

app = typer.Typer(
    name="assay",
    help="Audit software products (git repositories) against the company's quality standard.\n\n"
    "Exit codes: 0 no failing enforced control; 1 at least one failing control (or a product "
    "that could not be audited); 2 usage or configuration error; 3 internal error.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"assay {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Assay: the company's quality standard as code."""


_registered: list[bool] = []


def _register() -> None:
    """Attach the commands; idempotent, as the CLI reference generator calls it too."""
    if _registered:
        return
    _registered.append(True)
    from assay.cli import (
        admin,
        attest,
        audit,
        demo,
        history,
        sbom,
        secrets,
        soa,
        standards,
        tests,
        vulndb,
    )

    audit.register(app)
    history.register(app)
    admin.register(app)
    demo.register(app)
    secrets.register(app)
    sbom.register(app)
    vulndb.register(app)
    tests.register(app)
    standards.register(app)
    attest.register(app)
    soa.register(app)


def _crash_log(exc: BaseException) -> Path:
    from assay.cache import cache_dir

    folder = cache_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.log"
    details = "".join(traceback.format_exception(exc))
    path.write_text(f"assay {__version__}\nargv: {sys.argv!r}\n\n{details}", "utf-8")
    return path


def run() -> None:
    """The ``assay`` console script: run the command, then leave without tearing down."""
    code = _main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    # Tearing down every imported module (SQLAlchemy, pydantic, Rich …) takes a few
    # tenths of a second, which is most of the run on a small product. The exit
    # handlers still run; only the interpreter's teardown is skipped. Where the
    # interpreter lacks the hook, the ordinary exit is kept.
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:
        sys.exit(code)
    run_exit_handlers()
    os._exit(code)


def _main() -> int:
    """Run the command line; return the exit code (errors mapped in one place)."""
    _register()
    try:
        app(prog_name="assay")
    except SystemExit as exc:  # how Click ends every command
        return _exit_code(exc.code)
    except AssayError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"hint: {exc.hint}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except Exception as exc:
        try:
            log = str(_crash_log(exc))
        except OSError as log_error:
            log = f"(could not write a log: {log_error})"
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            f"details were logged to {log}; please attach that file to a bug report",
            err=True,
        )
        return int(ExitCode.INTERNAL)
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    typer.echo(str(code), err=True)  # sys.exit("message") prints it and means failure
    return 1
