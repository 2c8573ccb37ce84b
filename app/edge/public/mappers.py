"""Aggregates to SoundCloud's representations (Track, User, Me, Playlist, Comment, WebProfile,
Streams) and the list shapes; pure functions of the aggregates and the request's links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from msgspec import UNSET

from app.edge.kit.links import Links
from app.edge.kit.oauth_forms import TokenResponse
from app.edge.public.params.ids import urn
from app.value_added.common.errors import NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.identity import TokenPair
from app.value_added.media import StreamGrant
from app.value_added.playlists import PLAYLIST_PATHS, Playlist
from app.value_added.tracks import TRACK_PATHS, Comment, Track
from app.value_added.users import USER_PATHS, User, WebProfile

Json = dict[str, Any]
"""A representation as SoundCloud's document describes it: absent values are left out."""

TRACK_MASK = FieldMask(p for p in TRACK_PATHS if "." not in p)
USER_MASK = FieldMask(p for p in USER_PATHS if "." not in p and p != "viewer")
_PLAYLIST_TOPS = [p for p in PLAYLIST_PATHS if "." not in p and p not in ("tracks", "track_ids")]
PLAYLIST_MASK = FieldMask(_PLAYLIST_TOPS)
PLAYLIST_WITH_TRACKS_MASK = FieldMask(
    [*_PLAYLIST_TOPS, *(f"tracks.{p}" for p in TRACK_PATHS if "." not in p and p != "media")]
)
"""What the representations below read from the aggregates."""


