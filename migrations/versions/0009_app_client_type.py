"""App client types (OAuth 2.1 §2.1): public apps (no secret, PKCE only) and confidential ones.

Every existing app stays confidential (it was issued a secret).

Revision ID: 0009_app_client_type
Revises: 0008_play_queue
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_app_client_type"
down_revision: str | Sequence[str] | None = "0008_play_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("apps") as batch:
        batch.add_column(
            sa.Column(
                "client_type",
                sa.String(length=16),
                nullable=False,
                server_default="confidential",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("apps") as batch:
        batch.drop_column("client_type")
