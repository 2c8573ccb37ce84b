"""The Creator gateway's reads: managed catalogs, the owner's full track list, insights and the
partner audit trail.

Outside the creators who granted the app (or the signed-in owner's own catalog) nothing exists:
every miss is NotFound, so a partner cannot tell an unmanaged creator or track from a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.foundation.audit.records import AuditRecord
from app.foundation.playlists.records import PlaylistRecord
from app.foundation.query import in_request_order
from app.foundation.tracks.records import TrackRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import CreatorPlaylist, CreatorTrack
from app.value_added.catalog.aggregates import MediaState, media_state
from app.value_added.common.cursor import Page
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, PermissionDenied
from app.value_added.common.paging import everything, listing
from app.value_added.creator import validation
from app.value_added.creator.aggregates import AuditEntry, InsightRow, Insights, InsightTotals

Bucket = tuple[int, dt.date, str | None]
COUNTS = ("plays", "likes", "reposts", "downloads")


async def _with_policies(uow: UnitOfWork, tracks: Sequence[TrackRecord]) -> list[CreatorTrack]:
    policies = {p.track_id: p for p in await uow.policies.get_many([t.id for t in tracks])}
    return [CreatorTrack.of(t, policies[t.id]) for t in tracks if t.id in policies]


class CatalogReads:
    """Reads of the catalogs a viewer manages (the write side is the catalog's commands)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def managed_creator_ids(self, viewer: Viewer) -> list[int]:
        """The creators who granted the viewer's app management of their catalog."""
        return sorted(viewer.managed_user_ids) if viewer.app_id is not None else []

    def require_catalog(self, viewer: Viewer, owner_id: int) -> None:
        """NotFound unless the viewer may manage `owner_id`'s catalog (no existence leak)."""
        access.require_managed_catalog(viewer, owner_id)

    async def catalog_track(self, viewer: Viewer, track_id: int) -> CreatorTrack:
        found = await self.catalog_tracks(viewer, [track_id])
        if not found:
            raise access.not_found("track")
        return found[0]

    async def catalog_tracks(self, viewer: Viewer, ids: Sequence[int]) -> list[CreatorTrack]:
        """Managed tracks by id (at most 200), in request order; others are left out."""
        validation.batch("ids", ids)
        async with self._deps.db.read() as uow:
            return await self._managed_tracks(uow, viewer, ids)

    async def media_states(self, viewer: Viewer, ids: Sequence[int]) -> dict[int, MediaState]:
        """When each managed track can be played (`none`/`processing`/`ready`/`failed`);
        tracks the viewer does not manage are left out."""
        async with self._deps.db.read() as uow:
            tracks = await uow.tracks.get_many(ids)
            managed = [t.id for t in tracks if access.can_edit_track(viewer, t.user_id)]
            stored = {m.track_id: m.status for m in await uow.media.for_tracks(managed)}
        return {i: media_state(stored.get(i)) for i in managed}

    async def catalog_tracks_by_isrc(
        self, viewer: Viewer, isrcs: Sequence[str]
    ) -> list[CreatorTrack]:
        """Managed tracks by ISRC (at most 200 codes), in the order of the codes asked for.

        An ISRC may be shared by several tracks (re-releases): all managed ones are returned,
        oldest first within one code.
        """
        codes = validation.isrc_codes(isrcs)
        async with self._deps.db.read() as uow:
            records = sorted(await uow.tracks.by_isrc(codes), key=lambda t: t.id)
            found = await self._managed_tracks(uow, viewer, [t.id for t in records])
        by_code: dict[str, list[CreatorTrack]] = {}
        for track in found:
            by_code.setdefault(track.isrc or "", []).append(track)
        return [track for code in dict.fromkeys(codes) for track in by_code.get(code, [])]

    async def catalog_playlists(
        self,
        viewer: Viewer,
        owner_id: int,
        set_type: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[CreatorPlaylist]:
        """The creator's playlists (or only one set_type, e.g. albums), newest first."""
        access.require_managed_catalog(viewer, owner_id)
        kind = validation.set_type(set_type)

        async def finish(_: UnitOfWork, found: list[PlaylistRecord]) -> list[CreatorPlaylist]:
            return [CreatorPlaylist.of(p) for p in found]

        return await listing(
            self._deps,
            f"creator.playlists:{owner_id}:{kind or ''}",
            cursor,
            limit,
            lambda uow, k, n: uow.playlists.by_user(owner_id, k, n, kind),
            everything,
            finish,
        )

    async def catalog_playlist(self, viewer: Viewer, playlist_id: int) -> CreatorPlaylist:
        async with self._deps.db.read() as uow:
            playlist = await uow.playlists.get(playlist_id)
        if playlist is None or not access.can_edit_playlist(viewer, playlist):
            raise access.not_found("playlist")
        return CreatorPlaylist.of(playlist)

    async def my_tracks(
        self, viewer: Viewer, owner_id: int, cursor: str | None = None, limit: int | None = None
    ) -> Page[CreatorTrack]:
        """All of the owner's tracks, newest first, private/unreleased/taken-down included."""
        access.require_acting_for(viewer, owner_id)
        return await listing(
            self._deps,
            f"creator.my_tracks:{owner_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.tracks.by_user([owner_id], k, n),
            everything,
            _with_policies,
        )

    @staticmethod
    async def _managed_tracks(
        uow: UnitOfWork, viewer: Viewer, ids: Sequence[int]
    ) -> list[CreatorTrack]:
        tracks = await uow.tracks.get_many(ids)
        managed = [t for t in tracks if access.can_edit_track(viewer, t.user_id)]
        return in_request_order(await _with_policies(uow, managed), ids)


class CreatorInsights:
    """Read-only statistics of a creator's own tracks."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def insights(
        self,
        viewer: Viewer,
        owner_id: int,
        start: dt.date,
        end: dt.date,
        track_ids: Sequence[int] | None = None,
    ) -> Insights:
        """Per track, day and territory counts over [start, end] (inclusive, UTC days)."""
        access.require_acting_for(viewer, owner_id)
        since, until = validation.day_range(start, end)
        buckets: dict[Bucket, dict[str, int]] = {}

        def add(bucket: Bucket, kind: str, count: int) -> None:
            buckets.setdefault(bucket, dict.fromkeys(COUNTS, 0))[kind] += count

        async with self._deps.db.read() as uow:
            if track_ids is None:
                ids = await uow.tracks.ids_by_user(owner_id)
            else:
                found = await uow.tracks.get_many(list(track_ids))
                if len(found) != len(set(track_ids)) or any(t.user_id != owner_id for t in found):
                    raise NotFound("track not found", field="track_ids")
                ids = [t.id for t in found]
            for row in await uow.plays.daily_plays(ids, since, until):
                add((row.track_id, row.day, row.territory), "plays", row.count)
            for row in await uow.plays.daily_downloads(ids, since, until):
                add((row.track_id, row.day, row.territory), "downloads", row.count)
            for edge in await uow.social.track_likes.daily_counts(ids, since, until):
                add((edge.target_id, edge.day, None), "likes", edge.count)
            for edge in await uow.social.track_reposts.daily_counts(ids, since, until):
                add((edge.target_id, edge.day, None), "reposts", edge.count)
        rows = [
            InsightRow(track_id, day, territory, **buckets[(track_id, day, territory)])
            for track_id, day, territory in sorted(buckets, key=_sort_key)
        ]
        totals = InsightTotals(**{k: sum(getattr(r, k) for r in rows) for k in COUNTS})
        return Insights(owner_id=owner_id, start=start, end=end, rows=rows, totals=totals)


def _sort_key(bucket: Bucket) -> tuple[int, dt.date, str]:
    track_id, day, territory = bucket
    return track_id, day, territory or ""


class AuditTrail:
    """Reading the partner audit trail (the catalog commands write it): an app sees only the
    entries of its own writes."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def audit_trail(
        self,
        viewer: Viewer,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> Page[AuditEntry]:
        """The viewer's app's entries with since <= created_at < until, newest first."""
        if viewer.app_id is None:
            raise PermissionDenied("only an app has an audit trail", reason="app_required")
        validation.time_range(since, until)
        app_id = viewer.app_id

        async def finish(_: UnitOfWork, found: list[AuditRecord]) -> list[AuditEntry]:
            return [AuditEntry.of(r) for r in found]

        return await listing(
            self._deps,
            f"creator.audit:{app_id}",
            cursor,
            limit,
            lambda uow, k, n: uow.audit.by_app(app_id, since, until, k, n),
            everything,
            finish,
        )
