"""Records returned by the counters foundation service."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import msgspec

from app.caching.provenance import note_valid_until


class Release(msgspec.Struct, frozen=True):
    """`delta` joins counter `name` once `release_at` has passed (a scheduled track's release)."""

    release_at: dt.datetime
    name: str
    delta: int


class TrackCounts(msgspec.Struct, frozen=True):
    track_id: int
    likes: int = 0
    reposts: int = 0
    plays: int = 0
    comments: int = 0
    downloads: int = 0


class PlaylistCounts(msgspec.Struct, frozen=True):
    """`tracks`/`duration_ms`: the entries the owner sees; `public_…`: those everyone sees."""

    playlist_id: int
    likes: int = 0
    reposts: int = 0
    tracks: int = 0
    duration_ms: int = 0
    public_tracks: int = 0
    public_duration_ms: int = 0
    releases: tuple[Release, ...] = ()


class UserCounts(msgspec.Struct, frozen=True):
    """Per visibility class: the plain column is what the user themself sees (their own hidden
    tracks and playlists included), `public_…` what everyone sees; `private_tracks` is how many
    of their tracks are shared privately."""

    user_id: int
    followers: int = 0
    followings: int = 0
    tracks: int = 0
    playlists: int = 0
    likes: int = 0
    playlist_likes: int = 0
    reposts: int = 0
    comments: int = 0
    public_tracks: int = 0
    private_tracks: int = 0
    public_playlists: int = 0
    public_likes: int = 0
    public_playlist_likes: int = 0
    public_reposts: int = 0
    public_comments: int = 0
    releases: tuple[Release, ...] = ()


Released = TypeVar("Released", PlaylistCounts, UserCounts)


def as_of(counts: Released, now: dt.datetime) -> Released:
    """The counts at `now`: every release that has passed applied; a response built from them
    is valid until the next one (note_valid_until)."""
    if not counts.releases:
        return counts
    changes: dict[str, int] = {}  # (a plain dict: a Counter costs more than this whole call)
    for r in counts.releases:
        at = r.release_at if r.release_at.tzinfo else r.release_at.replace(tzinfo=dt.UTC)
        if at <= now:
            name = r.name
            changes[name] = changes.get(name, getattr(counts, name)) + r.delta
        else:
            note_valid_until(at)
    return msgspec.structs.replace(counts, releases=(), **changes)
