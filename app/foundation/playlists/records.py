"""Records returned by the playlists foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class PlaylistRecord(msgspec.Struct, frozen=True):
    id: int
    user_id: int
    title: str
    permalink: str
    description: str
    set_type: str
    sharing: str
    secret_token: str
    genre: str
    tag_list: str
    label_name: str
    release_date: dt.date | None
    artwork_key: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class EntryRecord(msgspec.Struct, frozen=True):
    id: int
    playlist_id: int
    track_id: int
    position: int
    added_at: dt.datetime
