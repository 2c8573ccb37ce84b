"""The viewer's saved play queue, as they may see it now."""

from __future__ import annotations

from app.value_added.access import Viewer
from app.value_added.catalog import load_visible_ids
from app.value_added.common.deps import Deps
from app.value_added.common.fieldmask import FieldMask
from app.value_added.tracks.aggregates import PlayQueue
from app.value_added.tracks.loading import assemble
from app.value_added.tracks.queries.tracks import validate


class PlayQueueQueries:
    """play_queue."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def play_queue(self, viewer: Viewer, mask: FieldMask) -> PlayQueue | None:
        """The signed-in viewer's saved queue (None: none saved, or no viewer), its tracks with
        the parts `mask` asks for; tracks hidden or deleted since are left out."""
        validate(mask)
        if viewer.user_id is None:
            return None
        now = self._deps.clock()
        async with self._deps.db.read() as uow:
            saved = await uow.plays.play_queue(viewer.user_id)
            if saved is None:
                return None
            found = await load_visible_ids(uow, viewer, list(dict.fromkeys(saved.track_ids)), now)
            tracks = {t.id: t for t in await assemble(uow, viewer, found, mask, now)}
        current = saved.current_track_id if saved.current_track_id in tracks else None
        return PlayQueue(
            tracks=[tracks[t] for t in saved.track_ids if t in tracks],
            current=current,
            position_ms=saved.position_ms if current is not None else 0,
            changed_at=saved.changed_at,
            changed_by=saved.changed_by,
        )
