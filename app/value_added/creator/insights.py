"""Creator insights: plays, likes, reposts and downloads per track, UTC day and territory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, NotFound
from app.value_added.creator.aggregates import InsightRow, Insights, InsightTotals
from app.value_added.creator.guards import TRACK_NOT_FOUND, require_actor

MAX_DAYS = 366
Bucket = tuple[int, dt.date, str | None]
COUNTS = ("plays", "likes", "reposts", "downloads")


def _check_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in UTC, or InvalidArgument for a reversed or long range."""
    if end < start:
        raise InvalidArgument(
            f"end ({end}) must not be before start ({start})", reason="invalid_range", field="end"
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidArgument(
            f"the range may span at most {MAX_DAYS} days", reason="range_too_long", field="end"
        )
    first = dt.datetime.combine(start, dt.time(), dt.UTC)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)


def _sort_key(bucket: Bucket) -> tuple[int, dt.date, str]:
    track_id, day, territory = bucket
    return track_id, day, territory or ""


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
        require_actor(viewer, owner_id)
        since, until = _check_range(start, end)
        buckets: dict[Bucket, dict[str, int]] = {}

        def add(bucket: Bucket, kind: str, count: int) -> None:
            buckets.setdefault(bucket, dict.fromkeys(COUNTS, 0))[kind] += count

        async with self._deps.db.read() as uow:
            if track_ids is None:
                ids = await uow.tracks.ids_by_user(owner_id)
            else:
                found = await uow.tracks.get_many(list(track_ids))
                if len(found) != len(set(track_ids)) or any(t.user_id != owner_id for t in found):
                    raise NotFound(TRACK_NOT_FOUND, field="track_ids")
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
