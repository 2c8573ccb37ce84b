"""Playlists (with their visible tracks) to their mobile representation."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import UNSET

from app.edge.mobile import representations as rep
from app.edge.mobile.mappers.common import ArtworkUrl, artwork_url, copy_set, part
from app.edge.mobile.mappers.tracks import track
from app.value_added.playlists import Playlist

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
    fields = copy_set(p, _PLAYLIST_FIELDS)
    fields["artwork_url"] = artwork_url(p.artwork_key, artwork)
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
        fields["viewer"] = part(p.viewer, rep.EngagementState)
    return rep.PlaylistRep(
        id=p.id, user_id=p.user_id, stats=part(p.stats, rep.PlaylistStatsRep), **fields
    )
