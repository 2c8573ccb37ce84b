"""Records returned by the catalog foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class CatalogArtist(msgspec.Struct, frozen=True):
    """A user owning catalogue tracks, with the newest of them (to check with the policy)."""

    id: int
    username: str
    track_id: int


class GenreCount(msgspec.Struct, frozen=True):
    genre: str
    tracks: int


class SinglesSummary(msgspec.Struct, frozen=True):
    """An artist's catalogue tracks that no visible album of theirs holds."""

    user_id: int
    tracks: int
    duration_ms: int
    newest_at: dt.datetime
