"""Tables of the audit foundation service: one append-only row per audited write.

No foreign keys on purpose: an audit trail outlives the apps, users, tracks and playlists it
mentions (deleting a track must not erase the record of who deleted it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class PartnerAuditRow(Base):
    __tablename__ = "partner_audit"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    app_id: Mapped[int] = mapped_column(ID)
    app_name: Mapped[str] = mapped_column(String(100))
    actor_user_id: Mapped[int | None] = mapped_column(ID)
    """The signed-in user of the token, when any (None for client-credentials tokens)."""
    creator_id: Mapped[int] = mapped_column(ID)
    """The creator whose catalog was changed (on whose behalf the app acted)."""
    entity_kind: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    """{field: {"old": value, "new": value}} for every field the write changed."""
    request_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_partner_audit_app_id_created_at_id", "app_id", "created_at", "id"),
        Index("ix_partner_audit_creator_id_created_at", "creator_id", "created_at"),
    )
