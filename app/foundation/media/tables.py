"""Tables of the media foundation service: originals, transcodings, processing jobs, artwork and
the queue of stored objects to delete."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.foundation.db import ID, Base, UTCDateTime


class MediaRow(Base):
    __tablename__ = "media"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    track_id: Mapped[int] = mapped_column(
        ID, ForeignKey("tracks.id", ondelete="CASCADE"), unique=True
    )
    original_key: Mapped[str | None] = mapped_column(String(128))
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    format: Mapped[str] = mapped_column(String(32), default="")
    content_type: Mapped[str] = mapped_column(String(64), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    bitrate: Mapped[int] = mapped_column(Integer, default=0)
    sample_rate: Mapped[int] = mapped_column(Integer, default=0)
    channels: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="processing")
    status_reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class TranscodingRow(Base):
    __tablename__ = "transcodings"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    media_id: Mapped[int] = mapped_column(ID, ForeignKey("media.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    storage_key: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("media_id", "kind"),)


class MediaJobRow(Base):
    __tablename__ = "media_jobs"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    media_id: Mapped[int] = mapped_column(ID, ForeignKey("media.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_media_jobs_status_locked_until", "status", "locked_until"),
        Index("ix_media_jobs_media_id", "media_id"),
    )


class ArtworkRow(Base):
    """An uploaded image (track/playlist artwork or avatar) and its stored size variants."""

    __tablename__ = "artworks"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class MediaDeletionRow(Base):
    """A stored object (and its children) to delete: queued in the transaction that stopped
    referencing it, deleted by a media worker, retried with back-off while the store refuses."""

    __tablename__ = "media_deletions"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    storage_key: Mapped[str] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    """When it is next tried; a worker claiming it moves this forward (a lease)."""
    error: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_media_deletions_due_at", "due_at"),)
