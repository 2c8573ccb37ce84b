"""Mappers from value-added aggregates to mobile representations (pure: no I/O, no rules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.mobile import representations as rep
from app.value_added.creator import CreatorTrack
from app.value_added.playlists import Playlist
from app.value_added.tracks import Comment, Track
from app.value_added.users import User

ArtworkUrl = Callable[[str | None], str | None]
"""Turns a stored artwork key into an absolute URL (None when there is no artwork)."""


def _copy(source: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(source, n) for n in names if getattr(source, n) is not UNSET}


def _part(value: Any, kind: type[rep.Rep]) -> Any:
    """A nested VAS part as its mobile representation (UNSET stays UNSET)."""
    if value is UNSET:
        return UNSET
    return msgspec.convert(value, kind, from_attributes=True)


def _url(key: str | UnsetType | None, artwork: ArtworkUrl) -> str | UnsetType | None:
    return UNSET if key is UNSET else artwork(key)


_USER_FIELDS = (
    "username",
    "permalink",
    "full_name",
    "first_name",
    "last_name",
    "description",
    "city",
    "country",
    "plan",
    "website",
    "website_title",
    "created_at",
)


def user_fields(user: User, artwork: ArtworkUrl, signed_in: bool) -> dict[str, Any]:
    fields = _copy(user, _USER_FIELDS)
    fields["avatar_url"] = _url(user.avatar_key, artwork)
    fields["counts"] = _part(user.stats, rep.UserCounts)
    if signed_in:
        fields["relation"] = _part(user.viewer, rep.UserRelation)
    return fields


def user_card(user: User, artwork: ArtworkUrl, signed_in: bool) -> rep.UserCard:
    return rep.UserCard(id=user.id, **user_fields(user, artwork, signed_in))


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
    streams: Any = UNSET,
) -> rep.TrackRep:
    """A track; `owners` (from one batch) embeds its user when given."""
    fields = _copy(t, _TRACK_FIELDS)
    fields["artwork_url"] = _url(t.artwork_key, artwork)
    if owners is not None and t.user_id in owners:
        fields["user"] = owners[t.user_id]
    media = UNSET
    if t.media is not UNSET:
        media = _part(t.media, rep.MediaRep)
    viewer = _part(t.viewer, rep.EngagementState) if signed_in else UNSET
    return rep.TrackRep(
        id=t.id,
        user_id=t.user_id,
        policy=_policy(t),
        stats=_part(t.stats, rep.TrackStatsRep),
        media=media,
        viewer=viewer,
        streams=streams,
        **fields,
    )


_PLAYLIST_FIELDS = (
    "title",
    "permalink",
    "description",
    "set_type",
    "genre",
    "tag_list",
    "label_name",
    "release_date",
    "created_at",
    "updated_at",
    "track_ids",
)


def playlist(
    p: Playlist,
    artwork: ArtworkUrl,
    owners: Mapping[int, rep.UserCard] | None,
    signed_in: bool,
    embed_track_owners: bool = True,
) -> rep.PlaylistRep:
    fields = _copy(p, _PLAYLIST_FIELDS)
    fields["artwork_url"] = _url(p.artwork_key, artwork)
    if owners is not None and p.user_id in owners:
        fields["user"] = owners[p.user_id]
    if p.policy is not UNSET:
        secret = {"secret_token": p.policy.secret_token} if p.policy.can_edit else {}
        fields["policy"] = rep.PlaylistPolicyRep(
            sharing=p.policy.sharing, can_edit=p.policy.can_edit, **secret
        )
    if p.tracks is not UNSET:
        track_owners = owners if embed_track_owners else None
        fields["tracks"] = [track(t, artwork, track_owners, signed_in) for t in p.tracks]
    if signed_in:
        fields["viewer"] = _part(p.viewer, rep.EngagementState)
    return rep.PlaylistRep(
        id=p.id, user_id=p.user_id, stats=_part(p.stats, rep.PlaylistStatsRep), **fields
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
