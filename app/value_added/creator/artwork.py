"""Artwork commands: track and playlist artwork and user avatars (validated and re-encoded)."""

from __future__ import annotations

from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound
from app.value_added.creator.aggregates import CreatorPlaylist, CreatorTrack
from app.value_added.creator.guards import editable_playlist, editable_track, require_actor
from app.value_added.creator.upload import CreatorUploads


class CreatorArtwork(CreatorUploads):
    """Images are stored first; the entity then points at them; the old image is removed."""

    async def set_track_artwork(self, viewer: Viewer, track_id: int, image: bytes) -> CreatorTrack:
        media = self.media()
        async with self._deps.db.read() as uow:  # check before the (CPU-bound) image work
            await editable_track(uow, viewer, track_id, self._deps.clock())
        key = await media.store_artwork(image)
        try:
            async with self._deps.db.write() as uow:
                old, _ = await editable_track(uow, viewer, track_id, self._deps.clock())
                track = await uow.tracks.update(track_id, {"artwork_key": key})
                policy = await uow.policies.get(track_id)
                assert track is not None and policy is not None
        except BaseException:
            await media.delete_artwork(key)
            raise
        await media.delete_artwork(old.artwork_key)
        return CreatorTrack.of(track, policy)

    async def set_playlist_artwork(
        self, viewer: Viewer, playlist_id: int, image: bytes
    ) -> CreatorPlaylist:
        media = self.media()
        async with self._deps.db.write() as uow:
            await editable_playlist(uow, viewer, playlist_id)
        key = await media.store_artwork(image)
        try:
            async with self._deps.db.write() as uow:
                old = await editable_playlist(uow, viewer, playlist_id)
                playlist = await uow.playlists.update(playlist_id, {"artwork_key": key})
                assert playlist is not None
        except BaseException:
            await media.delete_artwork(key)
            raise
        await media.delete_artwork(old.artwork_key)
        return CreatorPlaylist.of(playlist)

    async def set_avatar(self, viewer: Viewer, user_id: int, image: bytes) -> str:
        """Replace the user's avatar; returns the new artwork key (see media.artwork_url)."""
        media = self.media()
        require_actor(viewer, user_id)
        key = await media.store_artwork(image)
        try:
            async with self._deps.db.write() as uow:
                user = await uow.users.get(user_id)
                if user is None:
                    raise NotFound("user not found")
                await uow.users.update(user_id, {"avatar_key": key})
        except BaseException:
            await media.delete_artwork(key)
            raise
        await media.delete_artwork(user.avatar_key)
        return key
