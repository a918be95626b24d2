"""The terminal report as text: heading, verdict table, summary; repository text literal."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from assay.model import (
    Audit,
    FileStats,
    PolicyInfo,
    ProductInfo,
    Severity,
    SkipReason,
    SourceInfo,
    Summary,
    Verdict,
    VerdictStatus,
)
from assay.report.terminal import print_audit


def verdict(control_id: str, title: str, status: VerdictStatus, reason: str) -> Verdict:
    return Verdict(
        control_id=control_id,
        title=title,
        severity=Severity.MEDIUM,
        enforced=True,
        status=status,
        reason=reason,
    )


def make_audit(
    verdicts: list[Verdict],
    *,
    name: str = "shop",
    source: SourceInfo | None = None,
    files: FileStats | None = None,
    summary: Summary | None = None,
) -> Audit:
    return Audit(
        id="0123456789abcdef0123456789abcdef",
        product=ProductInfo(name=name, path="/srv/shop"),
        source=source or SourceInfo(kind="git", commit="0123456789abcdef" * 2 + "01234567"),
        policy=PolicyInfo(id="assay-baseline", title="Assay baseline", hash="f" * 64),
        assay_version="0.1.0",
        started_at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        duration_s=1.234,
        checks=[],
        verdicts=verdicts,
        findings=[],
        measures=[],
        files=files or FileStats(total=0, read=0, from_cache=0, bytes_read=0),
        skipped=[],
        summary=summary
        or Summary(counts=dict.fromkeys(VerdictStatus, 0), score=100.0, failed_enforced=0),
    )


def rendered(audit: Audit) -> str:
    console = Console(record=True, width=120, color_system=None, file=io.StringIO())
    print_audit(audit, console)
    return console.export_text()


def test_the_whole_report() -> None:
    audit = make_audit(
        [
            verdict("AB-DOC-1", "README present", VerdictStatus.PASS, "README long enough"),
            verdict("AB-LIC-1", "Licence declared", VerdictStatus.FAIL, "no LICENSE file"),
            verdict("AB-OWN-1", "Code owners", VerdictStatus.WARN, "no CODEOWNERS"),
            verdict("AB-DEP-1", "Dependencies locked", VerdictStatus.NOT_APPLICABLE, "no manifest"),
            verdict(
                "AB-ACT-1", "Maintained", VerdictStatus.ERROR, "check activity.git did not run"
            ),
            verdict("AB-MAN-1", "Threat model", VerdictStatus.MANUAL, "attestation required"),
        ],
        files=FileStats(
            total=1234,
            read=1000,
            from_cache=200,
            bytes_read=9876543,
            skipped={SkipReason.SYMLINK: 2, SkipReason.BINARY: 30, SkipReason.TOO_LARGE: 2},
        ),
        summary=Summary(
            counts={
                VerdictStatus.PASS: 1,
                VerdictStatus.FAIL: 1,
                VerdictStatus.WARN: 1,
                VerdictStatus.NOT_APPLICABLE: 1,
                VerdictStatus.ERROR: 1,
                VerdictStatus.MANUAL: 1,
            },
            score=41.7,
            failed_enforced=2,
        ),
    )
    assert rendered(audit) == (
        "Audit of shop at commit 0123456789ab · policy assay-baseline (ffffffffffff)\n"
        "┏━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ Control  ┃ Title               ┃ Verdict        ┃ Reason                         ┃\n"
        "┡━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ AB-DOC-1 │ README present      │ pass           │ README long enough             │\n"
        "│ AB-LIC-1 │ Licence declared    │ fail           │ no LICENSE file                │\n"
        "│ AB-OWN-1 │ Code owners         │ warn           │ no CODEOWNERS                  │\n"
        "│ AB-DEP-1 │ Dependencies locked │ not_applicable │ no manifest                    │\n"
        "│ AB-ACT-1 │ Maintained          │ error          │ check activity.git did not run │\n"
        "│ AB-MAN-1 │ Threat model        │ manual         │ attestation required           │\n"
        "└──────────┴─────────────────────┴────────────────┴────────────────────────────────┘\n"
        "Controls: 1 passed · 1 failed · 1 warned · 1 not applicable · 1 errored · 1 manual\n"
        "Score: 41.7/100\n"
        "Files: 1234 in the index, 1000 read (9,876,543 bytes), 200 from cache, 34 skipped "
        "(30 binary, 2 symlink, 2 too_large)\n"
        "Time: 1.23 s · audit 0123456789abcdef0123456789abcdef\n"
    )


def test_a_directory_audit_without_verdicts() -> None:
    audit = make_audit([], source=SourceInfo(kind="directory"))
    assert rendered(audit) == (
        "Audit of shop at working directory · policy assay-baseline (ffffffffffff)\n"
        "┏━━━━━━━━━┳━━━━━━━┳━━━━━━━━━┳━━━━━━━━┓\n"
        "┃ Control ┃ Title ┃ Verdict ┃ Reason ┃\n"
        "┡━━━━━━━━━╇━━━━━━━╇━━━━━━━━━╇━━━━━━━━┩\n"
        "└─────────┴───────┴─────────┴────────┘\n"
        "Controls: 0 passed · 0 failed · 0 warned · 0 not applicable · 0 errored · 0 manual\n"
        "Score: 100/100\n"
        "Files: 0 in the index, 0 read (0 bytes), 0 from cache, 0 skipped\n"
        "Time: 1.23 s · audit 0123456789abcdef0123456789abcdef\n"
    )


def test_repository_text_is_shown_literally() -> None:
    audit = make_audit(
        [
            verdict(
                "C-1\n[bold red]x[/]",
                "Title [link=http://evil]y[/link]",
                VerdictStatus.FAIL,
                "src/\x1b[31mred\x1b[0m.py: [bold red]x[/]\nforged line \u202eexe.txt",
            )
        ],
        name="shop\n[blink]name[/blink]",
    )
    text = rendered(audit)
    assert text.splitlines() == [
        "Audit of shop\\n[blink]name[/blink] at commit 0123456789ab · policy assay-baseline "
        "(ffffffffffff)",
        "┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳"
        "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ Control             ┃ Title                            ┃ Verdict ┃"
        " Reason                                            ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇"
        "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ C-1\\n[bold red]x[/] │ Title [link=http://evil]y[/link] │ fail    │"
        " src/\\u001b[31mred\\u001b[0m.py: [bold              │",
        "│                     │                                  │         │"
        " red]x[/]\\nforged line \\u202eexe.txt               │",
        "└─────────────────────┴──────────────────────────────────┴─────────┴"
        "───────────────────────────────────────────────────┘",
        "Controls: 0 passed · 0 failed · 0 warned · 0 not applicable · 0 errored · 0 manual",
        "Score: 100/100",
        "Files: 0 in the index, 0 read (0 bytes), 0 from cache, 0 skipped",
        "Time: 1.23 s · audit 0123456789abcdef0123456789abcdef",
    ]
    assert "\x1b" not in text
