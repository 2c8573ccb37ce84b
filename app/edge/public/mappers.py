"""Aggregates to SoundCloud's representations (app.edge.public.representations) and the list
shapes; pure functions of the aggregates and the request's links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from msgspec import UNSET, UnsetType

from app.edge.kit.links import Links
from app.edge.kit.oauth_forms import TokenResponse
from app.edge.public import representations as rep
from app.edge.public.params.ids import urn
from app.value_added.common.errors import NotFound
from app.value_added.common.fieldmask import FieldMask
from app.value_added.identity import TokenPair
from app.value_added.media import StreamGrant
from app.value_added.playlists import PLAYLIST_PATHS, Playlist
from app.value_added.tracks import TRACK_PATHS, Comment, Track
from app.value_added.users import USER_PATHS, User, WebProfile

TRACK_MASK = FieldMask(p for p in TRACK_PATHS if "." not in p)
USER_MASK = FieldMask(p for p in USER_PATHS if "." not in p and p != "viewer")
_PLAYLIST_TOPS = [p for p in PLAYLIST_PATHS if "." not in p and p not in ("tracks", "track_ids")]
PLAYLIST_MASK = FieldMask(_PLAYLIST_TOPS)
PLAYLIST_WITH_TRACKS_MASK = FieldMask(
    [*_PLAYLIST_TOPS, *(f"tracks.{p}" for p in TRACK_PATHS if "." not in p and p != "media")]
)
"""What the representations below read from the aggregates."""
QUOTA = rep.Quota(unlimited_upload_quota=True, upload_seconds_used=0, upload_seconds_left=None)
"""Every account's upload quota: unlimited."""
PageT = TypeVar("PageT", rep.Tracks, rep.Playlists, rep.Users, rep.Comments, rep.Activities)
PersonT = TypeVar("PersonT", bound=rep.Person)
ValueT = TypeVar("ValueT")
ItemT = TypeVar("ItemT")


def when(moment: dt.datetime) -> str:
    """SoundCloud's timestamp format: `2019/01/15 15:40:49 +0000`."""
    m = moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment
    # (strftime's "%Y/%m/%d %H:%M:%S +0000", its year unpadded as the C library's, formatted
    # directly: a third cheaper, two per track)
    return f"{m.year}/{m.month:02d}/{m.day:02d} {m.hour:02d}:{m.minute:02d}:{m.second:02d} +0000"


def _when(moment: dt.datetime | UnsetType) -> str | UnsetType:
    return when(moment) if moment else UNSET


def rfc3339(moment: dt.datetime | UnsetType) -> dt.datetime | UnsetType:
    """RFC 3339 in UTC to the second (`2019-01-15T15:40:49Z` as JSON), where the document
    declares `format: date-time` (User.created_at); a naive moment is UTC."""
    if not moment:
        return UNSET
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC, microsecond=0)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def present(value: ValueT | UnsetType | None) -> ValueT | UnsetType:
    """A nullable value as the document has it: absent, never null."""
    return UNSET if value is None else value


def _site_page(links: Links, *segments: str) -> str:
    """The deployment's page at these path segments (`/alice/sets/mix`)."""
    return links.page("/" + "/".join(segments))


def _person(
    kind: Callable[..., PersonT],
    u: User,
    links: Links,
    stamp: Callable[[dt.datetime | UnsetType], Any],
    **extra: Any,
) -> PersonT:
    """A User or a Me: the fields both have, each with its own timestamps."""
    user_urn = urn("users", u.id)
    out = kind(
        id=u.id,
        urn=user_urn,
        username=u.username,
        permalink=u.permalink,
        permalink_url=_site_page(links, u.permalink if isinstance(u.permalink, str) else str(u.id)),
        uri=links.api(f"/users/{user_urn}"),
        avatar_url=links.media(f"/media/artwork/{u.avatar_key}") if u.avatar_key else UNSET,
        first_name=u.first_name,
        last_name=u.last_name,
        full_name=u.full_name,
        description=u.description,
        city=u.city,
        country=present(u.country),
        plan=u.plan.capitalize() if isinstance(u.plan, str) else UNSET,
        website=u.website,
        website_title=u.website_title,
        created_at=stamp(u.created_at),
        last_modified=stamp(u.updated_at),
        **extra,
    )
    s = u.stats
    if s:
        out.followers_count = s.followers
        out.followings_count = s.followings
        out.track_count = s.tracks
        out.playlist_count = s.playlists
        out.public_favorites_count = s.likes
        out.likes_count = s.likes
        out.playlist_likes_count = s.playlist_likes
        out.reposts_count = s.reposts
        out.comments_count = s.comments
    return out


