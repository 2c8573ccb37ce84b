"""Play queues: each user's saved queue of their music player (Subsonic savePlayQueue).

Revision ID: 0008_play_queue
Revises: 0005_player_credentials
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_play_queue"
down_revision: str | Sequence[str] | None = "0005_player_credentials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "play_queues",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("track_ids", sa.Text(), nullable=False),
        sa.Column("current_track_id", ID, nullable=True),
        sa.Column("position_ms", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_play_queues_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_play_queues")),
    )


def downgrade() -> None:
    op.drop_table("play_queues")
