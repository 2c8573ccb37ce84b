"""A small seeded catalog for fuzzing every BFF against its own OpenAPI document.

`seed(url, name)` fills a migrated database (SQLite or PostgreSQL) with one app entitled to every
BFF (and the partner's catalog and insights), two users with public tracks, a playlist, likes,
reposts, follows and comments, and the partner grant of the signed-in user; it returns the
credentials and the ids the fuzzer puts into path parameters. Its app and users are named after
`name`, so that one database holds a catalog of its own for each fuzzer run that shares it.
"""

from __future__ import annotations

import msgspec

from app.value_added.identity import BFFS
from app.value_added.registry import build_services
from tests.factories import make_playlist, make_track

SECRET = "bff-fuzz-secret-key-0123456789abcdef"
DELETABLE = 4
LONGEST_MS = 6 * 3600 * 1000
"""The longest a track may be (the media pipeline refuses longer audio): every place a
document allows a timed comment at lies within the fuzzed tracks."""
ENTITLEMENTS = ["read", "write", "insights", "partner:catalog", "partner:insights"]


class Seeded(msgspec.Struct, frozen=True):
    """What the fuzzer needs: credentials and existing resources."""

    client_id: str
    client_secret: str
    redirect_uri: str
    token: str
    """A user token of `user` with every scope (the refresh token is `refresh_token`)."""
    refresh_token: str
    spare_token: str
    """Another token of `user` (of its own family), for signing out."""
    app_token: str
    """A client-credentials token of the same app."""
    user: int
    username: str
    other: int
    tracks: list[int]
    """The signed-in user's public tracks."""
    other_tracks: list[int]
    playlist: int
    other_playlist: int
    comment: int
    deletable_tracks: list[int]
    deletable_playlists: list[int]


async def seed(url: str, name: str = "fuzz") -> Seeded:
    services = build_services(url, SECRET)
    identity, db = services.identity, services.deps.db
    try:
        redirect_uri = "http://localhost:9999/callback"
        created = await identity.create_app(
            f"bff-fuzzer-{name}", sorted(BFFS), ENTITLEMENTS, [redirect_uri]
        )
        app = await identity.app_by_client_id(created.client_id)
        assert app is not None
        user = await identity.create_user(f"{name}_artist", "correct horse battery", country="DE")
        other = await identity.create_user(f"{name}_other", "correct horse battery", country="DE")
        tracks = [
            await make_track(
                db, user.id, title=f"Fuzz song {i}", genre="house", bpm=120, duration_ms=LONGEST_MS
            )
            for i in range(2)
        ]
        other_tracks = [
            await make_track(db, other.id, title=f"Other song {i}", duration_ms=LONGEST_MS)
            for i in range(2)
        ]
        playlist = await make_playlist(db, user.id, tracks)
        other_playlist = await make_playlist(db, other.id, other_tracks)
        pair = await identity.issue_for_user(app, user.id)
        other_pair = await identity.issue_for_user(app, other.id)
        viewer = (await identity.principal(pair.access_token)).viewer()  # type: ignore[union-attr]
        other_viewer = (await identity.principal(other_pair.access_token)).viewer()  # type: ignore[union-attr]
        await services.users.follow(viewer, other.id)
        await services.users.follow(other_viewer, user.id)
        await services.tracks.like(viewer, other_tracks[0])
        await services.tracks.repost(viewer, other_tracks[1])
        await services.tracks.like(other_viewer, tracks[0])
        await services.playlists.like(viewer, other_playlist)
        await services.playlists.repost(other_viewer, playlist)
        comment = await services.tracks.comment(other_viewer, tracks[0], "great track", 1000)
        await services.tracks.record_play(other_viewer, tracks[0])
        await identity.grant_partner(app.id, user.id)
        deletable_tracks = [await make_track(db, user.id) for _ in range(DELETABLE)]
        deletable_playlists = [await make_playlist(db, user.id, []) for _ in range(DELETABLE)]
        spare = await identity.issue_for_user(app, user.id)
        app_token = (await identity.issue_client_credentials(app)).access_token
        return Seeded(
            client_id=created.client_id,
            client_secret=created.client_secret or "",
            redirect_uri=redirect_uri,
            token=pair.access_token,
            refresh_token=pair.refresh_token or "",
            spare_token=spare.access_token,
            app_token=app_token,
            user=user.id,
            username=user.username,
            other=other.id,
            tracks=tracks,
            other_tracks=other_tracks,
            playlist=playlist,
            other_playlist=other_playlist,
            comment=comment.id,
            deletable_tracks=deletable_tracks,
            deletable_playlists=deletable_playlists,
        )
    finally:
        await services.close()
