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


class SearchHit(msgspec.Struct, frozen=True):
    """A catalogue track matching a search: its id and its place in the (created_at, id) order."""

    id: int
    created_at: dt.datetime


class CatalogScope(msgspec.Struct, frozen=True):
    """Whom a catalogue search narrows for (the SQL twin of the access policy's decisions,
    which still check every track found)."""

    owners: tuple[int, ...] = ()
    """Whose every track the viewer may see: themselves, the creators their app manages."""
    unblocked: bool = False
    """Only tracks the viewer may at least preview: streamable and, when restricted to
    territories, available in `territory` (unknown: restricted tracks are left out)."""
    territory: str | None = None
