"""Request inputs of the Mobile API: strict bodies, `fields=` masks, the paging of every list."""

from __future__ import annotations

from typing import Annotated

import msgspec

from app.edge.kit.bounds import MAX_ID, Id
from app.value_added.common.fieldmask import FieldMask
from app.value_added.creator import TrackChanges, TrackDraft
from app.value_added.playlists import PlaylistChanges, PlaylistDraft


class Body(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every mobile-only request body. Track and playlist bodies are the value-added
    services' own typed inputs; all are decoded strictly (an unknown field is a 400)."""


class NewComment(Body):
    body: str
    timestamp_ms: Annotated[int, msgspec.Meta(ge=0, le=MAX_ID)] | None = None


class TrackIds(Body):
    track_ids: list[Id]


class NewPlaylist(PlaylistDraft, frozen=True, forbid_unknown_fields=True):
    """A playlist, optionally with its first tracks (`track_ids`)."""

    track_ids: tuple[Id, ...] = ()


class PlaylistPatch(PlaylistChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change."""


class NewTrack(TrackDraft, frozen=True, forbid_unknown_fields=True):
    """Track metadata and policy; the audio is uploaded separately."""


class TrackPatch(TrackChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change; `null` clears a nullable field."""


_TRACK = {"user": "user_id", "artwork_url": "artwork_key", "streams": "id", "kind": "id"}
_PLAYLIST = {"user": "user_id", "artwork_url": "artwork_key", "kind": "id"}
_USER = {
    "counts": "stats",
    "relation": "viewer",
    "avatar_url": "avatar_key",
    "kind": "id",
    "top_tracks": "id",
    "playlists": "id",
}
_NESTED = {"tracks": _TRACK}


class MobileMask:
    """A mask as the client wrote it (`mobile`) and as the VAS understands it (`vas`).

    The mobile default view is the full aggregate; mobile names that differ from the
    aggregate's (`user`, `artwork_url`, `counts` …) are renamed; unknown paths reach the VAS,
    which answers 400 naming the path.
    """

    def __init__(self, raw: str | None, renames: dict[str, str]) -> None:
        self.mobile = FieldMask.parse(raw)
        if self.mobile.is_everything:
            self.vas = FieldMask.all()
        else:
            self.vas = FieldMask(_translate(p, renames) for p in self.mobile.paths)

    def wants(self, top: str) -> bool:
        return self.mobile.wants(top)


def _translate(path: str, renames: dict[str, str]) -> str:
    top, dot, rest = path.partition(".")
    if not dot:
        return renames.get(top, top)
    if top in _NESTED and renames is _PLAYLIST:
        return f"{top}.{_translate(rest, _NESTED[top])}"
    return f"{renames.get(top, top)}.{rest}"


def track_mask(raw: str | None) -> MobileMask:
    return MobileMask(raw, _TRACK)


def playlist_mask(raw: str | None) -> MobileMask:
    return MobileMask(raw, _PLAYLIST)


def user_mask(raw: str | None) -> MobileMask:
    return MobileMask(raw, _USER)


CARD_MASK = FieldMask(
    ["username", "permalink", "full_name", "avatar_key", "city", "country", "stats", "viewer"]
)
"""What an embedded user card holds (the owner of a track, a commenter, a follower)."""

PLAYLIST_CARD_MASK = FieldMask(
    [
        "title",
        "permalink",
        "description",
        "set_type",
        "genre",
        "tag_list",
        "artwork_key",
        "created_at",
        "updated_at",
        "policy",
        "stats",
        "viewer",
        "track_ids",
    ]
)
"""Playlists listed on a profile or in search: everything but the embedded tracks."""


class Listing(msgspec.Struct, frozen=True):
    """The paging and field-mask query parameters of a mobile list."""

    limit: int | None
    cursor: str | None
    fields: str | None
