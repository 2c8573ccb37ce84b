"""What the pages show: VAS aggregates turned into template contexts (and their JSON-LD)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from app.value_added.access import Viewer
from app.value_added.common.errors import NotFound, PermissionDenied
from app.value_added.common.fieldmask import FieldMask
from app.value_added.media import artwork_url
from app.value_added.playlists import Playlist
from app.value_added.registry import Services
from app.value_added.tracks import Track, TrackQuery
from app.value_added.users import User

ANONYMOUS = Viewer(user_id=None, app_id=None, territory=None, plan="free")
"""Pages are the same for everyone (what an anonymous listener may see)."""
_TRACK_TOPS = [
    "title",
    "permalink",
    "description",
    "genre",
    "tag_list",
    "duration_ms",
    "artwork_key",
    "created_at",
    "policy",
    "stats",
]
TRACK_MASK = FieldMask([*_TRACK_TOPS, "media"])
LIST_MASK = FieldMask(_TRACK_TOPS)
USER_MASK = FieldMask(
    ["username", "permalink", "full_name", "description", "city", "avatar_key", "stats"]
)
PLAYLIST_MASK = FieldMask(
    ["title", "permalink", "description", "artwork_key", "created_at", "policy", "stats", "tracks"]
    + [f"tracks.{p}" for p in _TRACK_TOPS]
)
COMMENTS_SHOWN = 100


def clock(ms: int) -> str:
    """`m:ss` (or `h:mm:ss`) of a duration in milliseconds."""
    s = max(ms, 0) // 1000
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def iso_duration(ms: int) -> str:
    s = max(ms, 0) // 1000
    return f"PT{s // 3600}H{s // 60 % 60}M{s % 60}S"


def _iso(moment: Any) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if isinstance(moment, dt.datetime) else None


def user_card(u: User, site: str) -> dict[str, Any]:
    stats = u.stats
    return {
        "id": u.id,
        "name": u.username,
        "full_name": u.full_name or "",
        "description": u.description or "",
        "city": u.city or "",
        "url": f"{site}/{u.permalink}",
        "path": f"/{u.permalink}",
        "avatar": artwork_url(u.avatar_key, "large") if u.avatar_key else None,
        "followers": stats.followers if stats else 0,
        "tracks": stats.tracks if stats else 0,
    }


def track_card(t: Track, owner: User | None, site: str, token: str | None = None) -> dict[str, Any]:
    """What a list shows of a track (title, artist, artwork, duration, plays)."""
    owner_path = f"/{owner.permalink}" if owner else f"/{t.user_id}"
    path = f"{owner_path}/{t.permalink}" + (f"/{token}" if token else "")
    stats = t.stats
    return {
        "id": t.id,
        "title": t.title,
        "path": path,
        "url": site + path,
        "artist": owner.username if owner else "",
        "artist_path": owner_path,
        "artwork": artwork_url(t.artwork_key, "t500x500") if t.artwork_key else None,
        "thumb": artwork_url(t.artwork_key, "large") if t.artwork_key else None,
        "duration_ms": t.duration_ms,
        "duration": clock(t.duration_ms if isinstance(t.duration_ms, int) else 0),
        "plays": stats.plays if stats else 0,
        "likes": stats.likes if stats else 0,
        "reposts": stats.reposts if stats else 0,
        "genre": t.genre or "",
        "created_at": _iso(t.created_at),
    }


async def owners(services: Services, tracks: list[Track]) -> dict[int, User]:
    ids = sorted({t.user_id for t in tracks})
    return {u.id: u for u in await services.users.get_many(ANONYMOUS, ids, USER_MASK)}


async def track_page(
    services: Services,
    site: str,
    user: str,
    permalink: str,
    token: str | None,
    server: str | None = None,
) -> dict[str, Any]:
    """The track page: the track as an anonymous listener (or the secret link's holder) sees
    it — NotFound exactly as for a missing one otherwise — its streams and timed comments."""
    here = server or site  # where media is served (pages may live elsewhere: SITE_URL)
    t = await services.tracks.resolve(ANONYMOUS, user, permalink, TRACK_MASK, token)
    owner = await services.users.get(ANONYMOUS, t.user_id, USER_MASK)
    private = t.policy.sharing == "private" if t.policy else False
    card = track_card(t, owner, site, token if private else None)
    try:
        grants = await services.tracks.streams(ANONYMOUS, t.id, token)
    except PermissionDenied:  # blocked here: the page still shows, without a player source
        grants = []
    progressive = next((g for g in grants if g.kind == "progressive"), None)
    hls = next((g for g in grants if g.kind == "hls"), None)
    page = await services.tracks.comments(ANONYMOUS, t.id, None, COMMENTS_SHOWN, token)
    commenters = {
        u.id: u
        for u in await services.users.get_many(
            ANONYMOUS, sorted({c.user_id for c in page.items}), USER_MASK
        )
    }
    comments = [
        {
            "at_ms": c.timestamp_ms or 0,
            "at": clock(c.timestamp_ms or 0),
            "body": c.body,
            "user": commenters[c.user_id].username if c.user_id in commenters else "",
        }
        for c in sorted(page.items, key=lambda c: c.timestamp_ms or 0)
    ]
    waveform = await services.tracks.waveform_url(t.id, ANONYMOUS, token)
    card |= {
        "description": t.description or "",
        "state": t.media.state if t.media else "none",
        "comments": comments,
        "comment_count": t.stats.comments if t.stats else 0,
        "stream": progressive.url if progressive else None,
        "stream_type": progressive.mime_type if progressive else None,
        "preview": bool(progressive and progressive.preview),
        "hls": hls.url if hls else None,
        "waveform": waveform,
        "token": token if private else None,
        "user": user_card(owner, site),
    }
    card["jsonld"] = {
        "@context": "https://schema.org",
        "@type": "MusicRecording",
        "name": card["title"],
        "url": card["url"],
        "duration": iso_duration(card["duration_ms"]),
        "byArtist": {"@type": "MusicGroup", "name": owner.username, "url": card["user"]["url"]},
        "genre": card["genre"] or None,
        "datePublished": card["created_at"],
        "image": here + card["artwork"] if card["artwork"] else None,
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ListenAction",
            "userInteractionCount": card["plays"],
        },
        "audio": {
            "@type": "AudioObject",
            "contentUrl": here + card["stream"] if card["stream"] else None,
            "encodingFormat": card["stream_type"],
            "duration": iso_duration(card["duration_ms"]),
        },
    }
    return card


ENGAGEMENT_MASK = FieldMask(["viewer"])


async def engagement(
    services: Services, viewer: Viewer, track_id: int, token: str | None
) -> dict[str, bool]:
    """Whether the signed-in listener likes and reposted the track (the page's buttons)."""
    t = await services.tracks.get(viewer, track_id, ENGAGEMENT_MASK, token)
    return {
        "liked": bool(t.viewer and t.viewer.liked),
        "reposted": bool(t.viewer and t.viewer.reposted),
    }


async def playlist_page(
    services: Services, site: str, user: str, permalink: str, token: str | None
) -> dict[str, Any]:
    p: Playlist = await services.playlists.resolve(ANONYMOUS, user, permalink, PLAYLIST_MASK, token)
    tracks = list(p.tracks or [])
    found = await owners(services, tracks)
    owner = await services.users.get(ANONYMOUS, p.user_id, USER_MASK)
    private = p.policy.sharing == "private" if p.policy else False
    path = f"/{owner.permalink}/sets/{p.permalink}" + (f"/{token}" if private and token else "")
    items = [track_card(t, found.get(t.user_id), site) for t in tracks]
    for item in items:  # play-through: each visible track's progressive stream, in order
        try:
            grants = await services.tracks.streams(ANONYMOUS, item["id"])
        except PermissionDenied:
            grants = []
        item["stream"] = next((g.url for g in grants if g.kind == "progressive"), None)
    total = sum(t["duration_ms"] or 0 for t in items)
    return {
        "id": p.id,
        "title": p.title,
        "path": path,
        "url": site + path,
        "description": p.description or "",
        "artwork": artwork_url(p.artwork_key, "t500x500") if p.artwork_key else None,
        "user": user_card(owner, site),
        "tracks": items,
        "duration": clock(total),
        "token": token if private else None,
        "jsonld": {
            "@context": "https://schema.org",
            "@type": "MusicPlaylist",
            "name": p.title,
            "url": site + path,
            "numTracks": len(items),
            "byArtist": {
                "@type": "MusicGroup",
                "name": owner.username,
                "url": f"{site}/{owner.permalink}",
            },
            "track": [
                {
                    "@type": "MusicRecording",
                    "name": t["title"],
                    "url": t["url"],
                    "duration": iso_duration(t["duration_ms"] or 0),
                }
                for t in items
            ],
        },
    }


async def user_page(services: Services, site: str, permalink: str) -> dict[str, Any]:
    u = await services.users.resolve(ANONYMOUS, permalink, USER_MASK)
    tracks = (await services.tracks.by_user(ANONYMOUS, u.id, LIST_MASK, None, 50)).items
    sets = (await services.playlists.by_user(ANONYMOUS, u.id, PLAYLIST_MASK, None, 20)).items
    card = user_card(u, site)
    card["track_list"] = [track_card(t, u, site) for t in tracks]
    card["sets"] = [
        {
            "title": p.title,
            "path": f"/{u.permalink}/sets/{p.permalink}",
            "count": len(p.tracks or []),
            "artwork": artwork_url(p.artwork_key, "large") if p.artwork_key else None,
        }
        for p in sets
    ]
    card["jsonld"] = {
        "@context": "https://schema.org",
        "@type": "MusicGroup",
        "name": u.username,
        "url": card["url"],
        "track": [
            {"@type": "MusicRecording", "name": t["title"], "url": t["url"]}
            for t in card["track_list"]
        ],
    }
    return card


async def recent(services: Services, site: str, text: str | None = None) -> list[dict[str, Any]]:
    """Newest public tracks (the home page), or those matching `text` (the search page)."""
    page = await services.tracks.search(
        ANONYMOUS, TrackQuery(text=text or None), LIST_MASK, None, 24
    )
    found = await owners(services, page.items)
    return [track_card(t, found.get(t.user_id), site) for t in page.items]


async def resolve_url(
    services: Services, site: str, url: str, server: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The track or set a page URL of this site names: ('track' | 'playlist', its page)."""
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in ("http", "https") or not 2 <= len(segments) <= 4:
        raise NotFound("no track or set at this URL")
    if segments[1] == "sets" and len(segments) >= 3:
        token = segments[3] if len(segments) == 4 else None
        return "playlist", await playlist_page(services, site, segments[0], segments[2], token)
    if len(segments) > 3:
        raise NotFound("no track or set at this URL")
    token = segments[2] if len(segments) == 3 else None
    return "track", await track_page(services, site, segments[0], segments[1], token, server)
