"""Fake social repository: user→target edges (likes, reposts, follows) and timed comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from app.foundation.counters.repository import Increment
from app.foundation.query import Key, Page
from app.foundation.social.records import CommentRecord, EdgeRecord
from tests.unit.fakes.state import FIRST_IDS, Repo, State, keyset_page, next_id

COMMENT_ORDER = ("created_at", "id")


class FakeEdges(Repo):
    """One relation; `_edges` maps (user id, target id) to the edge's creation time."""

    def __init__(self, state: State, clock: Callable[[], dt.datetime], kind: str) -> None:
        super().__init__(state, clock)
        self._edges = state.edges[kind]

    async def add(self, user_id: int, target_id: int) -> bool:
        if (user_id, target_id) in self._edges:
            return False
        self._edges[(user_id, target_id)] = self._now()
        return True

    async def remove(self, user_id: int, target_id: int) -> bool:
        return self._edges.pop((user_id, target_id), None) is not None

    async def toggle(
        self, user_id: int, target_id: int, on: bool, increments: Sequence[Increment]
    ) -> tuple[bool, list[Any]]:
        """Add or remove the edge; only when that changed it, each increment's deltas."""
        changed = await (self.add if on else self.remove)(user_id, target_id)
        return changed, await _incremented(increments) if changed else [None] * len(increments)

    async def exists(self, user_id: int, target_id: int) -> bool:
        return (user_id, target_id) in self._edges

    async def which(self, user_id: int, target_ids: Sequence[int]) -> set[int]:
        return {t for t in target_ids if (user_id, t) in self._edges}

    async def sources_among(self, target_id: int, user_ids: Sequence[int]) -> set[int]:
        return {u for u in user_ids if (u, target_id) in self._edges}

    async def both_ways(self, user_id: int, others: Sequence[int]) -> tuple[set[int], set[int]]:
        return await self.which(user_id, others), await self.sources_among(user_id, others)

    async def of_user(self, user_id: int, after: Key | None, limit: int) -> Page[EdgeRecord]:
        found = [self._record(e) for e in self._edges if e[0] == user_id]
        return keyset_page(found, EdgeRecord, ("created_at", "target_id"), after, limit)

    async def to_target(self, target_id: int, after: Key | None, limit: int) -> Page[EdgeRecord]:
        found = [self._record(e) for e in self._edges if e[1] == target_id]
        return keyset_page(found, EdgeRecord, ("created_at", "user_id"), after, limit)

    async def all_users(self, target_id: int) -> list[int]:
        return [u for u, t in self._edges if t == target_id]

    def _record(self, edge: tuple[int, int]) -> EdgeRecord:
        return EdgeRecord(user_id=edge[0], target_id=edge[1], created_at=self._edges[edge])

    # seeding
    async def add_timed(self, rows: Sequence[tuple[int, int, dt.datetime]]) -> None:
        for user_id, target_id, at in rows:
            self._edges[(user_id, target_id)] = at


class FakeSocial(Repo):
    def __init__(self, state: State, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(state, clock)
        self.track_likes = FakeEdges(state, clock, "track_likes")
        self.track_reposts = FakeEdges(state, clock, "track_reposts")
        self.playlist_likes = FakeEdges(state, clock, "playlist_likes")
        self.playlist_reposts = FakeEdges(state, clock, "playlist_reposts")
        self.follows = FakeEdges(state, clock, "follows")

    async def load_target_sets(
        self,
        user_id: int,
        edges: Sequence[FakeEdges],
        incoming: FakeEdges | None = None,
        among: Sequence[int] = (),
    ) -> None:
        """Nothing to read ahead: each fake set answers `which` and `sources_among` from
        memory."""

    async def add_comment(
        self, track_id: int, user_id: int, body: str, timestamp_ms: int | None
    ) -> CommentRecord:
        cid = next_id(self._s.comments, FIRST_IDS["comments"])
        record = CommentRecord(cid, track_id, user_id, body, timestamp_ms, self._now())
        self._s.comments[cid] = record
        return record

    async def add_comment_counted(
        self,
        track_id: int,
        user_id: int,
        body: str,
        timestamp_ms: int | None,
        increments: Sequence[Increment],
    ) -> tuple[CommentRecord, list[Any]]:
        comment = await self.add_comment(track_id, user_id, body, timestamp_ms)
        return comment, await _incremented(increments)

    async def comment(self, comment_id: int) -> CommentRecord | None:
        return self._s.comments.get(comment_id)

    async def delete_comment(self, comment_id: int) -> bool:
        return self._s.comments.pop(comment_id, None) is not None

    async def comments_of_track(
        self, track_id: int, after: Key | None, limit: int
    ) -> Page[CommentRecord]:
        found = [c for c in self._s.comments.values() if c.track_id == track_id]
        return keyset_page(found, CommentRecord, COMMENT_ORDER, after, limit)

    async def comments_of_user(
        self, user_id: int, after: Key | None, limit: int
    ) -> Page[CommentRecord]:
        found = [c for c in self._s.comments.values() if c.user_id == user_id]
        return keyset_page(found, CommentRecord, COMMENT_ORDER, after, limit)

    # seeding
    async def add_comments(self, rows: Sequence[dict[str, Any]]) -> None:
        for row in rows:
            self._s.comments[row["id"]] = CommentRecord(**row)


async def _incremented(increments: Sequence[Increment]) -> list[Any]:
    """Each increment's new counts (None for one without deltas), as the real ones add them."""
    return [
        await i.counters.add(i.entity_id, **i.deltas) if any(i.deltas.values()) else None
        for i in increments
    ]
