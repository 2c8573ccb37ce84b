"""Tables of the counters foundation service: the counts read model, updated with each command.

Counts over tracks and playlists are kept per visibility class: a column for what the entity's
owner sees (their own hidden tracks included) and a `public_` column for what everyone sees.
A scheduled release is a `counter_releases` row: the deltas a count gains once its track's
release time passes (applied on read; `settle` folds them into the columns later)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


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
    public_tracks: Mapped[int] = _count()
    public_duration_ms: Mapped[int] = _count()
    pending: Mapped[int] = _count()
    """1 when `counter_releases` may hold rows for this playlist (cleared by `settle`)."""


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
    public_tracks: Mapped[int] = _count()
    private_tracks: Mapped[int] = _count()
    public_playlists: Mapped[int] = _count()
    public_likes: Mapped[int] = _count()
    public_playlist_likes: Mapped[int] = _count()
    public_reposts: Mapped[int] = _count()
    public_comments: Mapped[int] = _count()
    pending: Mapped[int] = _count()
    """1 when `counter_releases` may hold rows for this user (cleared by `settle`)."""


class CounterReleaseRow(Base):
    """What a count gains when a scheduled track is released: `delta` added to column `name`
    of the `entity` ('user' or 'playlist') counters row `entity_id` from `release_at` on."""

    __tablename__ = "counter_releases"
    __table_args__ = (Index("ix_counter_releases_entity", "entity", "entity_id"),)

    track_id: Mapped[int] = mapped_column(
        ID, ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(10), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    release_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    delta: Mapped[int] = mapped_column(BigInteger)
