"""`fields=` masks in the mobile vocabulary, translated to the value-added layer's paths.

The mobile default view is the full aggregate. Mobile names that differ from the aggregate's
(`user`, `artwork_url`, `counts`, ...) are renamed; unknown paths reach the VAS, which answers
400 naming the path.
"""

from __future__ import annotations

from app.value_added.common.fieldmask import FieldMask

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
    """A mask as the client wrote it (`mobile`) and as the VAS understands it (`vas`)."""

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
