"""Tables of the policies foundation service: who may see, play and reuse a track."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class TrackPolicyRow(Base):
    __tablename__ = "track_policies"

    track_id: Mapped[int] = mapped_column(
        ID, ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    sharing: Mapped[str] = mapped_column(String(16), default="public")
    secret_token: Mapped[str] = mapped_column(String(32))
    release_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    territories: Mapped[list[str] | None] = mapped_column(JSON)
    streamable: Mapped[bool] = mapped_column(Boolean, default=True)
    downloadable: Mapped[bool] = mapped_column(Boolean, default=False)
    commentable: Mapped[bool] = mapped_column(Boolean, default=True)
    monetization: Mapped[str] = mapped_column(String(32), default="none")
    taken_down_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    takedown_reason: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_track_policies_sharing", "sharing"),)
