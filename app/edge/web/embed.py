"""Batch loading for representations: the owners of a page's items in ONE Users VAS call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from litestar import Request

from app.edge.kit.context import EdgeContext
from app.edge.web.playlists_repr import PLAYLIST
from app.edge.web.shapes import Render, Selection, Shape
from app.edge.web.tracks_repr import TRACK
from app.edge.web.users_repr import BASIC_USER, USER
from app.value_added.access import Viewer
from app.value_added.playlists import Playlist
from app.value_added.tracks import Track


async def render_context(
    edge: EdgeContext,
    viewer: Viewer,
    request: Request[Any, Any, Any],
    user_ids: Iterable[int],
    full_users: bool = False,
    secret_tokens: dict[int, str] | None = None,
) -> Render:
    ids = list(dict.fromkeys(user_ids))
    shape = USER if full_users else BASIC_USER
    found = await edge.services.users.get_many(viewer, ids, shape.all().mask) if ids else []
    return Render(
        request=request, users={u.id: u for u in found}, secret_tokens=secret_tokens or {}
    )


def owners(tracks: Sequence[Track] = (), playlists: Sequence[Playlist] = ()) -> list[int]:
    """Every user a page embeds: track owners, playlist owners and their tracks' owners."""
    ids = [t.user_id for t in tracks]
    for p in playlists:
        ids.append(p.user_id)
        ids.extend(t.user_id for t in (p.tracks or []))
    return ids


async def tracks_page(
    edge: EdgeContext,
    viewer: Viewer,
    request: Request[Any, Any, Any],
    tracks: Sequence[Track],
    selection: Selection,
    shape: Shape[Track] = TRACK,
    full_users: bool = False,
    secret_tokens: dict[int, str] | None = None,
) -> list[dict[str, Any]]:
    ids = owners(tracks) if selection.users else []
    ctx = await render_context(edge, viewer, request, ids, full_users, secret_tokens)
    return [shape.render(t, selection, ctx) for t in tracks]


async def playlists_page(
    edge: EdgeContext,
    viewer: Viewer,
    request: Request[Any, Any, Any],
    playlists: Sequence[Playlist],
    selection: Selection,
    shape: Shape[Playlist] = PLAYLIST,
    full_users: bool = False,
) -> list[dict[str, Any]]:
    ids = owners(playlists=playlists) if selection.users else []
    ctx = await render_context(edge, viewer, request, ids, full_users)
    return [shape.render(p, selection, ctx) for p in playlists]
