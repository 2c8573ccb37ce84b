"""Tables of the plays foundation service: play and download events for history and insights,
and each user's play queue (what their music player was playing)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class PlayRow(Base):
    __tablename__ = "plays"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    track_id: Mapped[int] = mapped_column(ID, ForeignKey("tracks.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ID, ForeignKey("users.id", ondelete="SET NULL"))
    app_id: Mapped[int | None] = mapped_column(ID, ForeignKey("apps.id", ondelete="SET NULL"))
    territory: Mapped[str | None] = mapped_column(String(2))
    played_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_plays_track_id_played_at", "track_id", "played_at"),
        Index("ix_plays_user_id_played_at_id", "user_id", "played_at", "id"),
    )


class DownloadRow(Base):
    __tablename__ = "downloads"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    track_id: Mapped[int] = mapped_column(ID, ForeignKey("tracks.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ID, ForeignKey("users.id", ondelete="SET NULL"))
    app_id: Mapped[int | None] = mapped_column(ID, ForeignKey("apps.id", ondelete="SET NULL"))
    territory: Mapped[str | None] = mapped_column(String(2))
    downloaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    grant_digest: Mapped[str | None] = mapped_column(String(64))
    """The redeemed download grant (its SHA-256): a grant counts once, however often fetched."""

    __table_args__ = (
        Index("ix_downloads_track_id_downloaded_at", "track_id", "downloaded_at"),
        Index("ux_downloads_grant_digest", "grant_digest", unique=True),
    )


class PlayQueueRow(Base):
    """A user's saved play queue, one per user (the Subsonic savePlayQueue): track ids in order
    (comma-separated: the queue is read and written whole), the current one and the position in
    it. Ids of tracks deleted or hidden since are skipped when read."""

    __tablename__ = "play_queues"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    track_ids: Mapped[str] = mapped_column(Text)
    current_track_id: Mapped[int | None] = mapped_column(ID)
    position_ms: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str] = mapped_column(String(100))