def when(moment: dt.datetime | None) -> str | None:
    """SoundCloud's timestamp format: `2019/01/15 15:40:49 +0000`."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y/%m/%d %H:%M:%S +0000")


def _set(out: Json, **values: Any) -> Json:
    """Copy the values that are present (the schemas' strings and numbers are not nullable)."""
    for key, value in values.items():
        if value is not None and value is not UNSET:
            out[key] = value
    return out


def rfc3339(moment: dt.datetime | None) -> str | None:
    """RFC 3339, where the document declares `format: date-time` (User.created_at)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _site_page(links: Links, *segments: str) -> str:
    """The deployment's page at these path segments (`/alice/sets/mix`)."""
    return links.page("/" + "/".join(segments))


def user(u: User, links: Links, *, date_time: bool = True) -> Json:
    """A User; its schema declares RFC 3339 `date-time` timestamps (unlike every other one)."""
    stamp = rfc3339 if date_time else when
    out: Json = {"kind": "user", "id": u.id, "urn": urn("users", u.id)}
    permalink = u.permalink if isinstance(u.permalink, str) else str(u.id)
    _set(
        out,
        username=u.username,
        permalink=u.permalink,
        permalink_url=_site_page(links, permalink),
        uri=links.api(f"/users/{urn('users', u.id)}"),
        avatar_url=links.media(f"/media/artwork/{u.avatar_key}") if u.avatar_key else None,
        first_name=u.first_name,
        last_name=u.last_name,
        full_name=u.full_name,
        description=u.description,
        city=u.city,
        country=u.country,
        plan=u.plan.capitalize() if isinstance(u.plan, str) else None,
        website=u.website,
        website_title=u.website_title,
        created_at=stamp(u.created_at) if u.created_at else None,
        last_modified=stamp(u.updated_at) if u.updated_at else None,
    )
    if u.stats:
        _set(
            out,
            followers_count=u.stats.followers,
            followings_count=u.stats.followings,
            track_count=u.stats.tracks,
            playlist_count=u.stats.playlists,
            public_favorites_count=u.stats.likes,
            likes_count=u.stats.likes,
            playlist_likes_count=u.stats.playlist_likes,
            reposts_count=u.stats.reposts,
            comments_count=u.stats.comments,
        )
    return out


def me(u: User, links: Links) -> Json:
    """The signed-in user: a User plus the account fields of SoundCloud's Me schema."""
    out = user(u, links, date_time=False)
    if u.stats and u.stats.private_tracks is not None:
        out["private_tracks_count"] = u.stats.private_tracks
        out["private_playlists_count"] = u.stats.private_playlists
    out.update(
        {
            "online": False,
            "primary_email_confirmed": False,
            "locale": None,
            "upload_seconds_left": None,
            "quota": {
                "unlimited_upload_quota": True,
                "upload_seconds_used": 0,
                "upload_seconds_left": None,
            },
        }
    )
    return out


def _embed_owner(out: Json, owner: User | None, links: Links, *permalink: Any) -> None:
    """The owner's user object, and the entity's page under the owner's (when both are known)."""
    if owner is None:
        return
    out["user"] = user(owner, links)
    if isinstance(owner.permalink, str) and all(isinstance(part, str) for part in permalink):
        out["permalink_url"] = _site_page(links, owner.permalink, *permalink)


def _stamps(links: Links, artwork_key: Any, created_at: Any, updated_at: Any) -> dict[str, Any]:
    return {
        "artwork_url": links.media(f"/media/artwork/{artwork_key}") if artwork_key else None,
        "created_at": when(created_at) if created_at else None,
        "last_modified": when(updated_at) if updated_at else None,
    }


def _release(out: Json, day: Any) -> None:
    if day:
        _set(out, release_day=day.day, release_month=day.month, release_year=day.year)


def track(t: Track, owners: Mapping[int, User], links: Links) -> Json:
    track_urn = urn("tracks", t.id)
    out: Json = {
        "kind": "track",
        "id": t.id,
        "urn": track_urn,
        "user_id": t.user_id,
        "user_urn": urn("users", t.user_id),
        "uri": links.api(f"/tracks/{track_urn}"),
        "embeddable_by": "all",
        "reveal_stats": True,
        "reveal_comments": True,
    }
    _embed_owner(out, owners.get(t.user_id), links, t.permalink)
    _set(
        out,
        title=t.title,
        permalink=t.permalink,
        description=t.description,
        genre=t.genre,
        tag_list=t.tag_list,
        duration=t.duration_ms,
        bpm=t.bpm,
        key_signature=t.key_signature,
        isrc=t.isrc,
        license=t.license,
        label_name=t.label_name,
        purchase_url=t.purchase_url,
        purchase_title=t.purchase_title,
        **_stamps(links, t.artwork_key, t.created_at, t.updated_at),
    )
    _release(out, t.release_date)
    if t.policy:
        p = t.policy
        _set(
            out,
            sharing=p.sharing,
            access=p.access,
            streamable=p.streamable,
            downloadable=p.downloadable,
            commentable=p.commentable,
        )
        out["download_url"] = None
        if p.secret_token:
            out["secret_token"] = p.secret_token
            out["secret_uri"] = links.api(f"/tracks/{track_urn}?secret_token={p.secret_token}")
        if p.territories:
            out["available_country_codes"] = ",".join(p.territories)
    if t.stats:
        _set(
            out,
            playback_count=t.stats.plays,
            favoritings_count=t.stats.likes,
            likes_count=t.stats.likes,
            reposts_count=t.stats.reposts,
            comment_count=t.stats.comments,
            download_count=t.stats.downloads,
        )
    if t.viewer:
        out["user_favorite"] = t.viewer.liked
        out["user_reposted"] = t.viewer.reposted
    if t.media:
        out["media"] = {"state": t.media.state}
    return out


def playlist(p: Playlist, owners: Mapping[int, User], links: Links, *, with_tracks: bool) -> Json:
    playlist_urn = urn("playlists", p.id)
    out: Json = {
        "kind": "playlist",
        "id": p.id,
        "urn": playlist_urn,
        "user_id": p.user_id,
        "user_urn": urn("users", p.user_id),
        "uri": links.api(f"/playlists/{playlist_urn}"),
        "tracks_uri": links.api(f"/playlists/{playlist_urn}/tracks"),
        "embeddable_by": "all",
        "streamable": True,
        "downloadable": False,
        "license": "all-rights-reserved",
    }
    _embed_owner(out, owners.get(p.user_id), links, "sets", p.permalink)
    _set(
        out,
        title=p.title,
        permalink=p.permalink,
        description=p.description,
        genre=p.genre,
        tag_list=p.tag_list,
        label_name=p.label_name,
        playlist_type=p.set_type,
        type=p.set_type,
        **_stamps(links, p.artwork_key, p.created_at, p.updated_at),
    )
    _release(out, p.release_date)
    if p.policy:
        out["sharing"] = p.policy.sharing
        if p.policy.secret_token:
            out["secret_token"] = p.policy.secret_token
            out["secret_uri"] = links.api(
                f"/playlists/{playlist_urn}?secret_token={p.policy.secret_token}"
            )
    if p.stats:
        _set(
            out,
            duration=p.stats.duration_ms,
            track_count=p.stats.tracks,
            likes_count=p.stats.likes,
            reposts_count=p.stats.reposts,
        )
    if p.viewer:
        out["user_favorite"] = p.viewer.liked
    if with_tracks and isinstance(p.tracks, list):
        out["tracks"] = [track(t, owners, links) for t in p.tracks]
    return out


def comment(c: Comment, owners: Mapping[int, User], links: Links) -> Json:
    comment_urn = urn("comments", c.id)
    out: Json = {
        "kind": "comment",
        "id": c.id,
        "urn": comment_urn,
        "body": c.body,
        "created_at": when(c.created_at),
        "track_id": c.track_id,
        "track_urn": urn("tracks", c.track_id),
        "user_id": c.user_id,
        "user_urn": urn("users", c.user_id),
        "uri": links.api(f"/comments/{comment_urn}"),
    }
    if c.timestamp_ms is not None:
        out["timestamp"] = str(c.timestamp_ms)
    owner = owners.get(c.user_id)
    if owner is not None:
        out["user"] = user(owner, links)
    return out


def web_profile(w: WebProfile) -> Json:
    return {
        "kind": "web-profile",
        "id": w.id,
        "urn": urn("web-profiles", w.id),
        "service": w.service,
        "title": w.title,
        "url": w.url,
        "username": w.username,
        "created_at": when(w.created_at),
    }


def collection(links: Links, items: list[Json], next_cursor: str | None) -> Json:
    """`{collection, next_href}` with an absolute next link keeping the filters."""
    body: Json = {"collection": items}
    href = links.next_href(next_cursor)
    if href:
        body["next_href"] = href
    return body


def listing(links: Links, linked: bool, items: list[Json], next_cursor: str | None) -> Any:
    """A collection with `linked_partitioning=true`, otherwise the (deprecated) bare array."""
    return collection(links, items, next_cursor) if linked else items


def stream_key(grant: StreamGrant) -> str:
    """`hls_aac_160_url`, `http_mp3_128_url`, `hls_mp3_128_url` or `preview_mp3_128_url`."""
    described = f"{grant.kind} {grant.format} {grant.mime_type}".lower()
    if grant.preview:
        return "preview_mp3_128_url"
    protocol = "hls" if ("hls" in described or "mpegurl" in described) else "http"
    if "aac" in described or "mp4" in described or "opus" in described:
        return f"{protocol}_aac_160_url"
    return f"{protocol}_mp3_128_url"


def streams(links: Links, grants: list[StreamGrant]) -> dict[str, str]:
    """SoundCloud's Streams shape: one URL per kind of stream."""
    body: dict[str, str] = {}
    for grant in grants:
        body.setdefault(stream_key(grant), links.media(grant.url))
    return body


def preview_url(links: Links, grants: list[StreamGrant]) -> str:
    """The preview URL, else the progressive full stream; NotFound when there is none."""
    chosen = [g for g in grants if g.preview] or [
        g for g in grants if stream_key(g).startswith("http_")
    ]
    if not chosen:
        raise NotFound("no preview is available for this track")
    return links.media(chosen[0].url)


BEARER = "bearer"
"""The legacy endpoint's token type, in lower case as SoundCloud writes it."""


def token(pair: TokenPair) -> TokenResponse:
    """The legacy token endpoint's body (as SoundCloud's /oauth2/token answers)."""
    return TokenResponse(
        access_token=pair.access_token,
        token_type=BEARER,
        expires_in=pair.expires_in,
        scope=pair.scope,
        refresh_token=pair.refresh_token or None,
    )
