"""playlists package."""
