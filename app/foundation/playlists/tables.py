"""Tables of the playlists foundation service: playlists/albums and their ordered entries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class PlaylistRow(Base):
    __tablename__ = "playlists"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    permalink: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    set_type: Mapped[str] = mapped_column(String(16), default="playlist")
    sharing: Mapped[str] = mapped_column(String(16), default="public")
    secret_token: Mapped[str] = mapped_column(String(32))
    genre: Mapped[str] = mapped_column(String(100), default="")
    tag_list: Mapped[str] = mapped_column(String(500), default="")
    label_name: Mapped[str] = mapped_column(String(255), default="")
    release_date: Mapped[dt.date | None] = mapped_column()
    artwork_key: Mapped[str | None] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "permalink"),
        Index("ix_playlists_user_id_created_at_id", "user_id", "created_at", "id"),
        Index("ix_playlists_created_at_id", "created_at", "id"),
    )


class PlaylistEntryRow(Base):
    __tablename__ = "playlist_entries"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    playlist_id: Mapped[int] = mapped_column(ID, ForeignKey("playlists.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ID, ForeignKey("tracks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_playlist_entries_playlist_id_position", "playlist_id", "position"),
        Index("ix_playlist_entries_track_id", "track_id"),
    )
