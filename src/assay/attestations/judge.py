"""Verdicts of controls that need an attestation, from the product's attestations.

A manual control passes while its attestation is valid; a control with checks as
well passes only when its checks pass and the attestation is valid. An attestation
is valid from its date until it expires, and while every evidence file it names
still has the SHA-256 recorded in it. No attestation: the verdict stays ``manual``
(outstanding work), never ``pass``; an invalid one fails the control with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from assay.attestations.files import Attestations, Found, evidence_digest
from assay.attestations.model import EvidenceFile
from assay.model import Verdict, VerdictStatus

Need = Literal["manual", "both"]  # attestation alone, or beside automated evidence


def apply_attestations(
    verdicts: Sequence[Verdict],
    needing: Mapping[str, Need],
    attestations: Attestations,
    today: date,
) -> list[Verdict]:
    """``verdicts`` with every control in ``needing`` judged with its attestation."""
    return [
        _judged(v, needing[v.control_id], attestations, today) if v.control_id in needing else v
        for v in verdicts
    ]


def _judged(verdict: Verdict, need: Need, attestations: Attestations, today: date) -> Verdict:
    if need == "both" and verdict.status is not VerdictStatus.PASS:
        return verdict  # failing, erroring or not applicable on its checks: that stands
    if need == "manual" and verdict.status is not VerdictStatus.MANUAL:
        return verdict  # not applicable (excluded, out of scope)
    found = attestations.get(verdict.control_id)
    automated = f"{verdict.reason}; " if need == "both" else ""
    if found is None:
        if need == "manual":
            return verdict  # manual, as evaluated: "attestation required"
        missing = "an attestation is also required, and none is given"
        return _with(verdict, VerdictStatus.MANUAL, automated + missing)
    problem = attestation_problem(found, attestations, today)
    if problem is not None:
        failing = VerdictStatus.FAIL if verdict.enforced else VerdictStatus.WARN
        return _with(verdict, failing, automated + problem)
    a = found.attestation
    return _with(
        verdict, VerdictStatus.PASS,
        f"{automated}attested by {a.attested_by} on {a.date}, valid until {a.expires}",
    )  # fmt: skip


def attestation_problem(found: Found, attestations: Attestations, today: date) -> str | None:
    """Why the attestation does not hold today, or None when it does."""
    a = found.attestation
    if a.date > today:
        return f"attestation dated {a.date}, after the audit ({today})"
    if a.expires < today:
        return f"attestation expired on {a.expires} (attested by {a.attested_by} on {a.date})"
    for item in a.evidence:
        if not isinstance(item, EvidenceFile):
            continue
        folder = found.path.parent
        digest = evidence_digest(folder, item.file)
        if digest is None:
            return f"evidence file {item.file} of the attestation is missing from {folder}"
        if digest != item.sha256:
            return (
                f"evidence file {item.file} changed since it was attested (sha256 "
                f"{digest[:12]}…, attested {item.sha256[:12]}…)"
            )
    return None


def _with(verdict: Verdict, status: VerdictStatus, reason: str) -> Verdict:
    return verdict.model_copy(update={"status": status, "reason": reason})
