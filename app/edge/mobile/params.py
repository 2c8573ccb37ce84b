"""Request inputs of the Mobile API: strict bodies, `fields=` masks, the paging of every list."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from litestar.params import QueryParameter
from msgspec import UNSET, UnsetType

from app.edge.kit.bounds import Id
from app.edge.kit.errors import EdgeError
from app.value_added.catalog.requests import (
    Bpm,
    DurationMs,
    Genre,
    Isrc,
    KeySignature,
    PlaylistDescription,
    PurchaseUrl,
    ReleaseAt,
    ShortText,
    TagList,
    Territory,
    Title,
    TrackDescription,
)
from app.value_added.catalog.validation import (
    MAX_DURATION_MS,
    MAX_TRACKS,
    NOT_BLANK,
    License,
    Monetization,
    SetType,
    Sharing,
)
from app.value_added.common.fieldmask import FieldMask
from app.value_added.creator import TrackChanges, TrackDraft
from app.value_added.playlists import PLAYLIST_PATHS, PlaylistChanges, PlaylistDraft
from app.value_added.tracks import TRACK_PATHS
from app.value_added.tracks.validation import MAX_COMMENT_LENGTH
from app.value_added.users import USER_PATHS


class Body(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every mobile-only request body. Track and playlist bodies are the value-added
    services' own typed inputs with each field's rule (`catalog.requests`) as a constraint;
    all are decoded strictly (an unknown field is a 400)."""


CommentBody = Annotated[
    str, msgspec.Meta(max_length=MAX_COMMENT_LENGTH, pattern=NOT_BLANK, description="not blank")
]
TrackIdList = Annotated[list[Id], msgspec.Meta(max_length=MAX_TRACKS)]


class NewComment(Body):
    body: CommentBody
    timestamp_ms: Annotated[int, msgspec.Meta(ge=0, le=MAX_DURATION_MS)] | None = None
    """Where on the track (at most its duration, when that is known: a 409 beyond it)."""


class TrackIds(Body):
    track_ids: TrackIdList


class NewPlaylist(PlaylistDraft, frozen=True, forbid_unknown_fields=True):
    """A playlist, optionally with its first tracks (`track_ids`)."""

    title: Title
    description: PlaylistDescription = ""
    set_type: SetType = "playlist"
    sharing: Sharing = "public"
    genre: Genre = ""
    tag_list: TagList = ""
    label_name: ShortText = ""
    track_ids: Annotated[tuple[Id, ...], msgspec.Meta(max_length=MAX_TRACKS)] = ()


