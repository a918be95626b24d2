"""Tables of the audit store (SQLAlchemy Core).

The full audit is kept as its JSON document in ``audits.document``; the other
columns and tables repeat the parts worth querying in SQL (history, trends, finding
lookups by fingerprint). ``migrations/versions`` must create exactly this schema; a
test compares the two.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

# Start times are stored in UTC; SQLite keeps them without the offset.
Timestamp = sa.DateTime(timezone=True)

products = sa.Table(
    "products",
    metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("path", sa.String, nullable=False),
    sa.Column("team", sa.String),
    sa.Column("tier", sa.Integer),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("data_classification", sa.String),
    sa.Column("updated", Timestamp, nullable=False),
)

audits = sa.Table(
    "audits",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("product", sa.String, sa.ForeignKey("products.name"), nullable=False),
    sa.Column("commit", sa.String),
    sa.Column("tree", sa.String),
    sa.Column("source_kind", sa.String, nullable=False),
    sa.Column("policy_id", sa.String, nullable=False),
    sa.Column("policy_hash", sa.String, nullable=False),
    sa.Column("assay_version", sa.String, nullable=False),
    sa.Column("started_at", Timestamp, nullable=False),
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
    sa.Index(None, "product", "started_at"),
)


def _audit_id() -> sa.Column[str]:
    """The column that ties a row to its audit; deleting the audit deletes its rows."""
    return sa.Column(
        "audit_id",
        sa.String,
        sa.ForeignKey("audits.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


verdicts = sa.Table(
    "verdicts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _audit_id(),
    sa.Column("control_id", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("severity", sa.String, nullable=False),
    sa.Column("enforced", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _audit_id(),
    sa.Column("check_id", sa.String, nullable=False),
    sa.Column("rule", sa.String, nullable=False),
    sa.Column("severity", sa.String, nullable=False),
    sa.Column("path", sa.String),
    sa.Column("start_line", sa.Integer),
    sa.Column("end_line", sa.Integer),
    sa.Column("fingerprint", sa.String, nullable=False, index=True),
    sa.Column("message", sa.Text, nullable=False),
)

measures = sa.Table(
    "measures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _audit_id(),
    sa.Column("check_id", sa.String, nullable=False),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("unit", sa.String, nullable=False),
    sa.Column("labels", sa.JSON, nullable=False),
)
