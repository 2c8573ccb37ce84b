"""Request bodies the Partner API accepts, and their mapping to the Creator gateway's inputs.

Unknown fields are refused (400 naming the field) so a typo never silently does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import UNSET

from app.value_added.creator import PlaylistChanges, PlaylistDraft, TrackChanges, TrackDraft


class TrackCreate(TrackDraft, frozen=True, forbid_unknown_fields=True):
    """A new track's metadata and policy (the Creator gateway's draft, decoded strictly)."""


POLICY_FIELDS = frozenset(
    {"release_date", "release_at", "territories", "monetization", "sharing"}
    | {"streamable", "downloadable", "commentable"}
)
"""What PATCH …/policy changes; PATCH /tracks/{id} changes every other field of TrackChanges."""


def _half_of_changes(name: str, policy: bool, doc: str) -> type[msgspec.Struct]:
    """The partner's half of the Creator gateway's TrackChanges, decoded strictly."""
    fields = [
        (f.name, f.type, f.default)
        for f in msgspec.structs.fields(TrackChanges)
        if (f.name in POLICY_FIELDS) is policy
    ]
    half = msgspec.defstruct(
        name, fields, kw_only=True, forbid_unknown_fields=True, module=__name__
    )
    half.__doc__ = doc
    return half


if TYPE_CHECKING:
    TrackPatch = TrackChanges
    TrackPolicyPatch = TrackChanges
else:
    TrackPatch = _half_of_changes(
        "TrackPatch", False, "Metadata changes (policies go through PATCH …/policy)."
    )
    TrackPolicyPatch = _half_of_changes(
        "TrackPolicyPatch",
        True,
        "Release dates, territories (null: worldwide), monetization and sharing.",
    )


class PlaylistCreate(PlaylistDraft, frozen=True, forbid_unknown_fields=True):
    """A playlist, or an album/EP/single with `set_type`."""


class PlaylistPatch(PlaylistChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change."""


def _set(body: msgspec.Struct) -> dict[str, Any]:
    return {k: v for k, v in msgspec.structs.asdict(body).items() if v is not UNSET}


def track_changes(body: TrackPatch | TrackPolicyPatch) -> TrackChanges:
    """Either half of a track's changes, as the Creator gateway's input."""
    return TrackChanges(**_set(body))
