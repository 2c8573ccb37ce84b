"""The catalog as a viewer may see it: visible tracks with their policies, and the tracks and
playlists a viewer may change (hidden ones are missing, see access.require)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

from app.caching.provenance import note_valid_until
from app.foundation.playlists.records import PlaylistRecord
from app.foundation.policies.records import TrackPolicyRecord
from app.foundation.tracks.records import TrackRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer


class Loaded(NamedTuple):
    """A track the viewer may see, with its policy."""

    track: TrackRecord
    policy: TrackPolicyRecord


async def load_visible(
    uow: UnitOfWork,
    viewer: Viewer,
    records: Sequence[TrackRecord],
    now: dt.datetime,
    secret_tokens: Mapping[int, str] | None = None,
) -> list[Loaded]:
    """The records (in order) that the viewer may see, paired with their policies."""
    if not records:
        return []
    policies = {p.track_id: p for p in await uow.policies.get_many([r.id for r in records])}
    tokens = secret_tokens or {}
    loaded = []
    for r in records:
        policy = policies.get(r.id)
        if policy is None:
            continue
        # (what is built from this decision is stale once it changes: the policy says when)
        note_valid_until(access.visible_until(viewer, r.user_id, policy, now))
        if access.track_visible(viewer, r.user_id, policy, now, tokens.get(r.id)):
            loaded.append(Loaded(r, policy))
    return loaded


async def load_visible_ids(
    uow: UnitOfWork,
    viewer: Viewer,
    ids: Sequence[int],
    now: dt.datetime,
    secret_tokens: Mapping[int, str] | None = None,
    *,
    owners_follow: bool = False,
) -> list[Loaded]:
    """The tracks of `ids` (in order) that the viewer may see; missing and hidden ones left out.
    `owners_follow`: the tracks' read also finds whether each owner follows a signed-in viewer
    (what the owners' cards ask next; nothing of it is decided or shown here)."""
    following = viewer.user_id if owners_follow else None
    records = await uow.tracks.get_many(ids, following)
    return await load_visible(uow, viewer, records, now, secret_tokens)


async def visible_track(
    uow: UnitOfWork,
    viewer: Viewer,
    track_id: int,
    now: dt.datetime,
    token: str | None = None,
    *,
    owners_follow: bool = False,
) -> Loaded:
    """One track the viewer may see (with the secret-link `token`, if any); else NotFound.
    (`owners_follow`: as `load_visible_ids`.)"""
    tokens = {track_id: token} if token else None
    found = await load_visible_ids(
        uow, viewer, [track_id], now, tokens, owners_follow=owners_follow
    )
    if not found:
        raise access.not_found("track")
    return found[0]


async def editable_track(
    uow: UnitOfWork, viewer: Viewer, track_id: int, now: dt.datetime
) -> Loaded:
    """The track and its policy when the viewer may change it (access.require_track_change)."""
    track = await uow.tracks.get(track_id)
    policy = await uow.policies.get(track_id) if track is not None else None
    if track is None or policy is None:
        raise access.not_found("track")
    access.require_track_change(viewer, track.user_id, policy, now)
    return Loaded(track, policy)


async def editable_playlist(uow: UnitOfWork, viewer: Viewer, playlist_id: int) -> PlaylistRecord:
    """The playlist, locked for update, when the viewer may change it
    (access.require_playlist_change)."""
    playlist = await uow.playlists.lock(playlist_id)
    if playlist is None:
        raise access.not_found("playlist")
    access.require_playlist_change(viewer, playlist)
    return playlist


async def resolve_permalinks(
    uow: UnitOfWork, entity: Literal["track", "playlist"], user_permalink: str, permalink: str
) -> int:
    """The id of the user's track or playlist with these permalinks; NotFound when there is
    none (whether the viewer may see it is for the caller to decide, with the same NotFound)."""
    owner = await uow.users.by_permalink(user_permalink)
    repository = uow.tracks if entity == "track" else uow.playlists
    record = owner and await repository.by_permalink(owner.id, permalink)
    if not record:
        raise access.not_found(entity)
    return record.id
