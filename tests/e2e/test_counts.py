"""Counts over HTTP equal what each caller lists, on the public, web and mobile BFFs, while
tracks are hidden, taken down and deleted with every response cached before each change."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from app.foundation.db import utcnow
from app.main import build_context
from app.value_added.access import Viewer
from app.value_added.catalog import PlaylistDraft, TrackChanges, TrackDraft
from app.value_added.common.fieldmask import FieldMask
from tests.e2e.conftest import Harness, settings_for
from tests.factories import make_user

STATS = FieldMask.parse("stats")


def _items(body: Any) -> list[Any]:
    return body["collection"] if isinstance(body, dict) else body


class Callers:
    def __init__(self, h: Harness, owner: int) -> None:
        self.h = h
        self.owner = owner
        self.headers: dict[str, dict[str, str]] = {}
        self.web_client_id = ""

    async def get(self, path: str, who: str) -> Any:
        r = await self.h.client.get(path, headers=self.headers[who])
        assert r.status_code == 200, (path, who, r.status_code, r.text[:300])
        return r.json()

    async def public(self, who: str) -> tuple[int, int, int, int]:
        """(track_count, tracks listed, a playlist's track_count, its tracks listed)."""
        urn = f"soundcloud:users:{self.owner}"
        profile = await self.get(f"/public/users/{urn}", who)
        listed = _items(await self.get(f"/public/users/{urn}/tracks?limit=200", who))
        lists = _items(await self.get(f"/public/users/{urn}/playlists?limit=200", who))
        assert profile["playlist_count"] == len(lists)
        playlist = lists[0]
        shown = await self.get(f"/public/playlists/soundcloud:playlists:{playlist['id']}", who)
        return profile["track_count"], len(listed), shown["track_count"], len(shown["tracks"])

    async def web(self, who: str) -> tuple[int, int]:
        q = f"client_id={self.web_client_id}"
        profile = await self.get(f"/web/users/{self.owner}?{q}", who)
        listed = _items(await self.get(f"/web/users/{self.owner}/tracks?{q}&limit=200", who))
        return profile["track_count"], len(listed)

    async def mobile(self, who: str) -> tuple[int, int]:
        profile = await self.get(f"/mobile/users/{self.owner}", who)
        listed = _items(await self.get(f"/mobile/users/{self.owner}/tracks?limit=200", who))
        return profile["counts"]["tracks"], len(listed)


async def _callers(h: Harness) -> tuple[Callers, dict[str, int]]:
    public, _ = await h.new_app("counts-public", ("public",))
    mobile, _ = await h.new_app("counts-mobile", ("mobile",))
    web, _ = await h.new_app("counts-web", ("web",))
    owner, stranger = await h.new_user("owner"), await h.new_user("stranger")
    c = Callers(h, owner)
    c.web_client_id = web.client_id
    c.headers = {
        "app": {"Authorization": f"OAuth {await h.app_token(public)}"},
        "owner": {"Authorization": f"OAuth {await h.user_token(public, owner)}"},
        "stranger": {"Authorization": f"OAuth {await h.user_token(public, stranger)}"},
        "mobile-owner": {"Authorization": f"OAuth {await h.user_token(mobile, owner)}"},
        "mobile-stranger": {"Authorization": f"OAuth {await h.user_token(mobile, stranger)}"},
        "web-anonymous": {},
        "web-owner": {"Authorization": f"OAuth {await h.user_token(web, owner)}"},
    }
    me = Viewer(user_id=owner, app_id=None, territory="DE", plan="free")
    creator = h.services.creator
    ids: dict[str, int] = {}
    for name, policy in (
        ("a", {}),
        ("b", {}),
        ("c", {}),
        ("private", {"sharing": "private"}),
        ("scheduled", {"release_at": utcnow() + dt.timedelta(days=1)}),
    ):
        ids[name] = (await creator.create_track(me, owner, TrackDraft(title=name, **policy))).id
    await creator.create_playlist(
        me, owner, PlaylistDraft(title="all", track_ids=tuple(ids.values()))
    )
    return c, ids


async def _agree(c: Callers) -> dict[str, int]:
    """Every caller's counts equal its lists (asked twice: the second answer is cached)."""
    seen: dict[str, int] = {}
    for _ in range(2):
        for who in ("app", "owner", "stranger"):
            count, listed, in_playlist, playlist_listed = await c.public(who)
            assert (count, in_playlist) == (listed, playlist_listed), who
            seen[who] = count
        for who, kind in (
            ("web-anonymous", "web"),
            ("mobile-owner", "m"),
            ("mobile-stranger", "m"),
        ):
            count, listed = await (c.web(who) if kind == "web" else c.mobile(who))
            assert count == listed, who
            seen[who] = count
    return seen


async def test_counts_follow_hiding_takedown_and_deletion_through_the_caches(
    harness: Harness,
) -> None:
    h = harness
    c, ids = await _callers(h)
    me = Viewer(user_id=c.owner, app_id=None, territory="DE", plan="free")
    first = await _agree(c)
    assert first["app"] == first["stranger"] == first["web-anonymous"] == 3
    assert first["owner"] == first["mobile-owner"] == 5
    own = await c.get("/public/me", "owner")
    assert own["private_tracks_count"] == 1 and own["private_playlists_count"] == 0
    web_me = await c.get(f"/web/me?client_id={c.web_client_id}", "web-owner")
    assert web_me["track_count"] == 5 and web_me["private_tracks_count"] == 1
    web_other = await c.get(f"/web/users/{c.owner}?client_id={c.web_client_id}", "web-anonymous")
    assert "private_tracks_count" not in web_other

    await h.services.creator.update_track(me, ids["a"], TrackChanges(sharing="private"))
    assert (await _agree(c))["stranger"] == 2
    assert (await c.get("/public/me", "owner"))["private_tracks_count"] == 2

    await h.services.creator.take_down_track(ids["b"], "copyright claim")
    taken = await _agree(c)
    assert taken["app"] == taken["mobile-stranger"] == 1 and taken["owner"] == 5

    await h.services.creator.delete_track(me, ids["c"])
    gone = await _agree(c)
    assert gone["web-anonymous"] == 0 and gone["mobile-owner"] == 4


async def test_a_takedown_in_one_process_refreshes_the_counts_the_other_cached(
    sqlite_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    settings = settings_for(sqlite_url, tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)
    a, b = build_context(settings), build_context(settings)
    await a.start()
    await b.start()
    try:
        assert a.records and b.records
        await asyncio.wait_for(b.records.subscribed.wait(), 5)
        db = a.services.deps.db
        owner, stranger = await make_user(db), await make_user(db)
        me = Viewer(user_id=owner, app_id=None, territory="DE", plan="free")
        track = (await a.services.creator.create_track(me, owner, TrackDraft(title="t"))).id
        other = Viewer(user_id=stranger, app_id=None, territory="DE", plan="free")
        cached = await b.services.users.get(other, owner, STATS)
        assert cached.stats.tracks == 1  # type: ignore[union-attr]
        await a.services.creator.take_down_track(track, "claim")
        for _ in range(100):
            seen = await b.services.users.get(other, owner, STATS)
            if seen.stats.tracks == 0:  # type: ignore[union-attr]
                break
            await asyncio.sleep(0.05)
        assert seen.stats.tracks == 0  # type: ignore[union-attr]
        mine = await b.services.users.get(me, owner, STATS)
        assert mine.stats.tracks == 1  # type: ignore[union-attr]
    finally:
        await a.close()
        await b.close()