class PlaylistPatch(PlaylistChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change."""

    title: Title | UnsetType = UNSET
    description: PlaylistDescription | UnsetType = UNSET
    set_type: SetType | UnsetType = UNSET
    sharing: Sharing | UnsetType = UNSET
    genre: Genre | UnsetType = UNSET
    tag_list: TagList | UnsetType = UNSET
    label_name: ShortText | UnsetType = UNSET


class NewTrack(TrackDraft, frozen=True, forbid_unknown_fields=True):
    """Track metadata and policy; the audio is uploaded separately."""

    title: Title
    description: TrackDescription = ""
    genre: Genre = ""
    tag_list: TagList = ""
    duration_ms: DurationMs = 0
    bpm: Bpm | None = None
    key_signature: KeySignature = ""
    isrc: Isrc | None = None
    license: License = "all-rights-reserved"
    label_name: ShortText = ""
    purchase_url: PurchaseUrl = ""
    purchase_title: ShortText = ""
    sharing: Sharing = "public"
    release_at: ReleaseAt | None = None
    territories: list[Territory] | None = None
    monetization: Monetization = "none"


class TrackPatch(TrackChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change; `null` clears a nullable field."""

    title: Title | UnsetType = UNSET
    description: TrackDescription | UnsetType = UNSET
    genre: Genre | UnsetType = UNSET
    tag_list: TagList | UnsetType = UNSET
    duration_ms: DurationMs | UnsetType = UNSET
    bpm: Bpm | UnsetType | None = UNSET
    key_signature: KeySignature | UnsetType = UNSET
    isrc: Isrc | UnsetType | None = UNSET
    license: License | UnsetType = UNSET
    label_name: ShortText | UnsetType = UNSET
    purchase_url: PurchaseUrl | UnsetType = UNSET
    purchase_title: ShortText | UnsetType = UNSET
    sharing: Sharing | UnsetType = UNSET
    release_at: ReleaseAt | UnsetType | None = UNSET
    territories: list[Territory] | UnsetType | None = UNSET
    monetization: Monetization | UnsetType = UNSET


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


def _translate(path: str, renames: dict[str, str]) -> str:
    top, dot, rest = path.partition(".")
    if not dot:
        return renames.get(top, top)
    if top in _NESTED and renames is _PLAYLIST:
        return f"{top}.{_translate(rest, _NESTED[top])}"
    return f"{renames.get(top, top)}.{rest}"


def _spellings(path: str, renames: dict[str, str]) -> set[str]:
    """Every way a client may name the aggregate's `path`: its own name and the mobile ones."""
    top, dot, rest = path.partition(".")
    tops = {top} | {mobile for mobile, vas in renames.items() if vas == top}
    if not dot:
        return tops
    nested = _NESTED.get(top) if renames is _PLAYLIST else None
    tails = _spellings(rest, nested) if nested else {rest}
    return {f"{t}.{tail}" for t in tops for tail in tails}


def _pattern(paths: frozenset[str]) -> str:
    """`fields=` as a pattern: known paths separated by commas (spaces around them allowed)."""
    name = "|".join(re.escape(p) for p in sorted(paths, key=lambda p: (-len(p), p)))
    return f"^ *(?:(?:{name}) *)?(?:, *(?:(?:{name}) *)?)*$"


class Vocabulary:
    """The paths `fields=` may name for one kind of entity and how they reach the VAS."""

    def __init__(self, entity: str, renames: dict[str, str], vas_paths: frozenset[str]) -> None:
        self.entity = entity
        self.renames = renames
        spelled = {s for p in vas_paths for s in _spellings(p, renames)}
        self.paths = frozenset({"*"} | {s for s in spelled if _translate(s, renames) in vas_paths})
        self.pattern = _pattern(self.paths)
        self.regex = re.compile(self.pattern)


TRACK_FIELDS = Vocabulary("track", _TRACK, frozenset(TRACK_PATHS))
PLAYLIST_FIELDS = Vocabulary("playlist", _PLAYLIST, frozenset(PLAYLIST_PATHS))
USER_FIELDS = Vocabulary("user", _USER, frozenset(USER_PATHS))
SEARCH_PATHS = TRACK_FIELDS.paths | PLAYLIST_FIELDS.paths | USER_FIELDS.paths
SEARCH_REGEX = re.compile(_pattern(SEARCH_PATHS))


def _fields(vocabulary: Vocabulary | None, what: str) -> Any:
    pattern = SEARCH_REGEX.pattern if vocabulary is None else vocabulary.pattern
    return QueryParameter(
        schema_extra={"pattern": pattern},  # documented; checked by MobileMask, naming the path
        description=f"the parts of {what} wanted, as comma-separated paths (`title,stats.likes`);"
        " empty or missing: everything",
    )


TrackFields = Annotated[str | None, _fields(TRACK_FIELDS, "each track")]
PlaylistFields = Annotated[str | None, _fields(PLAYLIST_FIELDS, "each playlist")]
UserFields = Annotated[str | None, _fields(USER_FIELDS, "each user")]
SearchFields = Annotated[
    str | None, _fields(None, "each result (paths of the other kinds are ignored)")
]


def _check(raw: str, regex: re.Pattern[str], paths: frozenset[str], entity: str) -> None:
    """A 400 naming the first path of `raw` not in `paths` (or `fields`, if malformed)."""
    if regex.fullmatch(raw):
        return
    unknown = sorted(p for p in FieldMask.parse(raw).paths if p not in paths)
    if unknown:
        message = f"unknown field {unknown[0]!r} for {entity}"
        raise EdgeError(400, "unknown_field", message, field=unknown[0])
    message = f"fields must be comma-separated paths of {entity}"
    raise EdgeError(400, "unknown_field", message, field="fields")


def search_fields(raw: str | None) -> str | None:
    """A search's `fields=`: paths of any kind it may answer with (a 400 naming another)."""
    if raw is not None:
        _check(raw, SEARCH_REGEX, SEARCH_PATHS, "search results")
    return raw


class MobileMask:
    """A mask as the client wrote it (`mobile`) and as the VAS understands it (`vas`).

    The mobile default view is the full aggregate; mobile names that differ from the
    aggregate's (`user`, `artwork_url`, `counts` …) are renamed. A path the vocabulary does not
    hold is a 400 naming it, or (`lenient`, a search answering one of several kinds, whose
    `fields=` search_fields checked) left out.
    """

    def __init__(self, raw: str | None, vocabulary: Vocabulary, *, lenient: bool = False) -> None:
        if raw is not None and not lenient:
            _check(raw, vocabulary.regex, vocabulary.paths, vocabulary.entity)
        self.mobile = FieldMask.parse(raw)
        if lenient and not self.mobile.is_everything:
            known = [p for p in self.mobile.paths if p in vocabulary.paths]
            self.mobile = FieldMask(known or ["id"])
        if self.mobile.is_everything:
            self.vas = FieldMask.all()
        else:
            self.vas = FieldMask(_translate(p, vocabulary.renames) for p in self.mobile.paths)

    def wants(self, top: str) -> bool:
        return self.mobile.wants(top)


def track_mask(raw: str | None, *, lenient: bool = False) -> MobileMask:
    return MobileMask(raw, TRACK_FIELDS, lenient=lenient)


def playlist_mask(raw: str | None, *, lenient: bool = False) -> MobileMask:
    return MobileMask(raw, PLAYLIST_FIELDS, lenient=lenient)


def user_mask(raw: str | None, *, lenient: bool = False) -> MobileMask:
    return MobileMask(raw, USER_FIELDS, lenient=lenient)


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
