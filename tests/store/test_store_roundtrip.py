"""Saving audits and reading them back, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from assay.errors import StoreError
from assay.model import Audit, VerdictStatus
from assay.store import AuditRow, Store
from assay.store.schema import audits, findings, measures, products, verdicts

MakeAudit = Callable[..., Audit]
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """A stored time as UTC: SQLite gives it back without offset."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_saved_audit_loads_equal(store: Store, make_audit: MakeAudit) -> None:
    audit = make_audit()

    store.save(audit)

    assert store.load(audit.id) == audit
    assert store.products() == ["billing"]


def test_history_row_summarizes_the_audit(store: Store, make_audit: MakeAudit) -> None:
    audit = make_audit(started_at=datetime(2025, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2))))

    store.save(audit)

    assert store.history() == [
        AuditRow(
            id="3f2a9c0d5e6b7a8190c1d2e3f4a5b6c7",
            product="billing",
            started_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
            commit="9fceb02d0ae598e95dc970b74767f19372d61af8",
            policy_hash="sha256:5d41402abc4b2a76b9719d911017c592",
            score=62.5,
            counts={status: 1 for status in VerdictStatus},
            failed_enforced=1,
            duration_s=4.25,
        )
    ]
    # The document keeps the time as the audit recorded it, offset included.
    assert store.load(audit.id).started_at.utcoffset() == timedelta(hours=2)


def test_rows_repeat_verdicts_findings_and_measures(store: Store, make_audit: MakeAudit) -> None:
    audit = make_audit()

    store.save(audit)

    with store.engine.connect() as connection:
        verdict_rows = connection.execute(
            select(verdicts.c.control_id, verdicts.c.status, verdicts.c.enforced)
            .where(verdicts.c.audit_id == audit.id)
            .order_by(verdicts.c.id)
        ).all()
        finding_rows = connection.execute(
            select(findings.c.rule, findings.c.path, findings.c.start_line, findings.c.message)
            .where(findings.c.audit_id == audit.id)
            .order_by(findings.c.id)
        ).all()
        measure_rows = connection.execute(
            select(measures.c.name, measures.c.value, measures.c.labels).order_by(measures.c.id)
        ).all()
        product_row = connection.execute(select(products)).one()
    assert [tuple(row) for row in verdict_rows] == [
        ("A.5.1", "pass", True),
        ("A.8.4", "fail", True),
        ("A.8.28", "warn", False),
        ("A.8.12", "not_applicable", True),
        ("A.5.36", "manual", True),
        ("A.8.8", "error", True),
    ]
    assert [tuple(row) for row in finding_rows] == [
        ("aws-access-key-id", "config/prod.env", 3, "AWS access key “AKIA…” committed — rotate it"),
        ("missing", None, None, "no CODEOWNERS file"),
    ]
    assert [tuple(row) for row in measure_rows] == [
        ("lines", 1234.0, {"language": "Python"}),
        ("commits_90d", 42.5, {}),
    ]
    assert product_row._asdict() == {
        "name": "billing",
        "path": "/srv/git/billing",
        "team": "payments",
        "tier": 1,
        "tags": ["pci", "customer-facing"],
        "data_classification": "confidential",
        "updated": product_row.updated,
    }
    assert utc(product_row.updated) == audit.started_at


def test_saving_an_id_again_changes_nothing(store: Store, make_audit: MakeAudit) -> None:
    first = make_audit(score=62.5)
    store.save(first)

    store.save(first)
    store.save(make_audit(score=99.0, team="other"))

    assert store.load(first.id) == first
    assert [row.score for row in store.history()] == [62.5]
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(verdicts)).scalar() == 6
        assert connection.execute(select(products.c.team)).scalar() == "payments"


def test_history_is_newest_first_and_filters_by_product(
    store: Store, make_audit: MakeAudit
) -> None:
    saved = [
        make_audit(audit_id="aaaaaa01", product="billing", started_at=T0 + timedelta(hours=1)),
        make_audit(audit_id="aaaaaa02", product="ledger", started_at=T0 + timedelta(hours=3)),
        make_audit(audit_id="aaaaaa03", product="billing", started_at=T0),
        make_audit(audit_id="aaaaaa04", product="billing", started_at=T0 + timedelta(hours=2)),
    ]
    for audit in saved:
        store.save(audit)

    assert [row.id for row in store.history()] == ["aaaaaa02", "aaaaaa04", "aaaaaa01", "aaaaaa03"]
    assert [row.id for row in store.history("billing")] == ["aaaaaa04", "aaaaaa01", "aaaaaa03"]
    assert [row.id for row in store.history("billing", limit=2)] == ["aaaaaa04", "aaaaaa01"]
    assert store.history("unknown") == []
    assert store.products() == ["billing", "ledger"]


def test_product_row_follows_the_newest_audit(store: Store, make_audit: MakeAudit) -> None:
    store.save(make_audit(audit_id="bbbbbb01", team="new-team", started_at=T0 + timedelta(days=1)))
    store.save(make_audit(audit_id="bbbbbb02", team="old-team", started_at=T0))

    with store.engine.connect() as connection:
        team, updated = connection.execute(select(products.c.team, products.c.updated)).one()
    assert team == "new-team"
    assert utc(updated) == T0 + timedelta(days=1)


def test_history_rejects_a_limit_below_one(store: Store) -> None:
    with pytest.raises(ValueError, match="limit must be at least 1, not 0"):
        store.history(limit=0)


def test_load_accepts_a_unique_prefix(store: Store, make_audit: MakeAudit) -> None:
    one = make_audit(audit_id="c0ffee11aa")
    other = make_audit(audit_id="c0ffee22bb")
    store.save(one)
    store.save(other)

    assert store.load("c0ffee1") == one
    assert store.load("c0ffee22bb") == other


def test_ambiguous_prefix_names_the_candidates(store: Store, make_audit: MakeAudit) -> None:
    store.save(make_audit(audit_id="c0ffee11aa"))
    store.save(make_audit(audit_id="c0ffee22bb"))

    with pytest.raises(StoreError) as error:
        store.load("c0ffee")

    assert error.value.message == (
        f"audit id prefix 'c0ffee' is ambiguous in {store.location}: "
        "it matches c0ffee11aa, c0ffee22bb"
    )
    assert error.value.hint == "give more characters of the id"


def test_ambiguous_prefix_lists_ten_candidates_at_most(store: Store, make_audit: MakeAudit) -> None:
    for n in range(12):
        store.save(make_audit(audit_id=f"dddddd{n:02d}"))

    with pytest.raises(StoreError) as error:
        store.load("dddddd")

    ids = ", ".join(f"dddddd{n:02d}" for n in range(10))
    assert error.value.message == (
        f"audit id prefix 'dddddd' is ambiguous in {store.location}: it matches {ids} and more"
    )


@pytest.mark.parametrize(
    "wanted",
    [
        "ffffff",  # no such audit
        "c0ffe",  # a prefix, but shorter than 6 characters
        "c0ffe_",  # LIKE wildcards are matched literally
        "c0ffe%",
    ],
)
def test_unknown_id_is_reported(store: Store, make_audit: MakeAudit, wanted: str) -> None:
    store.save(make_audit(audit_id="c0ffee11aa"))

    with pytest.raises(StoreError) as error:
        store.load(wanted)

    assert error.value.message == f"no audit with id '{wanted}' in {store.location}"
    assert error.value.hint == "`assay history` lists stored audits"


def test_empty_store(store: Store) -> None:
    assert store.history() == []
    assert store.products() == []
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(audits)).scalar() == 0
