"""Creator playlist commands: create, edit and delete playlists and albums (no track entries)."""

from __future__ import annotations

from collections import Counter

from app.value_added.access import Viewer
from app.value_added.common.deps import Deps
from app.value_added.common.text import new_secret_token
from app.value_added.creator import audit as trail
from app.value_added.creator.aggregates import CreatorPlaylist
from app.value_added.creator.audit import AuditContext
from app.value_added.creator.guards import (
    editable_playlist,
    free_permalink,
    permalink_base,
    require_actor,
    require_owner_exists,
)
from app.value_added.creator.requests import PlaylistChanges, PlaylistDraft
from app.value_added.creator.validation import PLAYLIST_RULES, checked


class CreatorPlaylistCommands:
    """Playlists and albums for creators and partner apps; entries are the Playlists VAS's job."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def create_playlist(
        self,
        viewer: Viewer,
        owner_id: int,
        draft: PlaylistDraft,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorPlaylist:
        """Create an empty playlist (or album) with its counters, counted on the owner."""
        require_actor(viewer, owner_id)
        values = checked(draft, PLAYLIST_RULES)
        async with self._deps.db.write() as uow:
            await require_owner_exists(uow, owner_id)
            base = permalink_base(values["title"])
            taken = await uow.playlists.permalinks_with_prefix(owner_id, base)
            values["permalink"] = free_permalink(base, taken)
            playlist = await uow.playlists.create(owner_id, new_secret_token(), values)
            await uow.counters.playlists.ensure(playlist.id)
            await uow.counters.users.add(owner_id, playlists=1)
            result = CreatorPlaylist.of(playlist)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=owner_id,
                kind=trail.PLAYLIST,
                entity_id=playlist.id,
                action="create",
                old=None,
                new=result,
            )
        return result

    async def update_playlist(
        self,
        viewer: Viewer,
        playlist_id: int,
        changes: PlaylistChanges,
        *,
        audit: AuditContext | None = None,
    ) -> CreatorPlaylist:
        """Change a playlist's metadata; UNSET fields stay as they are."""
        values = checked(changes, PLAYLIST_RULES)
        async with self._deps.db.write() as uow:
            playlist = await editable_playlist(uow, viewer, playlist_id)
            before = CreatorPlaylist.of(playlist)
            if values:
                updated = await uow.playlists.update(playlist_id, values)
                assert updated is not None
                playlist = updated
            result = CreatorPlaylist.of(playlist)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=playlist.user_id,
                kind=trail.PLAYLIST,
                entity_id=playlist_id,
                action="update",
                old=before,
                new=result,
            )
        return result

    async def regenerate_playlist_secret_token(self, viewer: Viewer, playlist_id: int) -> str:
        """Replace the playlist's secret-link token."""
        token = new_secret_token()
        async with self._deps.db.write() as uow:
            await editable_playlist(uow, viewer, playlist_id)
            await uow.playlists.update(playlist_id, {"secret_token": token})
        return token

    async def delete_playlist(
        self, viewer: Viewer, playlist_id: int, *, audit: AuditContext | None = None
    ) -> None:
        """Delete the playlist; its entries, likes and reposts cascade, counters follow."""
        async with self._deps.db.write() as uow:
            playlist = await editable_playlist(uow, viewer, playlist_id)
            await trail.record(
                uow,
                viewer,
                audit,
                creator_id=playlist.user_id,
                kind=trail.PLAYLIST,
                entity_id=playlist_id,
                action="delete",
                old=CreatorPlaylist.of(playlist),
                new=None,
            )
            users: dict[int, Counter[str]] = {}
            for kind, ids in (
                ("playlist_likes", await uow.social.playlist_likes.all_users(playlist_id)),
                ("reposts", await uow.social.playlist_reposts.all_users(playlist_id)),
            ):
                for user_id in ids:
                    users.setdefault(user_id, Counter())[kind] -= 1
            users.setdefault(playlist.user_id, Counter())["playlists"] -= 1
            await uow.counters.users.add_many(users)
            await uow.playlists.delete(playlist_id)
