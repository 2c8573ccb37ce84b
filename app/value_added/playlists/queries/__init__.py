"""The read side of the Playlists VAS: playlists and their like/repost lists, and releases
(albums and each artist's singles) as music players see them."""

from app.value_added.playlists.queries.albums import AlbumQueries
from app.value_added.playlists.queries.playlists import PlaylistQueries, playlist_edges

__all__ = ["AlbumQueries", "PlaylistQueries", "playlist_edges"]
