"""Tables of the tracks foundation service: track metadata and its full-text index."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class TrackRow(Base):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    permalink: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    genre: Mapped[str] = mapped_column(String(100), default="")
    tag_list: Mapped[str] = mapped_column(String(500), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    bpm: Mapped[float | None] = mapped_column(Float)
    key_signature: Mapped[str] = mapped_column(String(16), default="")
    isrc: Mapped[str | None] = mapped_column(String(16))
    license: Mapped[str] = mapped_column(String(32), default="all-rights-reserved")
    label_name: Mapped[str] = mapped_column(String(255), default="")
    purchase_url: Mapped[str] = mapped_column(String(512), default="")
    purchase_title: Mapped[str] = mapped_column(String(255), default="")
    release_date: Mapped[dt.date | None] = mapped_column()
    artwork_key: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "permalink"),
        Index("ix_tracks_user_id_created_at_id", "user_id", "created_at", "id"),
        Index("ix_tracks_created_at_id", "created_at", "id"),
        Index("ix_tracks_genre_created_at", "genre", "created_at"),
        Index("ix_tracks_isrc", "isrc"),
        Index("ix_tracks_bpm", "bpm"),
        Index("ix_tracks_duration_ms", "duration_ms"),
    )
