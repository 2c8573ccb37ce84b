"""Catalog foundation service: read-only queries across tracks, policies, playlists and users."""
