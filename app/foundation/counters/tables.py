"""Tables of the counters foundation service: the counts read model, updated with each command."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base


def _count() -> Mapped[int]:
    return mapped_column(BigInteger, default=0, server_default="0")


class TrackCountersRow(Base):
    __tablename__ = "track_counters"

    track_id: Mapped[int] = mapped_column(
        ID, ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    likes: Mapped[int] = _count()
    reposts: Mapped[int] = _count()
    plays: Mapped[int] = _count()
    comments: Mapped[int] = _count()
    downloads: Mapped[int] = _count()


class PlaylistCountersRow(Base):
    __tablename__ = "playlist_counters"

    playlist_id: Mapped[int] = mapped_column(
        ID, ForeignKey("playlists.id", ondelete="CASCADE"), primary_key=True
    )
    likes: Mapped[int] = _count()
    reposts: Mapped[int] = _count()
    tracks: Mapped[int] = _count()
    duration_ms: Mapped[int] = _count()


class UserCountersRow(Base):
    __tablename__ = "user_counters"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followers: Mapped[int] = _count()
    followings: Mapped[int] = _count()
    tracks: Mapped[int] = _count()
    playlists: Mapped[int] = _count()
    likes: Mapped[int] = _count()
    playlist_likes: Mapped[int] = _count()
    reposts: Mapped[int] = _count()
    comments: Mapped[int] = _count()