def user(u: User, links: Links) -> rep.User:
    """A User; its schema declares RFC 3339 `date-time` timestamps (unlike every other one)."""
    return _person(rep.User, u, links, rfc3339)


def me(u: User, links: Links) -> rep.Me:
    """The signed-in user: a User plus the account fields of SoundCloud's Me schema."""
    out = _person(
        rep.Me,
        u,
        links,
        _when,
        online=False,
        primary_email_confirmed=False,
        locale=None,
        upload_seconds_left=None,
        quota=QUOTA,
    )
    if u.stats and u.stats.private_tracks is not None:
        out.private_tracks_count = u.stats.private_tracks
        out.private_playlists_count = present(u.stats.private_playlists)
    return out


def _artwork(links: Links, key: str | UnsetType | None) -> str | UnsetType:
    return links.media(f"/media/artwork/{key}") if key else UNSET


def _owner_page(out: Any, owner: User | None, links: Links, *permalink: Any) -> None:
    """The owner's user object, and the entity's page under the owner's (when both are known)."""
    if owner is None:
        return
    out.user = user(owner, links)
    if isinstance(owner.permalink, str) and all(isinstance(part, str) for part in permalink):
        out.permalink_url = _site_page(links, owner.permalink, *permalink)


def _release(out: Any, day: dt.date | UnsetType | None) -> None:
    if day:
        out.release_day, out.release_month, out.release_year = day.day, day.month, day.year


def track(t: Track, owners: Mapping[int, User], links: Links) -> rep.Track:
    track_urn = urn("tracks", t.id)
    out = rep.Track(
        id=t.id,
        urn=track_urn,
        user_id=t.user_id,
        user_urn=urn("users", t.user_id),
        uri=links.api(f"/tracks/{track_urn}"),
        embeddable_by="all",
        reveal_stats=True,
        reveal_comments=True,
        title=t.title,
        permalink=t.permalink,
        description=t.description,
        genre=t.genre,
        tag_list=t.tag_list,
        duration=t.duration_ms,
        bpm=present(t.bpm),
        key_signature=t.key_signature,
        isrc=present(t.isrc),
        license=t.license,
        label_name=t.label_name,
        purchase_url=t.purchase_url,
        purchase_title=t.purchase_title,
        artwork_url=_artwork(links, t.artwork_key),
        created_at=_when(t.created_at),
        last_modified=_when(t.updated_at),
    )
    _owner_page(out, owners.get(t.user_id), links, t.permalink)
    _release(out, t.release_date)
    p = t.policy
    if p:
        out.sharing, out.access, out.streamable = p.sharing, p.access, p.streamable
        out.downloadable, out.commentable = p.downloadable, p.commentable
        out.download_url = None
        if p.secret_token:
            out.secret_token = p.secret_token
            out.secret_uri = links.api(f"/tracks/{track_urn}?secret_token={p.secret_token}")
        if p.territories:
            out.available_country_codes = ",".join(p.territories)
    s = t.stats
    if s:
        out.playback_count, out.favoritings_count, out.likes_count = s.plays, s.likes, s.likes
        out.reposts_count, out.comment_count, out.download_count = (
            s.reposts,
            s.comments,
            s.downloads,
        )
    if t.viewer:
        out.user_favorite, out.user_reposted = t.viewer.liked, t.viewer.reposted
    if t.media:
        out.media = rep.TrackMedia(state=t.media.state)
    return out


