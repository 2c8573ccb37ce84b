"""Counts per visibility class, kept by every command that changes what they count.

A relation to a track (a user's own track, like, repost or comment; a playlist's entry) adds to
the owner column of its counter when everyone lists the track, or when the track is the
counter's owner's own; to the `public_` column only when everyone lists it. Whether everyone
lists it is `access.counted_publicly`'s to say; a scheduled release is stored as hidden plus the
`counter_releases` deltas that its release time adds. Relations to playlists count the same way
by the playlist's sharing. A track's or playlist's change of class takes its relations out of
the counts as they were stored and puts them back as they are now.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any, NamedTuple

from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.tracks.records import TrackRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access

COLUMNS = {
    "tracks": ("tracks", "public_tracks"),
    "likes": ("likes", "public_likes"),
    "reposts": ("reposts", "public_reposts"),
    "comments": ("comments", "public_comments"),
    "playlists": ("playlists", "public_playlists"),
    "playlist_likes": ("playlist_likes", "public_playlist_likes"),
}
"""A user's relation kind -> (owner column, public column) of its counter."""
Deltas = dict[int, dict[str, int]]


class TrackClass(NamedTuple):
    """How one track's relations are counted (as stored: a release that has passed but is not
    settled yet still counts as scheduled)."""

    track_id: int
    owner_id: int
    public: bool
    public_at: dt.datetime | None
    private: bool
    duration_ms: int


async def track_class(
    uow: UnitOfWork, track: TrackRecord, policy: TrackPolicyRecord, now: dt.datetime
) -> TrackClass:
    """The track's class now, as its counts store it."""
    counted = access.counted_publicly(policy, now)
    if (
        counted.public
        and policy.release_at is not None
        and await uow.counters.has_releases(track.id)
    ):
        counted = access.Counted(False, policy.release_at)
    private = policy.sharing == "private"
    return TrackClass(
        track.id, track.user_id, counted.public, counted.public_at, private, track.duration_ms
    )


async def _add(counters: Any, deltas: Deltas) -> None:
    """Add the deltas: one entity's with `add` (creating its row if it has none yet), several
    with one `add_many` (rows that exist)."""
    if len(deltas) == 1:
        [(entity_id, changes)] = deltas.items()
        await counters.add(entity_id, **changes)
    else:
        await counters.add_many(deltas)


async def locked_class(
    uow: UnitOfWork, track: TrackRecord, now: dt.datetime, *, changing: bool = False
) -> TrackClass:
    """The track's class from its committed policy, its row locked (exclusively when
    `changing` it): a command counting a relation and one changing the class never
    interleave, so neither counts by a class the other just replaced."""
    policy = await uow.policies.locked(track.id, changing=changing)
    if policy is None:
        raise access.not_found("track")
    return await track_class(uow, track, policy, now)


def _split(
    c: TrackClass, own: bool, columns: tuple[tuple[str, str, int], ...]
) -> tuple[dict[str, int], dict[str, int]]:
    """(added now, added at the release) for a relation of the counter's owner (`own`: the
    track is theirs) counting `n` in each (owner column, public column, n)."""
    now: dict[str, int] = {}
    later: dict[str, int] = {}
    for mine, public, n in columns:
        if c.public:
            now[mine] = now.get(mine, 0) + n
            now[public] = now.get(public, 0) + n
            continue
        if own:
            now[mine] = now.get(mine, 0) + n
        if c.public_at is not None:
            later[public] = later.get(public, 0) + n
            if not own:
                later[mine] = later.get(mine, 0) + n
    return now, later


async def count_for_users(
    uow: UnitOfWork,
    c: TrackClass,
    kind: str,
    users: Mapping[int, int],
    sign: int,
    *,
    releases: bool = True,
) -> None:
    """Add (`sign` 1) or take out (-1) `users[u]` relations of `kind` to the track on each user
    `u`; `releases`: the scheduled part too (taking out a whole track drops it instead)."""
    now, later = user_deltas(c, kind, users, sign)
    await _add(uow.counters.users, now)
    if releases and c.public_at is not None:
        await uow.counters.users.schedule(c.track_id, c.public_at, later)


def user_deltas(
    c: TrackClass, kind: str, users: Mapping[int, int], sign: int
) -> tuple[Deltas, Deltas]:
    """What `count_for_users` adds to each user's counters: (now, at the track's release)."""
    mine, public = COLUMNS[kind]
    now: Deltas = {}
    later: Deltas = {}
    for user_id, n in users.items():
        a, b = _split(c, user_id == c.owner_id, ((mine, public, sign * n),))
        if kind == "tracks" and c.private:
            a["private_tracks"] = sign * n
        now[user_id], later[user_id] = a, b
    return now, later


