"""Playlists VAS commands of listeners: like and repost (the catalog's commands do the rest)."""

from __future__ import annotations

from app.foundation.db import MissingReference
from app.foundation.row_locks import RowLocks
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import count_playlist_for_users
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unauthenticated
from app.value_added.tracks import Engagement


class PlaylistEngagement:
    """Like/unlike and repost/unrepost; counters change in the same transaction as the edge."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def like(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "likes", True)

    async def unlike(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "likes", False)

    async def repost(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "reposts", True)

    async def unrepost(self, viewer: Viewer, playlist_id: int) -> Engagement:
        return await self._toggle(viewer, playlist_id, "reposts", False)

    async def _toggle(self, viewer: Viewer, playlist_id: int, kind: str, on: bool) -> Engagement:
        if viewer.user_id is None:
            raise Unauthenticated("this action needs a signed-in user", reason="user_required")
        user_id = viewer.user_id

        async def command(uow: UnitOfWork) -> Engagement:
            # locked (shared): a deletion or a change of sharing, which recount the likes,
            # never interleaves with this one
            record = await uow.playlists.lock(playlist_id, shared=True)
            if record is None or not access.playlist_visible(viewer, record):
                raise access.not_found("playlist")
            social = uow.social
            edges = social.playlist_likes if kind == "likes" else social.playlist_reposts
            if await (edges.add if on else edges.remove)(user_id, playlist_id):
                delta = 1 if on else -1
                await uow.counters.playlists.add(playlist_id, **{kind: delta})
                user_kind = "playlist_likes" if kind == "likes" else "reposts"
                await count_playlist_for_users(uow, record, user_kind, {user_id: 1}, delta)
            counts = (await uow.counters.playlist_counts([playlist_id]))[0]
            return Engagement(active=on, count=getattr(counts, kind))

        # small and high-volume: may share its transaction with concurrent ones (group commit)
        rows = RowLocks(playlist_counts=(playlist_id,), user_counts=(user_id,))
        try:
            return await self._deps.db.write_grouped(command, locks=rows)
        except MissingReference:  # (deleted after the check: gone all the same)
            raise access.not_found("playlist") from None
