"""Per-request helpers: query parameters, batched owner lookups and list shapes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from litestar import Request, Response

from app.edge.kit.context import EdgeContext
from app.edge.public import representations as rep
from app.edge.public.links import Links
from app.value_added.access import Access, Viewer
from app.value_added.common.cursor import Page
from app.value_added.common.errors import InvalidArgument, Unauthenticated
from app.value_added.common.fieldmask import FieldMask
from app.value_added.playlists import PLAYLIST_PATHS, Playlist
from app.value_added.registry import Services
from app.value_added.tracks import TRACK_PATHS, Comment, Track, UserRef
from app.value_added.users import USER_PATHS, User

MAX_LIMIT = 200
DEFAULT_ACCESS: frozenset[Access] = frozenset({"playable", "preview"})
ALL_ACCESS: frozenset[Access] = frozenset({"playable", "preview", "blocked"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})

TRACK_MASK = FieldMask(p for p in TRACK_PATHS if "." not in p and p != "media")
USER_MASK = FieldMask(p for p in USER_PATHS if "." not in p and p != "viewer")
_PLAYLIST_TOPS = [p for p in PLAYLIST_PATHS if "." not in p and p not in ("tracks", "track_ids")]
PLAYLIST_MASK = FieldMask(_PLAYLIST_TOPS)
PLAYLIST_WITH_TRACKS_MASK = FieldMask(
    [*_PLAYLIST_TOPS, *(f"tracks.{p}" for p in TRACK_PATHS if "." not in p and p != "media")]
)


FetchRefs = Callable[[str | None, int | None], Awaitable[Page[UserRef]]]
"""One page of user references (favoriters, reposters): (cursor, limit) -> page."""


def json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(body, status_code=status, headers=headers, media_type="application/json")


class View:
    """What a handler needs besides the VAS call itself."""

    def __init__(self, request: Request[Any, Any, Any], edge: EdgeContext, viewer: Viewer) -> None:
        self.request = request
        self.services: Services = edge.services
        self.viewer = viewer
        self.links = Links(request)

    # ------------------------------------------------------------------ query parameters

    def param(self, name: str) -> str | None:
        value = self.request.query_params.get(name)
        return value if isinstance(value, str) else None

    def flag(self, name: str, default: bool) -> bool:
        raw = (self.param(name) or "").strip().lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        return default

    @property
    def linked(self) -> bool:
        return self.flag("linked_partitioning", False)

    @property
    def cursor(self) -> str | None:
        return self.param("cursor") or None

    @property
    def secret_token(self) -> str | None:
        return self.param("secret_token") or None

    def limit(self, default: int | None = None) -> int | None:
        """`limit`, clamped to 1..200 as SoundCloud does."""
        raw = self.param("limit")
        if raw is None or not raw.strip():
            return default
        try:
            value = int(raw)
        except ValueError:
            raise InvalidArgument(
                f"limit must be a whole number; got {raw!r}", field="limit"
            ) from None
        return min(max(value, 1), MAX_LIMIT)

    def access(self, default: frozenset[Access] = DEFAULT_ACCESS) -> frozenset[Access]:
        values = [
            v.strip()
            for raw in self.request.query_params.getall("access", [])
            for v in str(raw).split(",")
            if v.strip()
        ]
        chosen: set[Access] = set()
        for level in ALL_ACCESS:
            if level in values:
                chosen.add(level)
        return frozenset(chosen) if chosen else default

    def user_id(self) -> int:
        """The signed-in user (authorization code flow); app-only tokens get 401."""
        if self.viewer.user_id is None:
            raise Unauthenticated(
                "this endpoint needs a user's access token (authorization code flow)",
                reason="user_required",
            )
        return self.viewer.user_id

    # ------------------------------------------------------------------ representations

    async def owners(self, ids: Iterable[int]) -> dict[int, User]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        found = await self.services.users.get_many(self.viewer, wanted, USER_MASK)
        return {u.id: u for u in found}

    async def tracks(self, items: Sequence[Track]) -> list[rep.Json]:
        owners = await self.owners(t.user_id for t in items)
        return [rep.track(t, owners, self.links) for t in items]

    async def track(self, item: Track) -> rep.Json:
        return (await self.tracks([item]))[0]

    async def playlists(self, items: Sequence[Playlist], with_tracks: bool) -> list[rep.Json]:
        ids = [p.user_id for p in items]
        for p in items:
            if isinstance(p.tracks, list):
                ids.extend(t.user_id for t in p.tracks)
        owners = await self.owners(ids)
        return [rep.playlist(p, owners, self.links, with_tracks=with_tracks) for p in items]

    def users(self, items: Sequence[User]) -> list[rep.Json]:
        return [rep.user(u, self.links) for u in items]

    async def users_by_id(self, ids: Sequence[int]) -> list[rep.Json]:
        owners = await self.owners(ids)
        return [rep.user(owners[i], self.links) for i in ids if i in owners]

    async def people(self, fetch: FetchRefs) -> rep.Json:
        """Favoriters or reposters: references from a VAS, their users in one batch."""
        page = await fetch(self.cursor, self.limit())
        users = await self.users_by_id([ref.user_id for ref in page.items])
        return self.collection(users, page.next_cursor)

    async def comments(self, items: Sequence[Comment]) -> list[rep.Json]:
        owners = await self.owners(c.user_id for c in items)
        return [rep.comment(c, owners, self.links) for c in items]

    # ------------------------------------------------------------------ list shapes

    def collection(self, items: list[rep.Json], next_cursor: str | None) -> rep.Json:
        """`{collection, next_href}` with an absolute next link keeping the filters."""
        body: rep.Json = {"collection": items}
        href = self.links.next_href(next_cursor)
        if href:
            body["next_href"] = href
        return body

    def listing(self, items: list[rep.Json], next_cursor: str | None) -> Any:
        """A collection with `linked_partitioning=true`, otherwise the (deprecated) bare array."""
        return self.collection(items, next_cursor) if self.linked else items


def keep_access(items: Sequence[Track], levels: frozenset[Access]) -> list[Track]:
    """Only tracks whose access (computed by the access policy) the caller asked for."""
    if levels == ALL_ACCESS:
        return list(items)
    return [t for t in items if not t.policy or t.policy.access in levels]
