"""The public API's track representation (track + policy + counts + owner + owner counts), as
the peers build it: from five objects with the tables' column names as attributes.

It follows app/edge/public/representations.py for an anonymous caller with no territory (what
the benchmark's client-credentials token is: no secret token, no territory list, nothing liked):
the harness compares the peers' responses with Soundstack's, field by field, before measuring
(bench/peers/check.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

BASE_URL = "http://bench.soundstack.invalid"
"""Absolute links in every server's responses (Soundstack gets it as BASE_URL too)."""
VISIBLE = (
    "p.sharing = 'public' AND p.taken_down_at IS NULL "
    "AND (p.release_at IS NULL OR p.release_at <= {now})"
)
"""Who may see a track without its secret token: public, released and not taken down."""


USER_COUNTS = {
    "followers_count": "followers",
    "followings_count": "followings",
    "track_count": "public_tracks",
    "playlist_count": "public_playlists",
    "public_favorites_count": "public_likes",
    "likes_count": "public_likes",
    "playlist_likes_count": "public_playlist_likes",
    "reposts_count": "public_reposts",
    "comments_count": "public_comments",
}
"""Representation field -> counters column (an anonymous caller sees what everyone lists)."""
TRACK_COUNTS = {
    "playback_count": "plays",
    "favoritings_count": "likes",
    "likes_count": "likes",
    "reposts_count": "reposts",
    "comment_count": "comments",
    "download_count": "downloads",
}


def base_url() -> str:
    return os.environ.get("BASE_URL", BASE_URL).rstrip("/")


def _utc(moment: Any) -> dt.datetime:
    if isinstance(moment, str):  # raw SQLite
        moment = dt.datetime.fromisoformat(moment)
    aware: dt.datetime = moment
    if aware.tzinfo is None:
        return aware.replace(tzinfo=dt.UTC)  # SQLite stores naive UTC
    return aware.astimezone(dt.UTC)


def when(moment: Any) -> str | None:
    """SoundCloud's timestamp format: `2019/01/15 15:40:49 +0000`."""
    return _utc(moment).strftime("%Y/%m/%d %H:%M:%S +0000") if moment else None


def rfc3339(moment: Any) -> str | None:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def territories(policy: Any) -> list[str] | None:
    """The policy's territories (raw drivers return the JSON column as text)."""
    value = policy.territories
    return json.loads(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def access(policy: Any) -> str:
    """How an anonymous caller without a territory may play the track."""
    if not policy.streamable or territories(policy) is not None:
        return "blocked"
    return "preview" if policy.monetization == "premium" else "playable"


def _present(out: dict[str, Any], **values: Any) -> None:
    """Copy the values that are not None (the schema's strings and numbers are not nullable)."""
    for key, value in values.items():
        if value is not None:
            out[key] = value


def _counted(counts: Any, fields: dict[str, str]) -> dict[str, int]:
    """The counts (zero without a counters row)."""
    return {key: getattr(counts, column) if counts else 0 for key, column in fields.items()}


def user(u: Any, counts: Any, base: str) -> dict[str, Any]:
    urn = f"soundcloud:users:{u.id}"
    out: dict[str, Any] = {"kind": "user", "id": u.id, "urn": urn}
    _present(
        out,
        username=u.username,
        permalink=u.permalink,
        permalink_url=f"{base}/{u.permalink}",
        uri=f"{base}/public/users/{urn}",
        avatar_url=f"{base}/media/artwork/{u.avatar_key}" if u.avatar_key else None,
        first_name=u.first_name,
        last_name=u.last_name,
        full_name=" ".join(p for p in (u.first_name, u.last_name) if p),
        description=u.description,
        city=u.city,
        country=u.country,
        plan=u.plan.capitalize(),
        website=u.website,
        website_title=u.website_title,
        created_at=rfc3339(u.created_at),
        last_modified=rfc3339(u.updated_at),
    )
    out.update(_counted(counts, USER_COUNTS))
    return out


def track(
    t: Any, policy: Any, counts: Any, owner: Any, owner_counts: Any, base: str
) -> dict[str, Any]:
    urn = f"soundcloud:tracks:{t.id}"
    out: dict[str, Any] = {
        "kind": "track",
        "id": t.id,
        "urn": urn,
        "user_id": t.user_id,
        "user_urn": f"soundcloud:users:{t.user_id}",
        "uri": f"{base}/public/tracks/{urn}",
        "embeddable_by": "all",
        "reveal_stats": True,
        "reveal_comments": True,
        "user": user(owner, owner_counts, base),
        "permalink_url": f"{base}/{owner.permalink}/{t.permalink}",
    }
    _present(
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
        artwork_url=f"{base}/media/artwork/{t.artwork_key}" if t.artwork_key else None,
        created_at=when(t.created_at),
        last_modified=when(t.updated_at),
    )
    if t.release_date:
        day = t.release_date
        if isinstance(day, str):  # raw SQLite
            day = dt.date.fromisoformat(day)
        out.update(release_day=day.day, release_month=day.month, release_year=day.year)
    out.update(
        sharing=policy.sharing,
        access=access(policy),
        streamable=bool(policy.streamable),
        downloadable=bool(policy.downloadable),
        commentable=bool(policy.commentable),
        download_url=None,
    )
    out.update(_counted(counts, TRACK_COUNTS))
    out.update(user_favorite=False, user_reposted=False)  # the anonymous caller's: nothing
    return out
