"""The catalogue as music players browse it: random samples, genres, artists, most-played lists,
and when the viewer liked which tracks.

The foundation narrows candidates to the public catalogue (plus the viewer's own tracks) in SQL;
every track returned here still passes the access policy (load_visible*).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.foundation.catalog.records import CatalogArtist
from app.foundation.query import Key, Page
from app.foundation.tracks.records import TrackSearch
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.access import Viewer
from app.value_added.catalog import load_visible, load_visible_ids
from app.value_added.common.cursor import Page as VasPage
from app.value_added.common.deps import Deps
from app.value_added.common.fieldmask import FieldMask
from app.value_added.common.paging import listing
from app.value_added.tracks.aggregates import Genre, Track
from app.value_added.tracks.loading import assemble
from app.value_added.tracks.queries.tracks import validate
from app.value_added.tracks.requests import TrackQuery
from app.value_added.tracks.validation import MAX_SAMPLE, release_year, sample_size


class CatalogueQueries:
    """random, genres, artist_ids, artists_among, most_played_of, most_played_by."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def random(
        self, viewer: Viewer, mask: FieldMask, size: int, query: TrackQuery | None = None
    ) -> list[Track]:
        """Up to `size` (1-500) random tracks the viewer may see, optionally filtered by
        genre and release year."""
        validate(mask)
        sample_size("size", size)
        q = query or TrackQuery()
        filters = TrackSearch(
            genres=q.genres,
            year_from=release_year("year_from", q.year_from),
            year_to=release_year("year_to", q.year_to),
        )
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            records = await uow.catalog.sample(now, viewer.user_id, size, filters)
            found = await load_visible(uow, viewer, records, now)
            return await assemble(uow, viewer, found, mask, now)

    async def genres(self, viewer: Viewer) -> list[Genre]:
        """Genres of the tracks the viewer may see (the public catalogue and their own), with
        how many tracks each has, most first."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            counts = await uow.catalog.genres(now, viewer.user_id)
        return [Genre(c.genre, c.tracks) for c in counts]

    async def artist_ids(
        self, viewer: Viewer, cursor: str | None, limit: int | None
    ) -> VasPage[int]:
        """Ids of the users owning at least one track the viewer may see, by username."""
        now = self._deps.clock()

        async def fetch(uow: UnitOfWork, key: Key | None, n: int) -> Page[CatalogArtist]:
            return await uow.catalog.artists(now, viewer.user_id, key, n)

        async def keep(uow: UnitOfWork, found: list[CatalogArtist]) -> list[int]:
            visible = await _visible_of(uow, viewer, [a.track_id for a in found], now)
            return [a.id for a in found if a.track_id in visible]

        return await listing(self._deps, "tracks:artists", cursor, limit, fetch, keep, _ids)

    async def artists_among(self, viewer: Viewer, user_ids: Sequence[int]) -> list[int]:
        """Of `user_ids` (in order), those owning at least one track the viewer may see."""
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            newest = await uow.catalog.owners(user_ids, now, viewer.user_id)
            visible = await _visible_of(uow, viewer, list(newest.values()), now)
        return [u for u in dict.fromkeys(user_ids) if newest.get(u) in visible]

    async def most_played_of(
        self, viewer: Viewer, user_id: int, mask: FieldMask, limit: int
    ) -> list[Track]:
        """The user's tracks the viewer may see, by all-time plays (an artist's top songs)."""
        validate(mask)
        sample_size("count", limit)
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            records = await uow.catalog.most_played_of(user_id, MAX_SAMPLE)
            found = (await load_visible(uow, viewer, records, now))[:limit]
            return await assemble(uow, viewer, found, mask, now)

    async def most_played_by(self, viewer: Viewer, mask: FieldMask, limit: int) -> list[Track]:
        """The tracks the viewer played most (that they may still see), most first."""
        validate(mask)
        sample_size("size", limit)
        if viewer.user_id is None:
            return []
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            counted = await uow.plays.most_played_by(viewer.user_id, MAX_SAMPLE)
            found = await load_visible_ids(uow, viewer, [t for t, _ in counted], now)
            return await assemble(uow, viewer, found[:limit], mask, now)


async def _visible_of(
    uow: UnitOfWork, viewer: Viewer, ids: Sequence[int], now: dt.datetime
) -> set[int]:
    return {item.track.id for item in await load_visible_ids(uow, viewer, ids, now)}


async def _ids(_uow: UnitOfWork, ids: list[int]) -> list[int]:
    return ids
