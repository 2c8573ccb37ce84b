"""Tracks, own tracks and comments to their mobile representations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.mobile import representations as rep
from app.edge.mobile.mappers.common import ArtworkUrl, artwork_url, copy_set, part
from app.value_added.creator import CreatorTrack
from app.value_added.tracks import Comment, Track

_TRACK_FIELDS = (
    "title",
    "permalink",
    "description",
    "genre",
    "tag_list",
    "duration_ms",
    "bpm",
    "key_signature",
    "isrc",
    "license",
    "label_name",
    "purchase_url",
    "purchase_title",
    "release_date",
    "created_at",
    "updated_at",
)


def _policy(track: Track) -> rep.TrackPolicyRep | UnsetType:
    p = track.policy
    if p is UNSET:
        return UNSET
    owner_only: dict[str, Any] = {}
    if p.can_edit:
        owner_only = {"secret_token": p.secret_token, "territories": p.territories}
    return rep.TrackPolicyRep(
        sharing=p.sharing,
        access=p.access,
        streamable=p.streamable,
        downloadable=p.downloadable,
        commentable=p.commentable,
        monetization=p.monetization,
        release_at=p.release_at,
        can_download=p.can_download,
        can_comment=p.can_comment,
        can_edit=p.can_edit,
        taken_down=p.taken_down,
        **owner_only,
    )


def track(
    t: Track,
    artwork: ArtworkUrl,
    owners: Mapping[int, rep.UserCard] | None,
    signed_in: bool,
    streams: list[rep.StreamRep] | UnsetType = UNSET,
) -> rep.TrackRep:
    """A track; `owners` (from one batch) embeds its user when given."""
    fields = copy_set(t, _TRACK_FIELDS)
    fields["artwork_url"] = artwork_url(t.artwork_key, artwork)
    if owners is not None and t.user_id in owners:
        fields["user"] = owners[t.user_id]
    media = UNSET
    if t.media is not UNSET:
        media = part(t.media, rep.MediaRep)
    viewer = part(t.viewer, rep.EngagementState) if signed_in else UNSET
    return rep.TrackRep(
        id=t.id,
        user_id=t.user_id,
        policy=_policy(t),
        stats=part(t.stats, rep.TrackStatsRep),
        media=media,
        viewer=viewer,
        streams=streams,
        **fields,
    )


def comment(c: Comment, author: rep.UserCard) -> rep.CommentRep:
    return rep.CommentRep(
        id=c.id,
        track_id=c.track_id,
        body=c.body,
        timestamp_ms=c.timestamp_ms,
        created_at=c.created_at,
        user=author,
    )


def own_track(t: CreatorTrack, artwork: ArtworkUrl) -> rep.OwnTrackRep:
    fields = msgspec.structs.asdict(t)
    fields.pop("takedown_reason", None)
    fields["artwork_url"] = artwork(fields.pop("artwork_key"))
    return rep.OwnTrackRep(**fields)