async def count_in_playlists(
    uow: UnitOfWork,
    c: TrackClass,
    entries: Mapping[int, tuple[int, int]],
    sign: int,
    *,
    releases: bool = True,
) -> None:
    """Add or take out the track's entries on playlists: `entries[p]` = (p's owner, how many)."""
    now: Deltas = {}
    later: Deltas = {}
    for playlist_id, (owner_id, n) in entries.items():
        columns = (
            ("tracks", "public_tracks", sign * n),
            ("duration_ms", "public_duration_ms", sign * n * c.duration_ms),
        )
        now[playlist_id], later[playlist_id] = _split(c, owner_id == c.owner_id, columns)
    await _add(uow.counters.playlists, now)
    if releases and c.public_at is not None:
        await uow.counters.playlists.schedule(c.track_id, c.public_at, later)


async def _entries(uow: UnitOfWork, track_id: int) -> dict[int, tuple[int, int]]:
    held = await uow.playlists.entry_counts_of_track(track_id)
    owners = {p.id: p.user_id for p in await uow.playlists.get_many(list(held))}
    return {p: (owners[p], n) for p, n in held.items() if p in owners}


async def playlist_entries(
    uow: UnitOfWork,
    playlist: PlaylistRecord,
    track_ids: Mapping[int, int],
    sign: int,
    now: dt.datetime,
) -> None:
    """Add or take out `track_ids[t]` entries of each track on the playlist (one update),
    counted by the tracks' committed policies, locked (as `locked_class`)."""
    policies = {p.track_id: p for p in await uow.policies.locked_many(list(track_ids))}
    total: Counter[str] = Counter()
    for track in await uow.tracks.get_many(list(track_ids)):
        if track.id not in policies:
            continue
        c = await track_class(uow, track, policies[track.id], now)
        n = sign * track_ids[track.id]
        columns = (
            ("tracks", "public_tracks", n),
            ("duration_ms", "public_duration_ms", n * c.duration_ms),
        )
        added, later = _split(c, playlist.user_id == c.owner_id, columns)
        total.update(added)
        if c.public_at is not None:
            await uow.counters.playlists.schedule(c.track_id, c.public_at, {playlist.id: later})
    await _add(uow.counters.playlists, {playlist.id: dict(total)})


async def recount_track(uow: UnitOfWork, old: TrackClass, new: TrackClass | None) -> None:
    """Take the track's relations out of the counts as `old` stored them and, unless it is
    being deleted (`new` None), put them back as `new`."""
    relations = {
        "tracks": {old.owner_id: 1},
        "likes": dict.fromkeys(await uow.social.track_likes.all_users(old.track_id), 1),
        "reposts": dict.fromkeys(await uow.social.track_reposts.all_users(old.track_id), 1),
        "comments": dict(Counter(await uow.social.comment_authors(old.track_id))),
    }
    entries = await _entries(uow, old.track_id)
    for kind, users in relations.items():
        await count_for_users(uow, old, kind, users, -1, releases=False)
    await count_in_playlists(uow, old, entries, -1, releases=False)
    await uow.counters.drop_releases(old.track_id)
    if new is None:
        return
    for kind, users in relations.items():
        await count_for_users(uow, new, kind, users, 1)
    await count_in_playlists(uow, new, entries, 1)


def _playlist_split(public: bool, own: bool, kind: str, n: int) -> dict[str, int]:
    mine, shared = COLUMNS[kind]
    if public:
        return {mine: n, shared: n}
    return {mine: n} if own else {}


async def count_playlist_for_users(
    uow: UnitOfWork, playlist: PlaylistRecord, kind: str, users: Mapping[int, int], sign: int
) -> None:
    """Add or take out users' relations of `kind` (playlists, playlist_likes, reposts) to the
    playlist, counted by its sharing (access.playlist_counted_publicly)."""
    public = access.playlist_counted_publicly(playlist)
    deltas = {
        u: _playlist_split(public, u == playlist.user_id, kind, sign * n) for u, n in users.items()
    }
    await _add(uow.counters.users, deltas)


async def recount_playlist(
    uow: UnitOfWork, old: PlaylistRecord, new: PlaylistRecord | None
) -> None:
    """Take the playlist's relations out as `old` counted them and, unless it is being deleted
    (`new` None), put them back as `new` counts them."""
    relations = {
        "playlists": {old.user_id: 1},
        "playlist_likes": dict.fromkeys(await uow.social.playlist_likes.all_users(old.id), 1),
        "reposts": dict.fromkeys(await uow.social.playlist_reposts.all_users(old.id), 1),
    }
    for kind, users in relations.items():
        await count_playlist_for_users(uow, old, kind, users, -1)
        if new is not None:
            await count_playlist_for_users(uow, new, kind, users, 1)
