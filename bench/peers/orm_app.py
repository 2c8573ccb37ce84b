"""Peer 1: `GET /tracks/{id}` the way a competent FastAPI developer writes it — declarative
SQLAlchemy 2 ORM models mapped onto Soundstack's tables, an async session per request, the
policy joined for the visibility filter, counts and owner (with the owner's counts)
eager-loaded in the same query, a plain dict returned. No cache of any kind.

    DATABASE_URL=... granian --interface asgi --factory bench.peers.orm_app:create_app
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    contains_eager,
    joinedload,
    mapped_column,
    relationship,
)

from bench.peers import shape


class Base(DeclarativeBase):
    pass


class UserCounters(Base):
    __tablename__ = "user_counters"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    followers: Mapped[int] = mapped_column(BigInteger)
    followings: Mapped[int] = mapped_column(BigInteger)
    tracks: Mapped[int] = mapped_column(BigInteger)
    playlists: Mapped[int] = mapped_column(BigInteger)
    likes: Mapped[int] = mapped_column(BigInteger)
    playlist_likes: Mapped[int] = mapped_column(BigInteger)
    reposts: Mapped[int] = mapped_column(BigInteger)
    comments: Mapped[int] = mapped_column(BigInteger)
    public_tracks: Mapped[int] = mapped_column(BigInteger)
    public_playlists: Mapped[int] = mapped_column(BigInteger)
    public_likes: Mapped[int] = mapped_column(BigInteger)
    public_playlist_likes: Mapped[int] = mapped_column(BigInteger)
    public_reposts: Mapped[int] = mapped_column(BigInteger)
    public_comments: Mapped[int] = mapped_column(BigInteger)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str]
    permalink: Mapped[str]
    first_name: Mapped[str]
    last_name: Mapped[str]
    description: Mapped[str]
    city: Mapped[str]
    country: Mapped[str | None]
    plan: Mapped[str]
    avatar_key: Mapped[str | None]
    website: Mapped[str]
    website_title: Mapped[str]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    counters: Mapped[UserCounters | None] = relationship()


class TrackPolicy(Base):
    __tablename__ = "track_policies"

    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id"), primary_key=True)
    sharing: Mapped[str]
    release_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    territories: Mapped[list[str] | None] = mapped_column(JSON)
    streamable: Mapped[bool] = mapped_column(Boolean)
    downloadable: Mapped[bool] = mapped_column(Boolean)
    commentable: Mapped[bool] = mapped_column(Boolean)
    monetization: Mapped[str]
    taken_down_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class TrackCounters(Base):
    __tablename__ = "track_counters"

    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id"), primary_key=True)
    likes: Mapped[int] = mapped_column(BigInteger)
    reposts: Mapped[int] = mapped_column(BigInteger)
    plays: Mapped[int] = mapped_column(BigInteger)
    comments: Mapped[int] = mapped_column(BigInteger)
    downloads: Mapped[int] = mapped_column(BigInteger)


class Track(Base):
    __tablename__ = "tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str]
    permalink: Mapped[str]
    description: Mapped[str]
    genre: Mapped[str]
    tag_list: Mapped[str]
    duration_ms: Mapped[int]
    bpm: Mapped[float | None] = mapped_column(Float)
    key_signature: Mapped[str]
    isrc: Mapped[str | None]
    license: Mapped[str]
    label_name: Mapped[str]
    purchase_url: Mapped[str]
    purchase_title: Mapped[str]
    release_date: Mapped[dt.date | None] = mapped_column(Date)
    artwork_key: Mapped[str | None]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    owner: Mapped[User] = relationship()
    policy: Mapped[TrackPolicy] = relationship()
    counters: Mapped[TrackCounters | None] = relationship()


async def session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as s:
        yield s


router = APIRouter()


@router.get("/tracks/{track_id}")
async def get_track(
    track_id: int, request: Request, db: Annotated[AsyncSession, Depends(session)]
) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    if request.app.state.sqlite:
        now = now.replace(tzinfo=None)  # stored naive UTC
    query = (
        select(Track)
        .join(Track.policy)
        .where(
            Track.id == track_id,
            TrackPolicy.sharing == "public",
            TrackPolicy.taken_down_at.is_(None),
            (TrackPolicy.release_at.is_(None)) | (TrackPolicy.release_at <= now),
        )
        .options(
            contains_eager(Track.policy),
            joinedload(Track.counters),
            joinedload(Track.owner).joinedload(User.counters),
        )
    )
    t = (await db.execute(query)).scalar_one_or_none()
    if t is None:
        raise HTTPException(status_code=404, detail="track not found")
    owner = t.owner
    return shape.track(t, t.policy, t.counters, owner, owner.counters, request.app.state.base)


def create_app() -> FastAPI:
    engine = create_async_engine(os.environ["DATABASE_URL"])
    app = FastAPI(openapi_url=None)
    app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
    app.state.sqlite = engine.dialect.name == "sqlite"
    app.state.base = shape.base_url()
    app.include_router(router)
    return app
