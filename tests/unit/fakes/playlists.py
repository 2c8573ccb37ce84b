"""Fake playlists repository: playlists, their ordered entries, and which sets hold a track."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from app.foundation.playlists.records import EntryRecord, PlaylistRecord
from app.foundation.query import Key, Page
from tests.unit.fakes.state import FIRST_IDS, Repo, build, get_many, keyset_page, like, next_id

PLAYLIST_DEFAULTS: dict[str, Any] = {
    "description": "", "set_type": "playlist", "sharing": "public", "genre": "", "tag_list": "",
    "label_name": "", "release_date": None, "artwork_key": None, "version": 0,
}  # fmt: skip
ORDER = ("created_at", "id")


class FakePlaylists(Repo):
    async def get_many(self, ids: Sequence[int]) -> list[PlaylistRecord]:
        return get_many(self._s.playlists, ids)

    async def get(self, playlist_id: int) -> PlaylistRecord | None:
        return self._s.playlists.get(playlist_id)

    async def lock(self, playlist_id: int, *, shared: bool = False) -> PlaylistRecord | None:
        """Writers are serialized by the fake database, so a lock is a plain read."""
        return self._s.playlists.get(playlist_id)

    async def lock_with_entries(
        self, playlist_id: int
    ) -> tuple[PlaylistRecord | None, list[EntryRecord]]:
        found = self._s.playlists.get(playlist_id)
        return found, (await self.held(playlist_id) if found else [])

    async def by_permalink(self, user_id: int, permalink: str) -> PlaylistRecord | None:
        found = (
            p
            for p in self._s.playlists.values()
            if p.user_id == user_id and p.permalink == permalink
        )
        return next(found, None)

    async def permalinks_with_prefix(self, user_id: int, prefix: str) -> set[str]:
        mine = (p for p in self._s.playlists.values() if p.user_id == user_id)
        return {p.permalink for p in mine if p.permalink.startswith(prefix)}

    async def by_user(
        self, user_id: int, after: Key | None, limit: int, set_type: str | None = None
    ) -> Page[PlaylistRecord]:
        return self._page(lambda p: p.user_id == user_id, after, limit, set_type)

    async def search(
        self, text: str | None, after: Key | None, limit: int, set_type: str | None = None
    ) -> Page[PlaylistRecord]:
        def hit(p: PlaylistRecord) -> bool:
            return all(
                any(like(v.lower(), f"%{w}%") for v in (p.title, p.tag_list, p.genre))
                for w in (text or "").lower().split()
            )

        return self._page(hit, after, limit, set_type)

    async def containing_track(
        self, track_id: int, after: Key | None, limit: int, set_type: str | None = None
    ) -> Page[PlaylistRecord]:
        holders = {e.playlist_id for e in self._s.entries.values() if e.track_id == track_id}
        return self._page(lambda p: p.id in holders, after, limit, set_type)

    def _page(
        self, keep: Any, after: Key | None, limit: int, set_type: str | None
    ) -> Page[PlaylistRecord]:
        found = [
            p
            for p in self._s.playlists.values()
            if keep(p) and (set_type is None or p.set_type == set_type)
        ]
        return keyset_page(found, PlaylistRecord, ORDER, after, limit)

    async def create(
        self, user_id: int, secret_token: str, values: dict[str, Any]
    ) -> PlaylistRecord:
        now = self._now()
        row = (
            {"created_at": now, "updated_at": now}
            | values
            | {
                "id": next_id(self._s.playlists, FIRST_IDS["playlists"]),
                "user_id": user_id,
                "secret_token": secret_token,
                "version": 0,
            }
        )
        record = build(PlaylistRecord, PLAYLIST_DEFAULTS, row)
        self._s.playlists[record.id] = record
        return record

    async def update(self, playlist_id: int, changes: dict[str, Any]) -> PlaylistRecord | None:
        """Apply `changes`, stamp updated_at and bump the version (even with no changes)."""
        old = self._s.playlists.get(playlist_id)
        if old is None:
            return None
        new = msgspec.structs.replace(
            old, **changes, updated_at=self._now(), version=old.version + 1
        )
        self._s.playlists[playlist_id] = new
        return new

    async def touch(self, playlist_id: int) -> None:
        await self.update(playlist_id, {})

    async def delete(self, playlist_id: int) -> bool:
        """Deletes the playlist; its entries, likes, reposts and counters go with it (CASCADE)."""
        if self._s.playlists.pop(playlist_id, None) is None:
            return False
        for eid in [e.id for e in self._s.entries.values() if e.playlist_id == playlist_id]:
            del self._s.entries[eid]
        for kind in ("playlist_likes", "playlist_reposts"):
            edges = self._s.edges[kind]
            for edge in [e for e in edges if e[1] == playlist_id]:
                del edges[edge]
        self._s.playlist_counters.pop(playlist_id, None)
        return True

    async def entries_of(self, playlist_ids: Sequence[int]) -> list[EntryRecord]:
        rank = {p: i for i, p in enumerate(dict.fromkeys(playlist_ids))}
        found = [e for e in self._s.entries.values() if e.playlist_id in rank]
        return sorted(found, key=lambda e: (rank[e.playlist_id], e.position, e.id))

    async def held(self, playlist_id: int) -> list[EntryRecord]:
        return await self.entries_of([playlist_id])

    async def append(
        self,
        playlist_id: int,
        track_ids: Sequence[int],
        after: int,
        *,
        held: Sequence[EntryRecord] | None = None,
    ) -> list[EntryRecord]:
        start = after + 1
        now = self._now()
        added = []
        for i, track_id in enumerate(track_ids):
            eid = next_id(self._s.entries)
            added.append(EntryRecord(eid, playlist_id, track_id, start + i, now))
            self._s.entries[eid] = added[-1]
        return added

    async def remove_track(self, playlist_id: int, track_id: int) -> int:
        doomed = [
            e.id
            for e in self._s.entries.values()
            if e.playlist_id == playlist_id and e.track_id == track_id
        ]
        for eid in doomed:
            del self._s.entries[eid]
        return len(doomed)

    async def set_positions(self, playlist_id: int, positions: dict[int, int]) -> None:
        for eid, position in positions.items():
            if eid in self._s.entries:
                entry = self._s.entries[eid]
                self._s.entries[eid] = msgspec.structs.replace(entry, position=position)
