"""The api-v2 user: BasicUser (embedded in tracks, playlists, comments), the full User, Me."""

from __future__ import annotations

from typing import Any

from app.edge.web.mappers.shapes import Field, Render, Shape, iso, urn
from app.edge.web.representations import users as v2
from app.value_added.users import User, WebProfile


def _f(paths: tuple[str, ...], get: Any) -> Field[User]:
    return Field(paths, get)


def _const(value: Any) -> Field[User]:
    return Field((), lambda _u, _r: value)


DEFAULT_AVATAR = "/media/avatars/default/large.jpg"


def avatar_url(user: User, r: Render) -> str:
    """Always a URL, as api-v2's: the user's avatar, or the default one we serve."""
    return r.site(f"/media/artwork/{user.avatar_key}" if user.avatar_key else DEFAULT_AVATAR)


def permalink_url(user: User, r: Render) -> str:
    return r.page(f"/{user.permalink}")


def _plan(user: User) -> v2.CreatorSubscription:
    return v2.CreatorSubscription(v2.Product("creator-pro" if user.plan == "premium" else "free"))


BASIC_FIELDS: dict[str, Field[User]] = {
    "id": _f(("id",), lambda u, _r: u.id),
    "avatar_url": _f(("avatar_key",), avatar_url),
    "first_name": _f(("first_name",), lambda u, _r: u.first_name),
    "last_name": _f(("last_name",), lambda u, _r: u.last_name),
    "full_name": _f(("full_name",), lambda u, _r: u.full_name),
    "username": _f(("username",), lambda u, _r: u.username),
    "permalink": _f(("permalink",), lambda u, _r: u.permalink),
    "permalink_url": _f(("permalink",), permalink_url),
    "uri": _f(("id",), lambda u, r: r.url(f"/users/{u.id}")),
    "urn": _f(("id",), lambda u, _r: urn("users", u.id)),
    "last_modified": _f(("updated_at",), lambda u, _r: iso(u.updated_at)),
    "followers_count": _f(("stats.followers",), lambda u, _r: u.stats.followers),
    "city": _f(("city",), lambda u, _r: u.city or None),
    "country_code": _f(("country",), lambda u, _r: u.country),
    "verified": _const(False),
    "badges": _f(
        ("plan",),
        lambda u, _r: v2.Badges(pro=False, pro_unlimited=u.plan == "premium", verified=False),
    ),
    "station_urn": _const(None),
    "station_permalink": _const(None),
}

FULL_FIELDS: dict[str, Field[User]] = {
    **BASIC_FIELDS,
    "created_at": _f(("created_at",), lambda u, _r: iso(u.created_at)),
    "description": _f(("description",), lambda u, _r: u.description or None),
    "followings_count": _f(("stats.followings",), lambda u, _r: u.stats.followings),
    "track_count": _f(("stats.tracks",), lambda u, _r: u.stats.tracks),
    "playlist_count": _f(("stats.playlists",), lambda u, _r: u.stats.playlists),
    "likes_count": _f(("stats.likes",), lambda u, _r: u.stats.likes),
    "playlist_likes_count": _f(("stats.playlist_likes",), lambda u, _r: u.stats.playlist_likes),
    "reposts_count": _f(("stats.reposts",), lambda u, _r: u.stats.reposts),
    "comments_count": _f(("stats.comments",), lambda u, _r: u.stats.comments),
    "groups_count": _const(0),
    "creator_subscription": _f(("plan",), lambda u, _r: _plan(u)),
    "creator_subscriptions": _f(("plan",), lambda u, _r: [_plan(u)]),
    "website": _f(("website",), lambda u, _r: u.website or None),
    "website_title": _f(("website_title",), lambda u, _r: u.website_title or None),
    "visuals": _const(None),
}

USER = Shape(v2.User, FULL_FIELDS)
ME = Shape(
    v2.Me,
    {
        **FULL_FIELDS,
        "private_tracks_count": _f(("stats.private_tracks",), lambda u, _r: u.stats.private_tracks),
        "private_playlists_count": _f(
            ("stats.private_playlists",), lambda u, _r: u.stats.private_playlists
        ),
    },
)
"""The signed-in user: a user and how many of their tracks and playlists are private."""
BASIC_USER = Shape(v2.BasicUser, BASIC_FIELDS)


def owner(shape: Shape[User, Any], user_id: int, r: Render) -> Any:
    """An embedded owner as `shape` renders it; only its id if the Users VAS did not answer."""
    found = r.users.get(user_id)
    return shape.render(found, shape.all(), r) if found is not None else shape.struct(id=user_id)


def web_profile(profile: WebProfile) -> v2.WebProfile:
    return v2.WebProfile(
        id=profile.id,
        network=profile.service,
        service=profile.service,
        title=profile.title,
        url=profile.url,
        username=profile.username or None,
        created_at=iso(profile.created_at),
    )
