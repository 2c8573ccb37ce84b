"""The Playlists VAS: playlist queries, the catalog's playlist commands, likes and reposts."""

from __future__ import annotations

from app.value_added.access import Viewer
from app.value_added.catalog import PlaylistChanges, PlaylistCommands, PlaylistDraft
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unauthenticated
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists.aggregates import Playlist
from app.value_added.playlists.commands import PlaylistEngagement
from app.value_added.playlists.queries import AlbumQueries, PlaylistQueries, playlist_edges
from app.value_added.tracks import TracksService


class PlaylistsService:
    """One object a BFF holds for everything about playlists. Queries filter playlists (and the
    tracks inside) per viewer; writes are the catalog's commands, which re-check access. The
    `album*` queries answer about releases (albums and each artist's singles) for music
    players."""

    def __init__(self, deps: Deps, tracks: TracksService, catalog: PlaylistCommands) -> None:
        edges = playlist_edges(deps, tracks)
        queries = PlaylistQueries(deps, tracks)
        albums = AlbumQueries(deps, tracks)
        engagement = PlaylistEngagement(deps)
        self._catalog = catalog
        # queries
        self.get = queries.get
        self.get_many = queries.get_many
        self.resolve = queries.resolve
        self.by_user = queries.by_user
        self.search = queries.search
        self.containing_track = queries.containing_track
        # likes and reposts, listed
        self.liked_by = edges.liked_by
        self.reposted_by = edges.reposted_by
        self.likers = edges.likers
        self.reposters = edges.reposters
        self.liked_at = edges.liked_at
        # releases: albums and each artist's singles
        self.album = albums.album
        self.album_summaries = albums.album_summaries
        self.album_genre_counts = albums.album_genre_counts
        self.albums_of_artist = albums.albums_of_artist
        self.album_refs_of_tracks = albums.album_refs_of_tracks
        self.albums_by_title = albums.albums_by_title
        self.liked_albums = albums.liked_albums
        # catalog commands
        self.delete = catalog.delete
        self.add_tracks = catalog.add_tracks
        self.remove_track = catalog.remove_track
        self.reorder = catalog.reorder
        self.set_tracks = catalog.set_tracks
        # engagement
        self.like = engagement.like
        self.unlike = engagement.unlike
        self.repost = engagement.repost
        self.unrepost = engagement.unrepost

    async def create(self, viewer: Viewer, draft: PlaylistDraft) -> Playlist:
        """A playlist of the signed-in viewer (Unauthenticated without one), as they see it."""
        if viewer.user_id is None:
            raise Unauthenticated(
                "creating a playlist needs a signed-in user", reason="user_required"
            )
        created = await self._catalog.create(viewer, viewer.user_id, draft)
        return await self.get(viewer, created.id, FieldMask.all())

    async def update(self, viewer: Viewer, playlist_id: int, changes: PlaylistChanges) -> Playlist:
        """Change the playlist's metadata; the whole playlist as the viewer now sees it."""
        await self._catalog.update(viewer, playlist_id, changes)
        return await self.get(viewer, playlist_id, FieldMask.all())
