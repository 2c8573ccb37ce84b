"""The signed-in user's own resources: profile, home feed, likes, history and own tracks."""

from __future__ import annotations

from functools import partial

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from app.edge.kit.auth import signed_in_user
from app.edge.kit.bounds import PageLimit
from app.edge.kit.routes import USER_READ
from app.edge.mobile import mappers
from app.edge.mobile import representations as rep
from app.edge.mobile.embedding import Embedder
from app.edge.mobile.params import Listing, UserFields
from app.edge.mobile.routes.users import profile


@get("/me", opt=USER_READ, summary="The signed-in user's profile, with latest tracks and playlists")
async def me(
    embed: NamedDependency[Embedder],
    fields: UserFields = None,
) -> rep.ProfileRep:
    return await profile(embed, signed_in_user(embed.viewer), fields)


@get("/home", opt=USER_READ, summary="Newest tracks of the users the signed-in user follows")
async def home(
    embed: NamedDependency[Embedder],
    tracks_listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    return await embed.track_list(tracks_listing, partial(embed.services.tracks.feed, embed.viewer))


@get("/me/likes", opt=USER_READ, summary="Tracks the signed-in user liked")
async def my_likes(
    embed: NamedDependency[Embedder],
    tracks_listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    fetch = partial(embed.services.tracks.liked_by, embed.viewer, signed_in_user(embed.viewer))
    return await embed.track_list(tracks_listing, fetch)


@get("/me/history", opt=USER_READ, summary="Tracks the signed-in user played, most recent first")
async def my_history(
    embed: NamedDependency[Embedder],
    tracks_listing: NamedDependency[Listing],
) -> rep.TrackCollection:
    fetch = partial(embed.services.tracks.recently_played, embed.viewer)
    return await embed.track_list(tracks_listing, fetch)


@get("/me/tracks", opt=USER_READ, summary="The signed-in user's own tracks, private ones included")
async def my_tracks(
    embed: NamedDependency[Embedder],
    limit: PageLimit = None,
    cursor: FromQuery[str | None] = None,
) -> rep.OwnTrackCollection:
    owner = signed_in_user(embed.viewer)
    page = await embed.services.creator.my_tracks(embed.viewer, owner, cursor, limit)
    return rep.OwnTrackCollection(
        collection=[mappers.own_track(t, embed.artwork) for t in page.items],
        next_href=embed.next_href(page),
    )


ROUTES = [me, home, my_likes, my_history, my_tracks]
