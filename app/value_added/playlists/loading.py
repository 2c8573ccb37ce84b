"""Load playlists visible to a viewer and assemble aggregates per field mask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.foundation.counters.records import as_of
from app.foundation.playlists.records import PlaylistRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists.aggregates import (
    METADATA_FIELDS,
    Playlist,
    PlaylistPolicy,
    PlaylistStats,
    PlaylistViewerState,
)
from app.value_added.tracks import TracksService


def visible(
    viewer: Viewer,
    records: Sequence[PlaylistRecord],
    secret_tokens: Mapping[int, str] | None = None,
) -> list[PlaylistRecord]:
    tokens = secret_tokens or {}
    return [p for p in records if access.playlist_visible(viewer, p, tokens.get(p.id))]


class PlaylistAssembler:
    """Builds Playlist aggregates; tracks come from the Tracks VAS, filtered for the viewer."""

    def __init__(self, tracks: TracksService) -> None:
        self._tracks = tracks

    async def assemble(
        self,
        uow: UnitOfWork,
        viewer: Viewer,
        records: Sequence[PlaylistRecord],
        mask: FieldMask,
        now: dt.datetime,
    ) -> list[Playlist]:
        if not records:
            return []
        ids = [p.id for p in records]
        wants_tracks = mask.wants("tracks") or mask.wants("track_ids")
        entries: dict[int, list[int]] = {}
        if wants_tracks:
            for e in await uow.playlists.entries_of(ids):
                entries.setdefault(e.playlist_id, []).append(e.track_id)
        stats = {}
        if mask.wants("stats"):
            owners = {p.id: p.user_id for p in records}
            for c in await uow.counters.playlist_counts(ids):
                c = as_of(c, now)
                if access.sees_owner_counts(viewer, owners[c.playlist_id]):
                    tracks, duration = c.tracks, c.duration_ms
                else:
                    tracks, duration = c.public_tracks, c.public_duration_ms
                stats[c.playlist_id] = PlaylistStats(c.likes, c.reposts, tracks, duration)
        state: dict[int, PlaylistViewerState] = {}
        if mask.wants("viewer") and viewer.user_id is not None:
            social = uow.social
            edges = (social.playlist_likes, social.playlist_reposts)
            await social.load_target_sets(viewer.user_id, edges)  # (one statement for both)
            liked = await uow.social.playlist_likes.which(viewer.user_id, ids)
            reposted = await uow.social.playlist_reposts.which(viewer.user_id, ids)
            state = {i: PlaylistViewerState(i in liked, i in reposted) for i in ids}
        visible_ids: set[int] = set()
        tracks_by_id: dict[int, Any] = {}
        if wants_tracks:
            all_ids = [t for p in records for t in entries.get(p.id, [])]
            if mask.wants("tracks"):
                found = await self._tracks.get_many(viewer, all_ids, mask.sub("tracks"))
                tracks_by_id = {t.id: t for t in found}
                visible_ids = set(tracks_by_id)
            else:
                visible_ids = set(await self._tracks.visible_ids(viewer, all_ids))
        wanted = [f for f in METADATA_FIELDS if mask.wants(f)]
        result = []
        for p in records:
            parts: dict[str, Any] = {f: getattr(p, f) for f in wanted}
            if mask.wants("policy"):
                editable = access.can_edit_playlist(viewer, p)
                parts["policy"] = PlaylistPolicy(
                    sharing=p.sharing,
                    can_edit=editable,
                    secret_token=p.secret_token if editable else None,
                )
            if mask.wants("stats"):
                parts["stats"] = stats[p.id]
            if mask.wants("viewer"):
                parts["viewer"] = state.get(p.id, PlaylistViewerState(False, False))
            if wants_tracks:
                kept = [t for t in entries.get(p.id, []) if t in visible_ids]
                if mask.wants("track_ids"):
                    parts["track_ids"] = kept
                if mask.wants("tracks"):
                    parts["tracks"] = [tracks_by_id[t] for t in kept]
            result.append(Playlist(id=p.id, user_id=p.user_id, **parts))
        return result
