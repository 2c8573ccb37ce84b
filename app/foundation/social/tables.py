"""Tables of the social foundation service: likes, reposts, follows and timed comments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class TrackLikeRow(Base):
    __tablename__ = "track_likes"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    track_id: Mapped[int] = mapped_column(
        ID, ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_track_likes_track_id_created_at", "track_id", "created_at"),
        Index("ix_track_likes_user_id_created_at", "user_id", "created_at"),
    )


class PlaylistLikeRow(Base):
    __tablename__ = "playlist_likes"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    playlist_id: Mapped[int] = mapped_column(
        ID, ForeignKey("playlists.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_playlist_likes_playlist_id_created_at", "playlist_id", "created_at"),
        Index("ix_playlist_likes_user_id_created_at", "user_id", "created_at"),
    )


class TrackRepostRow(Base):
    __tablename__ = "track_reposts"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    track_id: Mapped[int] = mapped_column(
        ID, ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_track_reposts_track_id_created_at", "track_id", "created_at"),
        Index("ix_track_reposts_user_id_created_at", "user_id", "created_at"),
    )


class PlaylistRepostRow(Base):
    __tablename__ = "playlist_reposts"

    user_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    playlist_id: Mapped[int] = mapped_column(
        ID, ForeignKey("playlists.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_playlist_reposts_playlist_id_created_at", "playlist_id", "created_at"),
        Index("ix_playlist_reposts_user_id_created_at", "user_id", "created_at"),
    )


class FollowRow(Base):
    __tablename__ = "follows"

    follower_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_follows_followee_id_created_at", "followee_id", "created_at"),
        Index("ix_follows_follower_id_created_at", "follower_id", "created_at"),
    )


class CommentRow(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    track_id: Mapped[int] = mapped_column(ID, ForeignKey("tracks.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    timestamp_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_comments_track_id_created_at_id", "track_id", "created_at", "id"),
        Index("ix_comments_user_id_created_at_id", "user_id", "created_at", "id"),
    )
