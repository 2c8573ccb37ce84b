"""Media storage: the queue of stored objects to delete, and download grants redeemed once.

Revision ID: 0003_media_storage
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_media_storage"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "media_deletions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("storage_key", sa.String(length=128), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_deletions")),
    )
    op.create_index("ix_media_deletions_due_at", "media_deletions", ["due_at"], unique=False)
    op.add_column("downloads", sa.Column("grant_digest", sa.String(length=64), nullable=True))
    op.create_index("ux_downloads_grant_digest", "downloads", ["grant_digest"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_downloads_grant_digest", table_name="downloads")
    with op.batch_alter_table("downloads") as batch:
        batch.drop_column("grant_digest")
    op.drop_index("ix_media_deletions_due_at", table_name="media_deletions")
    op.drop_table("media_deletions")
