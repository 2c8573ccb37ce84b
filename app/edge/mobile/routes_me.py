"""The signed-in user's own resources: profile, home feed, likes, history and own tracks."""

from __future__ import annotations

from functools import partial

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit.caller import Caller
from app.edge.mobile import listing as listing_of
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.deps import signed_in_user
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.listing import Listing
from app.edge.mobile.routes_users import profile


@get("/me", summary="The signed-in user's profile, with latest tracks and playlists")
async def me(
    caller: NamedDependency[Caller],
    embed: NamedDependency[Embedder],
    fields: FromQuery[str | None] = None,
) -> rep.ProfileRep:
    return await profile(embed, signed_in_user(caller), fields)


@get("/home", summary="Newest tracks of the users the signed-in user follows")
async def home(
    caller: NamedDependency[Caller],
    embed: NamedDependency[Embedder],
    listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    signed_in_user(caller)
    return await listing_of.tracks(
        embed, listing, partial(embed.services.tracks.feed, embed.viewer)
    )


@get("/me/likes", summary="Tracks the signed-in user liked")
async def my_likes(
    caller: NamedDependency[Caller],
    embed: NamedDependency[Embedder],
    listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    fetch = partial(embed.services.tracks.liked_by, embed.viewer, signed_in_user(caller))
    return await listing_of.tracks(embed, listing, fetch)


@get("/me/history", summary="Tracks the signed-in user played, most recent first")
async def my_history(
    caller: NamedDependency[Caller],
    embed: NamedDependency[Embedder],
    listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    signed_in_user(caller)
    fetch = partial(embed.services.tracks.recently_played, embed.viewer)
    return await listing_of.tracks(embed, listing, fetch)


@get("/me/tracks", summary="The signed-in user's own tracks, private ones included")
async def my_tracks(
    caller: NamedDependency[Caller],
    embed: NamedDependency[Embedder],
    limit: FromQuery[int | None] = None,
    cursor: FromQuery[str | None] = None,
) -> rep.OwnTrackCollection:
    page = await embed.services.creator.my_tracks(
        embed.viewer, signed_in_user(caller), cursor, limit
    )
    return rep.OwnTrackCollection(
        collection=[mappers.own_track(t, embed.artwork) for t in page.items],
        next_href=embed.next_href(page),
    )


ROUTES = [me, home, my_likes, my_history, my_tracks]
