"""Verdicts from attestations, on a frozen day: expiry, evidence hashes, manual and partial."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from assay.attestations import Attestations, apply_attestations, load_attestations
from assay.attestations.files import attestation_path
from assay.errors import ConfigError
from assay.model import Severity, Verdict, VerdictStatus

TODAY = dt.date(2026, 11, 25)
MINUTES = b"The board approved the ISMS policy on 2026-10-30.\n"


def attestation(control: str, *, date: str = "2026-11-01", expires: str = "2027-10-31",
                evidence: str = "") -> str:  # fmt: skip
    return (
        f"assay-attestation: 1\nproduct: shop\ncontrol: {control}\n"
        "statement: The ISMS policy is approved and published.\n"
        f"attested_by: Jane Roe (CISO)\ndate: {date}\nexpires: {expires}\n{evidence}"
    )


def write(folder: Path, control: str, text: str) -> Path:
    path = attestation_path(folder, "shop", control)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def verdict(control: str, status: VerdictStatus, reason: str, *, enforced: bool = True) -> Verdict:
    return Verdict(control_id=control, title="t", severity=Severity.HIGH, enforced=enforced,
                   status=status, reason=reason)  # fmt: skip


MANUAL = verdict("iso:A.5.1", VerdictStatus.MANUAL, "attestation required; no automated evidence")


def judged(
    folder: Path, *verdicts: Verdict, need: str = "manual", today: dt.date = TODAY
) -> list[tuple[str, str]]:
    found = load_attestations(folder, "shop")
    needs = {v.control_id: need for v in verdicts}
    out = apply_attestations(list(verdicts), needs, found, today)  # type: ignore[arg-type]
    return [(v.status.value, v.reason) for v in out]


def test_an_attested_manual_control_passes_until_it_expires(tmp_path: Path) -> None:
    write(tmp_path, "iso:A.5.1", attestation("iso:A.5.1"))
    assert judged(tmp_path, MANUAL) == [
        ("pass", "attested by Jane Roe (CISO) on 2026-11-01, valid until 2027-10-31")
    ]
    assert judged(tmp_path, MANUAL, today=dt.date(2027, 10, 31))[0][0] == "pass"  # its last day
    assert judged(tmp_path, MANUAL, today=dt.date(2027, 11, 1)) == [
        ("fail", "attestation expired on 2027-10-31 (attested by Jane Roe (CISO) on 2026-11-01)")
    ]
    assert judged(tmp_path, MANUAL, today=dt.date(2026, 10, 1)) == [
        ("fail", "attestation dated 2026-11-01, after the audit (2026-10-01)")
    ]


def test_without_an_attestation_a_manual_control_stays_manual(tmp_path: Path) -> None:
    assert judged(tmp_path, MANUAL) == [("manual", "attestation required; no automated evidence")]
    assert judged(tmp_path / "nowhere", MANUAL)[0][0] == "manual"


def test_an_evidence_file_that_changed_fails_the_control(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    (folder / "evidence").mkdir(parents=True)
    (folder / "evidence" / "minutes.txt").write_bytes(MINUTES)
    digest = hashlib.sha256(MINUTES).hexdigest()
    evidence = f"evidence:\n  - link: https://intranet/isms\n  - file: evidence/minutes.txt\n    sha256: {digest}\n"  # noqa: E501
    write(tmp_path, "iso:A.5.1", attestation("iso:A.5.1", evidence=evidence))
    assert judged(tmp_path, MANUAL)[0][0] == "pass"
    (folder / "evidence" / "minutes.txt").write_bytes(MINUTES + b"amended\n")
    changed = hashlib.sha256(MINUTES + b"amended\n").hexdigest()
    assert judged(tmp_path, MANUAL) == [
        ("fail", f"evidence file evidence/minutes.txt changed since it was attested (sha256 "
                 f"{changed[:12]}…, attested {digest[:12]}…)"),
    ]  # fmt: skip
    (folder / "evidence" / "minutes.txt").unlink()
    (folder / "evidence" / "minutes.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_bytes(MINUTES)  # same bytes, but through a symlink
    assert judged(tmp_path, MANUAL) == [
        ("fail", f"evidence file evidence/minutes.txt of the attestation is missing from {folder}")
    ]


@pytest.mark.parametrize(
    "name", ["../outside.txt", "/etc/hostname", "evidence/./x.txt", "..\\outside.txt", "c:x.txt"]
)
def test_evidence_outside_the_products_folder_is_never_read(tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.txt").write_bytes(MINUTES)
    evidence = f"evidence:\n  - file: {name}\n    sha256: {hashlib.sha256(MINUTES).hexdigest()}\n"
    write(tmp_path, "iso:A.5.1", attestation("iso:A.5.1", evidence=evidence))
    status, reason = judged(tmp_path, MANUAL)[0]
    assert status == "fail"
    assert reason.startswith(f"evidence file {name} of the attestation is missing")


def test_a_partly_automated_control_needs_its_checks_and_the_attestation(tmp_path: Path) -> None:
    checks_pass = verdict("iso:A.8.28", VerdictStatus.PASS, "no finding")
    checks_fail = verdict("iso:A.8.28", VerdictStatus.FAIL, "a finding")
    assert judged(tmp_path, checks_pass, need="both") == [
        ("manual", "no finding; an attestation is also required, and none is given")
    ]
    write(tmp_path, "iso:A.8.28", attestation("iso:A.8.28"))
    assert judged(tmp_path, checks_pass, need="both") == [
        ("pass", "no finding; attested by Jane Roe (CISO) on 2026-11-01, valid until 2027-10-31")
    ]
    assert judged(tmp_path, checks_fail, need="both") == [("fail", "a finding")]
    expired = judged(tmp_path, checks_pass, need="both", today=dt.date(2028, 1, 1))
    assert expired == [("fail", "no finding; attestation expired on 2027-10-31 (attested by "
                                "Jane Roe (CISO) on 2026-11-01)")]  # fmt: skip


def test_a_warn_control_warns_when_its_attestation_expired(tmp_path: Path) -> None:
    write(tmp_path, "iso:A.5.1", attestation("iso:A.5.1", expires="2026-11-20"))
    warned = verdict("iso:A.5.1", VerdictStatus.MANUAL, "attestation required", enforced=False)
    assert judged(tmp_path, warned)[0][0] == "warn"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (attestation("iso:A.5.1", expires="2026-10-01"),
         "shop/iso_A.5.1.yaml:7:10: expires: Value error, expires (2026-10-01) must come after "
         "date (2026-11-01) (got '2026-10-01')"),
        (attestation("iso:A.5.1").replace("attested_by: Jane Roe (CISO)\n", ""),
         "shop/iso_A.5.1.yaml:1:1: attested_by: missing required key 'attested_by'"),
        (attestation("iso:A.5.1").replace("product: shop", "product: web"),
         "shop/iso_A.5.1.yaml: attests product 'web', but lies in the folder of 'shop'"),
    ],
)  # fmt: skip
def test_a_broken_attestation_is_named(tmp_path: Path, text: str, problem: str) -> None:
    write(tmp_path, "iso:A.5.1", text)
    with pytest.raises(ConfigError) as raised:
        load_attestations(tmp_path, "shop")
    assert str(raised.value) == f"{tmp_path}/{problem}"


def test_two_attestations_of_one_control_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, "iso:A.5.1", attestation("iso:A.5.1"))
    (tmp_path / "shop" / "again.yaml").write_text(attestation("iso:A.5.1"))
    with pytest.raises(ConfigError) as raised:
        load_attestations(tmp_path, "shop")
    assert str(raised.value) == (
        f"{tmp_path}/shop/iso_A.5.1.yaml: a second attestation of 'iso:A.5.1' "
        f"(the first: {tmp_path}/shop/again.yaml)"
    )


def test_no_folder_means_no_attestation() -> None:
    assert load_attestations(None, "shop") == Attestations(folder=None)


def write_one(folder: Path, files: list[Path], *, control: str = "iso:A.5.1",
              product: str = "shop") -> Path:  # fmt: skip
    from assay.attestations.files import write_attestation
    from assay.attestations.model import Attestation

    made = Attestation(assay_attestation=1, product=product, control=control, statement="s",
                       attested_by="a", date=TODAY, expires=dt.date(2027, 1, 1))  # fmt: skip
    return write_attestation(folder, made, files, replace=False)


def test_writing_refuses_what_would_lose_or_hide_an_attestation(tmp_path: Path) -> None:
    folder = tmp_path / "attestations"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "minutes.txt").write_text("a")
    (tmp_path / "b" / "minutes.txt").write_text("b")
    with pytest.raises(ConfigError) as twice:
        write_one(folder, [tmp_path / "a" / "minutes.txt", tmp_path / "b" / "minutes.txt"])
    assert str(twice.value) == "two evidence files are named minutes.txt; rename one"
    # A hand-written file of another name already attests the control.
    (folder / "shop").mkdir(parents=True)
    (folder / "shop" / "policy-approval.yaml").write_text(attestation("iso:A.5.1"))
    with pytest.raises(ConfigError) as known:
        write_one(folder, [])
    assert str(known.value) == f"{folder}/shop/policy-approval.yaml: already attests iso:A.5.1"
    # Never through a symlink, even a dangling one.
    target = attestation_path(folder, "shop", "iso:A.8.1")
    target.symlink_to(tmp_path / "elsewhere.yaml")
    with pytest.raises(ConfigError) as linked:
        write_one(folder, [], control="iso:A.8.1")
    assert str(linked.value) == f"{target}: a symlink; an attestation is never written through one"
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_a_product_named_like_a_parent_folder_stays_inside(tmp_path: Path) -> None:
    assert attestation_path(tmp_path, "..", "iso:A.5.1") == tmp_path / "_" / "iso_A.5.1.yaml"
