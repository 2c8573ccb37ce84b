"""Profiles with embedded tracks and playlists, social lists, and follow/unfollow."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency

from app.edge.kit.bounds import PathId
from app.edge.kit.representation import Encoded
from app.edge.kit.routes import CATALOG, WRITE
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.dependencies import embedder_of
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.params import PLAYLIST_CARD_MASK, Listing, UserFields, user_mask
from app.value_added.common.fieldmask import FieldMask

USER = "/users/{user_id:int}"
TOP = 10
"""How many of the latest tracks and playlists a profile embeds."""


async def profile(embed: Embedder, user_id: int, fields: str | None) -> rep.ProfileRep:
    """The user, latest tracks and playlists (the user is each one's embedded owner)."""
    mask = user_mask(fields)
    user = await embed.services.users.get(embed.viewer, user_id, mask.vas)
    card = rep.ProfileRep(id=user.id, **mappers.user_fields(user, embed.artwork, embed.signed_in))
    owners = {user.id: embed.card(user)}
    if mask.wants("top_tracks"):
        tracks = await embed.services.tracks.by_user(
            embed.viewer, user_id, FieldMask.all(), None, TOP
        )
        card.top_tracks = await embed.tracks(tracks.items, owners=owners)
    if mask.wants("playlists"):
        playlists = await embed.services.playlists.by_user(
            embed.viewer, user_id, PLAYLIST_CARD_MASK, None, TOP
        )
        card.playlists = [
            mappers.playlist(p, embed.artwork, owners, embed.signed_in) for p in playlists.items
        ]
    return card


@get(USER, opt=CATALOG, summary="A profile with counts, latest tracks and playlists")
async def get_user(
    user_id: PathId, embed: NamedDependency[Embedder], fields: UserFields = None
) -> rep.ProfileRep:
    return await profile(embed, user_id, fields)


@get(f"{USER}/tracks", opt=CATALOG, summary="A user's tracks, newest first")
async def user_tracks(
    user_id: PathId,
    embed: NamedDependency[Embedder],
    tracks_listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    fetch = partial(embed.services.tracks.by_user, embed.viewer, user_id)
    return await embed.track_list(tracks_listing, fetch)


@get(f"{USER}/likes", opt=CATALOG, summary="Tracks a user liked, with their owners")
async def user_likes(
    user_id: PathId,
    embed: NamedDependency[Embedder],
    tracks_listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    fetch = partial(embed.services.tracks.liked_by, embed.viewer, user_id)
    return await embed.track_list(tracks_listing, fetch)


@get(f"{USER}/playlists", opt=CATALOG, summary="A user's playlists with their tracks")
async def user_playlists(
    user_id: PathId,
    embed: NamedDependency[Embedder],
    playlists_listing: NamedDependency[Listing],
) -> rep.PlaylistCollection:
    fetch = partial(embed.services.playlists.by_user, embed.viewer, user_id)
    return await embed.playlist_list(playlists_listing, fetch)


@get(f"{USER}/followers", opt=CATALOG, summary="Who follows this user")
async def followers(
    user_id: PathId,
    embed: NamedDependency[Embedder],
    users_listing: NamedDependency[Listing],
) -> rep.UserCollection:
    fetch = partial(embed.services.users.followers, embed.viewer, user_id)
    return await embed.user_list(users_listing, fetch)


@get(f"{USER}/followings", opt=CATALOG, summary="Whom this user follows")
async def followings(
    user_id: PathId,
    embed: NamedDependency[Embedder],
    users_listing: NamedDependency[Listing],
) -> rep.UserCollection:
    fetch = partial(embed.services.users.followings, embed.viewer, user_id)
    return await embed.user_list(users_listing, fetch)


@post(f"{USER}/follow", opt=WRITE, status_code=200, summary="Follow a user (idempotent)")
async def follow(user_id: PathId, request: Request[Any, Any, Any]) -> Response[rep.FollowState]:
    embed = embedder_of(request)
    return Encoded(mappers.follow_state(await embed.services.users.follow(embed.viewer, user_id)))


@delete(f"{USER}/follow", opt=WRITE, status_code=200, summary="Unfollow a user (idempotent)")
async def unfollow(user_id: PathId, request: Request[Any, Any, Any]) -> Response[rep.FollowState]:
    embed = embedder_of(request)
    return Encoded(mappers.follow_state(await embed.services.users.unfollow(embed.viewer, user_id)))


ROUTES = [
    get_user,
    user_tracks,
    user_likes,
    user_playlists,
    followers,
    followings,
    follow,
    unfollow,
]
