"""The initial audit store: products, audits, verdicts, findings, measures.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _audit_id(table: str) -> list[SchemaItem]:
    return [
        sa.Column("audit_id", sa.String, nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audits.id"], name=f"fk_{table}_audit_id", ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    timestamp = sa.DateTime(timezone=True)
    op.create_table(
        "products",
        sa.Column("name", sa.String, nullable=False),
        sa.Column("path", sa.String, nullable=False),
        sa.Column("team", sa.String),
        sa.Column("tier", sa.Integer),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("data_classification", sa.String),
        sa.Column("updated", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_products"),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.String, nullable=False),
        sa.Column("product", sa.String, nullable=False),
        sa.Column("commit", sa.String),
        sa.Column("tree", sa.String),
        sa.Column("source_kind", sa.String, nullable=False),
        sa.Column("policy_id", sa.String, nullable=False),
        sa.Column("policy_hash", sa.String, nullable=False),
        sa.Column("assay_version", sa.String, nullable=False),
        sa.Column("started_at", timestamp, nullable=False),
        sa.Column("duration_s", sa.Double, nullable=False),
        sa.Column("score", sa.Double, nullable=False),
        sa.Column("pass", sa.Integer, nullable=False),
        sa.Column("fail", sa.Integer, nullable=False),
        sa.Column("warn", sa.Integer, nullable=False),
        sa.Column("not_applicable", sa.Integer, nullable=False),
        sa.Column("manual", sa.Integer, nullable=False),
        sa.Column("error", sa.Integer, nullable=False),
        sa.Column("failed_enforced", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audits"),
        sa.ForeignKeyConstraint(["product"], ["products.name"], name="fk_audits_product"),
    )
    op.create_index("ix_audits_product_started_at", "audits", ["product", "started_at"])
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer, nullable=False),
        *_audit_id("verdicts"),
        sa.Column("control_id", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("severity", sa.String, nullable=False),
        sa.Column("enforced", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verdicts"),
    )
    op.create_index("ix_verdicts_audit_id", "verdicts", ["audit_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, nullable=False),
        *_audit_id("findings"),
        sa.Column("check_id", sa.String, nullable=False),
        sa.Column("rule", sa.String, nullable=False),
        sa.Column("severity", sa.String, nullable=False),
        sa.Column("path", sa.String),
        sa.Column("start_line", sa.Integer),
        sa.Column("end_line", sa.Integer),
        sa.Column("fingerprint", sa.String, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_audit_id", "findings", ["audit_id"])
    op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer, nullable=False),
        *_audit_id("measures"),
        sa.Column("check_id", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("unit", sa.String, nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_measures"),
    )
    op.create_index("ix_measures_audit_id", "measures", ["audit_id"])


def downgrade() -> None:
    for table in ("measures", "findings", "verdicts", "audits", "products"):
        op.drop_table(table)
