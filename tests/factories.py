"""Test data written straight through the foundation (tests may; the app may not)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

from app.foundation.db import utcnow
from app.foundation.unit_of_work import Database
from app.foundation.users.records import NewUser
from app.value_added.catalog.commands.counting import (
    count_for_users,
    count_playlist_for_users,
    playlist_entries,
    track_class,
)
from app.value_added.identity import AppInfo, IdentityService

_seq = itertools.count(1)


async def make_user(db: Database, *, country: str | None = "DE", plan: str = "free") -> int:
    n = next(_seq)
    async with db.write() as uow:
        user = await uow.users.create(
            NewUser(username=f"user{n}", permalink=f"user{n}", country=country, plan=plan)
        )
        await uow.counters.users.ensure(user.id)
    return user.id


async def make_track(
    db: Database,
    owner_id: int,
    *,
    title: str | None = None,
    sharing: str = "public",
    release_at: dt.datetime | None = None,
    territories: list[str] | None = None,
    monetization: str = "none",
    taken_down: bool = False,
    downloadable: bool = True,
    commentable: bool = True,
    duration_ms: int = 180_000,
    genre: str = "electronic",
    tag_list: str = "",
    **metadata: Any,
) -> int:
    n = next(_seq)
    async with db.write() as uow:
        track = await uow.tracks.create(
            owner_id,
            {
                "title": title or f"Track {n}",
                "permalink": f"track-{n}",
                "duration_ms": duration_ms,
                "genre": genre,
                "tag_list": tag_list,
                **metadata,
            },
        )
        await uow.policies.create(
            track.id,
            f"s-secret{n}",
            {
                "sharing": sharing,
                "release_at": release_at,
                "territories": territories,
                "monetization": monetization,
                "taken_down_at": utcnow() if taken_down else None,
                "downloadable": downloadable,
                "commentable": commentable,
            },
        )
        await uow.counters.tracks.ensure(track.id)
        policy = await uow.policies.get(track.id)
        assert policy is not None
        counted = await track_class(uow, track, policy, utcnow())
        await count_for_users(uow, counted, "tracks", {owner_id: 1}, 1)
    return track.id


async def make_playlist(
    db: Database, owner_id: int, track_ids: list[int], *, sharing: str = "public"
) -> int:
    n = next(_seq)
    async with db.write() as uow:
        playlist = await uow.playlists.create(
            owner_id,
            f"s-pl{n}",
            {"title": f"Playlist {n}", "permalink": f"playlist-{n}", "sharing": sharing},
        )
        await uow.counters.playlists.ensure(playlist.id)
        await count_playlist_for_users(uow, playlist, "playlists", {owner_id: 1}, 1)
        await uow.playlists.append(playlist.id, track_ids, after=0)
        await playlist_entries(uow, playlist, Counter(track_ids), 1, utcnow())
    return playlist.id


async def secret_of(db: Database, track_id: int) -> str:
    async with db.read() as uow:
        policy = await uow.policies.get(track_id)
    assert policy is not None
    return policy.secret_token


def tampered(token: str) -> str:
    """`token` with one character in its middle changed: every bit of a middle base64url
    character is significant, so the decoded bytes always differ (changing the last characters
    may only touch padding bits and decode to the same bytes)."""
    i = len(token) // 2
    return token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1 :]


async def registered_app(identity: IdentityService, name: str, bffs: list[str]) -> AppInfo:
    """A new app allowed on `bffs`, as the edge sees it (what tokens are issued for)."""
    made = await identity.create_app(name, bffs)
    app = await identity.app_by_client_id(made.client_id)
    assert app is not None
    return app
