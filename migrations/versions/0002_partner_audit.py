"""Partner audit trail: one append-only row per write a partner app made for a creator.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "partner_audit",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("app_id", ID, nullable=False),
        sa.Column("app_name", sa.String(length=100), nullable=False),
        sa.Column("actor_user_id", ID, nullable=True),
        sa.Column("creator_id", ID, nullable=False),
        sa.Column("entity_kind", sa.String(length=16), nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_audit")),
    )
    op.create_index(
        "ix_partner_audit_app_id_created_at_id",
        "partner_audit",
        ["app_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_partner_audit_creator_id_created_at",
        "partner_audit",
        ["creator_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_partner_audit_creator_id_created_at", table_name="partner_audit")
    op.drop_index("ix_partner_audit_app_id_created_at_id", table_name="partner_audit")
    op.drop_table("partner_audit")
