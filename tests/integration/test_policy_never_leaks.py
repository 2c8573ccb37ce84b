"""Property: no VAS query returns a track or playlist the policy hides; commands on hidden
tracks fail exactly like commands on missing ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.foundation.db import utcnow
from app.foundation.tables import metadata
from app.foundation.users.records import NewUser
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound, ServiceError
from app.value_added.common.fieldmask import FieldMask
from app.value_added.registry import Services, build_services
from app.value_added.tracks import TrackQuery

ALL = FieldMask.all()
NOW = utcnow()
USERS = 4

track_policy = st.fixed_dictionaries(
    {
        "owner": st.integers(0, USERS - 1),
        "sharing": st.sampled_from(["public", "private"]),
        "release_in_days": st.sampled_from([None, -1, 2]),
        "territories": st.sampled_from([None, ["DE"], ["US", "FR"], []]),
        "monetization": st.sampled_from(["none", "premium"]),
        "taken_down": st.booleans(),
        "streamable": st.booleans(),
    }
)
catalog = st.fixed_dictionaries(
    {
        "tracks": st.lists(track_policy, min_size=1, max_size=8),
        "likes": st.lists(st.tuples(st.integers(0, USERS - 1), st.integers(0, 7)), max_size=10),
        "follows": st.lists(
            st.tuples(st.integers(0, USERS - 1), st.integers(0, USERS - 1)), max_size=6
        ),
        "playlists": st.lists(
            st.tuples(
                st.integers(0, USERS - 1),
                st.sampled_from(["public", "private"]),
                st.lists(st.integers(0, 7), max_size=5),
            ),
            max_size=3,
        ),
        "viewer": st.fixed_dictionaries(
            {
                "user": st.sampled_from([None, 0, 1, 2, 3]),
                "territory": st.sampled_from([None, "DE", "US"]),
                "plan": st.sampled_from(["free", "premium"]),
                "manages": st.sampled_from([frozenset(), frozenset({0})]),
            }
        ),
    }
)


async def _reset(services: Services) -> None:
    async with services.deps.db.write() as uow:
        for table in reversed(metadata.sorted_tables):
            await uow.connection.execute(table.delete())


async def _build(
    services: Services, data: dict[str, Any]
) -> tuple[list[int], list[int], list[int]]:
    users: list[int] = []
    tracks: list[int] = []
    playlists: list[int] = []
    now = NOW
    async with services.deps.db.write() as uow:
        for i in range(USERS):
            u = await uow.users.create(NewUser(username=f"u{i}", permalink=f"u{i}", country="DE"))
            users.append(u.id)
        for i, t in enumerate(data["tracks"]):
            rec = await uow.tracks.create(
                users[t["owner"]], {"title": f"Song {i}", "permalink": f"song-{i}", "genre": "x"}
            )
            days = t["release_in_days"]
            await uow.policies.create(
                rec.id,
                f"s-tok{i}",
                {
                    "sharing": t["sharing"],
                    "release_at": None if days is None else now + dt.timedelta(days=days),
                    "territories": t["territories"],
                    "monetization": t["monetization"],
                    "taken_down_at": now if t["taken_down"] else None,
                    "streamable": t["streamable"],
                },
            )
            tracks.append(rec.id)
        for u, t in data["likes"]:
            if t < len(tracks):
                await uow.social.track_likes.add(users[u], tracks[t])
                await uow.social.track_reposts.add(users[u], tracks[t])
                await uow.social.add_comment(tracks[t], users[u], "c", None)
        for a, b in data["follows"]:
            await uow.social.follows.add(users[a], users[b])
        for i, (owner, sharing, entries) in enumerate(data["playlists"]):
            p = await uow.playlists.create(
                users[owner],
                f"s-pl{i}",
                {"title": f"P{i}", "permalink": f"p{i}", "sharing": sharing},
            )
            await uow.playlists.append(
                p.id, [tracks[e] for e in entries if e < len(tracks)], after=0
            )
            playlists.append(p.id)
    return users, tracks, playlists


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=catalog)
async def test_no_query_leaks_and_hidden_equals_missing(
    sqlite_url: str, data: dict[str, Any]
) -> None:
    services = build_services(sqlite_url, "test-secret-key-0123456789", clock=lambda: NOW)
    try:
        await _reset(services)
        users, tracks, playlists = await _build(services, data)
        v = data["viewer"]
        viewer = Viewer(
            user_id=None if v["user"] is None else users[v["user"]],
            app_id=1 if v["manages"] else None,
            territory=v["territory"],
            plan=v["plan"],
            managed_user_ids=frozenset(users[i] for i in v["manages"]),
        )
        async with services.deps.db.read() as uow:
            records = await uow.tracks.get_many(tracks)
            policies = {p.track_id: p for p in await uow.policies.get_many(tracks)}
            plist = await uow.playlists.get_many(playlists)
        allowed = {
            r.id for r in records if access.track_visible(viewer, r.user_id, policies[r.id], NOW)
        }
        allowed_playlists = {p.id for p in plist if access.playlist_visible(viewer, p)}
        returned: set[int] = set()
        returned_playlists: set[int] = set()
        t = services.tracks
        for track_id in tracks:
            try:
                returned.add((await t.get(viewer, track_id, ALL)).id)
            except NotFound:
                assert track_id not in allowed
        returned |= {x.id for x in await t.get_many(viewer, tracks, ALL)}
        for i in range(len(tracks)):
            try:
                returned.add(
                    (await t.resolve(viewer, f"u{data['tracks'][i]['owner']}", f"song-{i}", ALL)).id
                )
            except NotFound:
                assert tracks[i] not in allowed
        returned |= {
            x.id
            for x in (
                await t.search(
                    viewer,
                    TrackQuery(text="song", access=frozenset({"playable", "preview", "blocked"})),
                    ALL,
                    None,
                    200,
                )
            ).items
        }
        for u in users:
            returned |= {x.id for x in (await t.by_user(viewer, u, ALL, None, 200)).items}
            returned |= {x.id for x in (await t.liked_by(viewer, u, ALL, None, 200)).items}
            returned |= {x.id for x in (await t.reposted_by(viewer, u, ALL, None, 200)).items}
            comments = await t.comments_by_user(viewer, u, None, 200)
            returned |= {c.track_id for c in comments.items}
            for p in (await services.playlists.by_user(viewer, u, ALL, None, 200)).items:
                returned_playlists.add(p.id)
                returned |= set(p.track_ids or [])  # type: ignore[arg-type]
                returned |= {x.id for x in p.tracks or []}  # type: ignore[union-attr]
        returned |= {x.id for x in (await t.feed(viewer, ALL, None, 200)).items}
        for track_id in tracks:
            for listing in (t.likers, t.reposters, t.comments):
                try:
                    await listing(viewer, track_id, None, 200)
                    returned.add(track_id)
                except NotFound:
                    pass
        for pid in playlists:
            try:
                p = await services.playlists.get(viewer, pid, ALL)
                returned_playlists.add(p.id)
                returned |= {x.id for x in p.tracks or []}  # type: ignore[union-attr]
            except NotFound:
                pass
        assert returned <= allowed, f"leaked {returned - allowed}"
        assert returned_playlists <= allowed_playlists
        hidden = [x for x in tracks if x not in allowed]
        for track_id in hidden:
            for command in (t.like, t.repost, t.record_play, t.download):
                with pytest.raises(ServiceError) as on_hidden:
                    await command(viewer, track_id)
                with pytest.raises(ServiceError) as on_missing:
                    await command(viewer, 10_000_000)
                assert type(on_hidden.value) is type(on_missing.value)
                assert on_hidden.value.message == on_missing.value.message
    finally:
        await services.close()
