"""What the partner routes share: entitlement opts, resource URIs, collection envelopes and
resources located at their URI."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from app.edge.kit import links
from app.edge.partner import representations
from app.edge.partner.representations import PartnerPlaylist, PartnerTrack
from app.value_added.creator import CreatorPlaylist, CreatorTrack

CATALOG: dict[str, Any] = {"entitlement": "partner:catalog"}
INSIGHTS: dict[str, Any] = {"entitlement": "partner:insights"}


class Collection(msgspec.Struct, kw_only=True):
    collection: list[Any]
    next_href: str | None = None


def uri(request: Request[Any, Any, Any], path: str) -> str:
    """The absolute URI of a partner resource (`/tracks/1` → `https://host/partner/tracks/1`)."""
    return links.absolute(request, f"{links.mount_path(request)}{path}")


def collection(
    request: Request[Any, Any, Any], items: list[Any], cursor: str | None = None
) -> Collection:
    return Collection(collection=items, next_href=links.next_href(request, cursor))


def track_at(request: Request[Any, Any, Any], track: CreatorTrack) -> PartnerTrack:
    """A managed track as the partner sees it, with its absolute URI."""
    return representations.track(track, uri(request, f"/tracks/{track.id}"))


def playlist_at(request: Request[Any, Any, Any], playlist: CreatorPlaylist) -> PartnerPlaylist:
    """A managed playlist as the partner sees it, with its absolute URI."""
    return representations.playlist(playlist, uri(request, f"/playlists/{playlist.id}"))
