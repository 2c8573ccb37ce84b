"""Request bodies the Mobile API accepts (its input representations).

Track and playlist bodies are the value-added services' own typed inputs, decoded strictly:
unknown fields are a 400, not silently dropped.
"""

from __future__ import annotations

import msgspec

from app.value_added.creator import TrackChanges, TrackDraft
from app.value_added.playlists import PlaylistChanges, PlaylistDraft


class Body(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every mobile-only request body."""


class NewComment(Body):
    body: str
    timestamp_ms: int | None = None


class TrackIds(Body):
    track_ids: list[int]


class NewPlaylist(PlaylistDraft, frozen=True, forbid_unknown_fields=True):
    """A playlist, optionally with its first tracks (`track_ids`)."""


class PlaylistPatch(PlaylistChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change."""


class NewTrack(TrackDraft, frozen=True, forbid_unknown_fields=True):
    """Track metadata and policy; the audio is uploaded separately."""


class TrackPatch(TrackChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change; `null` clears a nullable field."""
