"""The api-v2 playlist/album (with its tracks and owner), and comments."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET

from app.edge.web.mappers.shapes import Field, Render, Shape, iso, iso_date, urn
from app.edge.web.mappers.tracks import TRACK
from app.edge.web.mappers.users import BASIC_USER, USER, owner
from app.edge.web.representations import playlists as v2
from app.edge.web.representations.tracks import BasicTrack, CommentSelf
from app.edge.web.representations.tracks import Comment as CommentRep
from app.value_added.playlists import Playlist
from app.value_added.tracks import Comment, Track
from app.value_added.users import User


def _f(paths: tuple[str, ...], get: Any, users: bool = False) -> Field[Playlist]:
    return Field(paths, get, users)


def _const(value: Any) -> Field[Playlist]:
    return Field((), lambda _p, _r: value)


def _token(p: Playlist, r: Render) -> str | None:
    return p.policy.secret_token  # type: ignore[union-attr]


def permalink_url(p: Playlist, r: Render) -> str:
    owner = r.users.get(p.user_id)
    path = f"/{owner.permalink if owner else p.user_id}/sets/{p.permalink}"
    token = p.policy.secret_token if p.policy.sharing == "private" else None  # type: ignore[union-attr]
    return r.page(f"{path}/{token}" if token else path)


def tracks(p: Playlist, r: Render) -> list[BasicTrack]:
    everything = TRACK.all()
    return [TRACK.render(t, everything, r) for t in p.tracks]  # type: ignore[union-attr]


def _user(shape: Shape[User, Any]) -> Field[Playlist]:
    return Field(("user_id",), lambda p, r: owner(shape, p.user_id, r), True)


FIELDS: dict[str, Field[Playlist]] = {
    "id": _f(("id",), lambda p, _r: p.id),
    "urn": _f(("id",), lambda p, _r: urn("playlists", p.id)),
    "uri": _f(("id",), lambda p, r: r.url(f"/playlists/{p.id}")),
    "user_id": _f(("user_id",), lambda p, _r: p.user_id),
    "title": _f(("title",), lambda p, _r: p.title),
    "permalink": _f(("permalink",), lambda p, _r: p.permalink),
    "permalink_url": _f(("permalink", "policy"), permalink_url, users=True),
    "description": _f(("description",), lambda p, _r: p.description or None),
    "set_type": _f(("set_type",), lambda p, _r: p.set_type),
    "is_album": _f(("set_type",), lambda p, _r: p.set_type != "playlist"),
    "genre": _f(("genre",), lambda p, _r: p.genre or None),
    "tag_list": _f(("tag_list",), lambda p, _r: p.tag_list),
    "label_name": _f(("label_name",), lambda p, _r: p.label_name or None),
    "licence": _const(None),
    "purchase_title": _const(None),
    "purchase_url": _const(None),
    "release_date": _f(("release_date",), lambda p, _r: iso_date(p.release_date)),
    "artwork_url": _f(
        ("artwork_key",),
        lambda p, r: r.site(f"/media/artwork/{p.artwork_key}") if p.artwork_key else None,
    ),
    "created_at": _f(("created_at",), lambda p, _r: iso(p.created_at)),
    "last_modified": _f(("updated_at",), lambda p, _r: iso(p.updated_at)),
    "display_date": _f(("created_at",), lambda p, _r: iso(p.created_at)),
    "published_at": _f(("created_at", "policy.sharing"), lambda p, _r: iso(p.created_at)),
    "sharing": _f(("policy.sharing",), lambda p, _r: p.policy.sharing),
    "public": _f(("policy.sharing",), lambda p, _r: p.policy.sharing == "public"),
    "secret_token": _f(("policy.secret_token",), _token),
    "embeddable_by": _const("all"),
    "managed_by_feeds": _const(False),
    "duration": _f(("stats.duration_ms",), lambda p, _r: p.stats.duration_ms),
    "track_count": _f(("stats.tracks",), lambda p, _r: p.stats.tracks),
    "likes_count": _f(("stats.likes",), lambda p, _r: p.stats.likes),
    "reposts_count": _f(("stats.reposts",), lambda p, _r: p.stats.reposts),
    "user_liked": _f(("viewer.liked",), lambda p, _r: p.viewer.liked),
    "user_reposted": _f(("viewer.reposted",), lambda p, _r: p.viewer.reposted),
    "tracks": _f(("tracks",), tracks, users=True),
}

PLAYLIST = Shape(v2.BasicAlbumPlaylist, {**FIELDS, "user": _user(BASIC_USER)})
"""BasicAlbumPlaylist."""
PLAYLIST_FULL = Shape(v2.AlbumPlaylist, {**FIELDS, "user": _user(USER)})
"""AlbumPlaylist (search results, resolve): the owner with counts."""
NO_TRACKS = PLAYLIST.select(",".join(n for n in PLAYLIST.fields if n != "tracks"))
"""AlbumPlaylistNoTracks (likes, reposts)."""


def comment(c: Comment, r: Render, track: Track | None = None) -> CommentRep:
    """BasicComment; with `track`, the Comment that names its track (a user's comments)."""
    user = r.users.get(c.user_id)
    return CommentRep(
        id=c.id,
        body=c.body,
        created_at=iso(c.created_at),
        timestamp=c.timestamp_ms,
        track_id=c.track_id,
        user_id=c.user_id,
        self_=CommentSelf(urn=urn("comments", c.id)),
        user=BASIC_USER.render(user, BASIC_USER.all(), r) if user else None,
        track=TRACK.render(track, TRACK.all(), r) if track is not None else UNSET,
    )