def playlist(
    p: Playlist, owners: Mapping[int, User], links: Links, *, with_tracks: bool
) -> rep.Playlist:
    playlist_urn = urn("playlists", p.id)
    out = rep.Playlist(
        id=p.id,
        urn=playlist_urn,
        user_id=p.user_id,
        user_urn=urn("users", p.user_id),
        uri=links.api(f"/playlists/{playlist_urn}"),
        tracks_uri=links.api(f"/playlists/{playlist_urn}/tracks"),
        embeddable_by="all",
        streamable=True,
        downloadable=False,
        license="all-rights-reserved",
        title=p.title,
        permalink=p.permalink,
        description=p.description,
        genre=p.genre,
        tag_list=p.tag_list,
        label_name=p.label_name,
        playlist_type=p.set_type,
        type=p.set_type,
        artwork_url=_artwork(links, p.artwork_key),
        created_at=_when(p.created_at),
        last_modified=_when(p.updated_at),
    )
    _owner_page(out, owners.get(p.user_id), links, "sets", p.permalink)
    _release(out, p.release_date)
    if p.policy:
        out.sharing = p.policy.sharing
        if p.policy.secret_token:
            out.secret_token = p.policy.secret_token
            out.secret_uri = links.api(
                f"/playlists/{playlist_urn}?secret_token={p.policy.secret_token}"
            )
    s = p.stats
    if s:
        out.duration, out.track_count = s.duration_ms, s.tracks
        out.likes_count, out.reposts_count = s.likes, s.reposts
    if p.viewer:
        out.user_favorite = p.viewer.liked
    if with_tracks and isinstance(p.tracks, list):
        out.tracks = [track(t, owners, links) for t in p.tracks]
    return out


def comment(c: Comment, owners: Mapping[int, User], links: Links) -> rep.Comment:
    comment_urn = urn("comments", c.id)
    owner = owners.get(c.user_id)
    return rep.Comment(
        id=c.id,
        urn=comment_urn,
        body=c.body,
        created_at=when(c.created_at),
        track_id=c.track_id,
        track_urn=urn("tracks", c.track_id),
        user_id=c.user_id,
        user_urn=urn("users", c.user_id),
        uri=links.api(f"/comments/{comment_urn}"),
        timestamp=str(c.timestamp_ms) if c.timestamp_ms is not None else UNSET,
        user=user(owner, links) if owner is not None else UNSET,
    )


def web_profile(w: WebProfile) -> rep.WebProfile:
    return rep.WebProfile(
        id=w.id,
        urn=urn("web-profiles", w.id),
        service=w.service,
        title=w.title,
        url=w.url,
        username=w.username,
        created_at=when(w.created_at),
    )


def activity(t: rep.Track) -> rep.Activity:
    """A feed item: the track, when it was posted."""
    return rep.Activity(type="track", created_at=t.created_at or "", origin=t)


def collection(kind: type[PageT], links: Links, items: list[Any], next_cursor: str | None) -> PageT:
    """`{collection, next_href}` with an absolute next link keeping the filters."""
    href = links.next_href(next_cursor)
    return kind(collection=items, next_href=href) if href else kind(collection=items)


def listing(
    kind: type[PageT], links: Links, linked: bool, items: list[ItemT], next_cursor: str | None
) -> PageT | list[ItemT]:
    """A page with `linked_partitioning=true`, otherwise the (deprecated) bare array."""
    return collection(kind, links, items, next_cursor) if linked else items


def stream_key(grant: StreamGrant) -> str:
    """`hls_aac_160_url`, `http_aac_160_url`, `http_mp3_128_url`, `hls_mp3_128_url` or
    `preview_mp3_128_url`."""
    described = f"{grant.kind} {grant.format} {grant.mime_type}".lower()
    if grant.preview:
        return "preview_mp3_128_url"
    protocol = "hls" if ("hls" in described or "mpegurl" in described) else "http"
    if "aac" in described or "mp4" in described or "opus" in described:
        return f"{protocol}_aac_160_url"
    return f"{protocol}_mp3_128_url"


def streams(links: Links, grants: list[StreamGrant]) -> rep.Streams:
    """SoundCloud's Streams shape: one URL per kind of stream."""
    body: dict[str, str] = {}
    for grant in grants:
        body.setdefault(stream_key(grant), links.media(grant.url))
    return rep.Streams(**body)


def preview_url(links: Links, grants: list[StreamGrant]) -> str:
    """The preview URL, else the progressive full stream; NotFound when there is none."""
    chosen = [g for g in grants if g.preview] or [
        g for g in grants if stream_key(g).startswith("http_")
    ]
    if not chosen:
        raise NotFound("no preview is available for this track")
    return links.media(chosen[0].url)


def found(location: str) -> rep.Found:
    """A redirect's body."""
    return rep.Found(status="302 - Found", location=location)


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
