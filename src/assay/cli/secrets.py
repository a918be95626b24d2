"""``assay secrets history``: credentials anywhere in a repository's history."""

from __future__ import annotations

from pathlib import Path

import typer

from assay.report import OutputFormat

secrets_app = typer.Typer(
    help="Credentials in a repository (see docs/checks.md).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(secrets_app, name="secrets")


@secrets_app.command("history")
def history(
    path: Path = typer.Argument(Path("."), help="A git repository."),
    policy: str | None = typer.Option(
        None,
        "--policy",
        help="Policy whose `checks: secrets.scan:` parameters apply (allowlists, hash key, "
        "extra rules). Default: assay-baseline.",
    ),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
) -> None:
    """Scan every blob reachable from any ref once; name the commits and paths of each secret.

    Exit code 1 when a credential is found anywhere in the history, 0 otherwise.
    """
    from rich.console import Console

    from assay.checks.secrets import SecretsParams
    from assay.checks.secrets.history import scan_history
    from assay.policy import load_policy
    from assay.report.secrets_history import history_json, print_history
    from assay.snapshot import open_snapshot

    loaded = load_policy(policy)
    params = SecretsParams.model_validate(loaded.policy.checks.get("secrets.scan", {}))
    snapshot = open_snapshot(path, require_git=True)  # the same checks and messages as audits
    root = snapshot.root
    snapshot.close()
    scan = scan_history(root, params, max_file_size=loaded.policy.limits.max_file_size)
    console = Console()
    if output is OutputFormat.JSON:
        console.file.write(history_json(root, scan))
    else:
        print_history(scan, console)
    raise typer.Exit(1 if scan.findings else 0)
