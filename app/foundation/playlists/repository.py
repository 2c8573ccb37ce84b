"""Playlists repository: playlists/albums, their ordered entries, and which sets hold a track."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import Dialect

from app.foundation.bulk_insert import insert_tuples
from app.foundation.cache import CacheSession, cached_records
from app.foundation.db import table_of, utcnow
from app.foundation.ids import last_id
from app.foundation.lazy import LazyConnection
from app.foundation.playlists.records import EntryRecord, PlaylistRecord
from app.foundation.playlists.tables import PlaylistEntryRow, PlaylistRow
from app.foundation.prepared_writes import PreparedWrite
from app.foundation.query import (
    Key,
    Page,
    columns_of,
    fetch_by_keys,
    fetch_one,
    fetch_page,
    records_by_keys,
    select_records,
    unique,
)

playlists = table_of(PlaylistRow)
entries = table_of(PlaylistEntryRow)
ORDER = [playlists.c.created_at, playlists.c.id]
PLAYLIST_LOAD_COLUMNS = (
    "id", "user_id", "title", "permalink", "description", "set_type", "sharing", "secret_token",
    "genre", "tag_list", "label_name", "release_date", "artwork_key", "version", "created_at",
    "updated_at",
)  # fmt: skip
ENTRY_LOAD_COLUMNS = ("playlist_id", "track_id", "position", "added_at")
_WITH_ENTRIES = (
    *columns_of(playlists, PlaylistRecord),
    *columns_of(entries, EntryRecord),
)
"""A playlist's columns, then one of its entries' (NULL when it has none), a row per entry."""
_HOLDING = playlists.outerjoin(entries, entries.c.playlist_id == playlists.c.id)


@functools.lru_cache(maxsize=32)
def _append_entries(dialect: Dialect, rows: int) -> PreparedWrite:
    """INSERT of `rows` entries in one statement, returning them as records; row i's values
    bound as `_<column>_<i>`."""
    values = [
        {n: bindparam(f"_{n}_{i}", type_=entries.c[n].type) for n in ENTRY_LOAD_COLUMNS}
        for i in range(rows)
    ]
    stmt = insert(entries).values(values).returning(*columns_of(entries, EntryRecord))
    return PreparedWrite(stmt, dialect)


@functools.cache
def _touch(dialect: Dialect) -> PreparedWrite:
    """Bump one playlist's version and updated_at (`_id`, `_at`)."""
    stmt = (
        update(playlists)
        .where(playlists.c.id == bindparam("_id", type_=playlists.c.id.type))
        .values(
            updated_at=bindparam("_at", type_=playlists.c.updated_at.type),
            version=playlists.c.version + 1,
        )
    )
    return PreparedWrite(stmt.returning(*columns_of(playlists, PlaylistRecord)), dialect)


class PlaylistsRepository:
    """Reads and writes of the `playlists` and `playlist_entries` tables."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    def _changed(self, playlist_ids: Iterable[int]) -> None:
        ids = list(playlist_ids)
        self._cache.invalidate("playlist", ids)
        self._cache.invalidate("entries", ids)

    async def get_many(self, ids: Sequence[int]) -> list[PlaylistRecord]:
        if not ids:
            return []
        return await cached_records(self._cache, "playlist", ids, self._load)

    async def _load(self, ids: list[Any]) -> list[PlaylistRecord]:
        return await records_by_keys(self._conn, playlists, PlaylistRecord, "id", ids)

    async def get(self, playlist_id: int) -> PlaylistRecord | None:
        found = await self.get_many([playlist_id])
        return found[0] if found else None

    async def lock(self, playlist_id: int, *, shared: bool = False) -> PlaylistRecord | None:
        """Read the playlist for an update that must not interleave with another one; `shared`
        for a command that only counts by it (a like), which must not interleave with its
        deletion or a change of its sharing but may with other likes."""
        if self._conn.dialect.name != "postgresql":  # (SQLite: the write lock is the lock)
            found = await records_by_keys(
                self._conn, playlists, PlaylistRecord, "id", [playlist_id]
            )
            return found[0] if found else None
        stmt = select_records(playlists, PlaylistRecord).where(playlists.c.id == playlist_id)
        stmt = stmt.with_for_update(read=shared)
        return await fetch_one(self._conn, stmt, PlaylistRecord)

    async def lock_with_entries(
        self, playlist_id: int
    ) -> tuple[PlaylistRecord | None, list[EntryRecord]]:
        """`lock` the playlist (for update), with its entries in position order as the database
        holds them now (never the cache's: give them to `append`). SQLite: one statement (the
        transaction holds the write lock, nothing changes under it). PostgreSQL: the lock, then
        the entries — in one statement they would be read from its snapshot, taken before the
        lock was granted, missing what the transaction it waited for committed (only the locked
        row is read again)."""
        if self._conn.dialect.name == "postgresql":
            playlist = await self.lock(playlist_id)
            return playlist, (await self.held(playlist_id) if playlist is not None else [])
        rows = await fetch_by_keys(
            self._conn, _WITH_ENTRIES, playlists.c.id, [playlist_id], source=_HOLDING
        )
        if not rows:
            return None, []
        width = len(PlaylistRecord.__struct_fields__)
        held = [EntryRecord(*row[width:]) for row in rows if row[width] is not None]
        held.sort(key=lambda e: (e.position, e.id))
        return PlaylistRecord(*rows[0][:width]), held

    async def by_permalink(self, user_id: int, permalink: str) -> PlaylistRecord | None:
        stmt = select_records(playlists, PlaylistRecord).where(
            playlists.c.user_id == user_id, playlists.c.permalink == permalink
        )
        return await fetch_one(self._conn, stmt, PlaylistRecord)

    async def permalinks_with_prefix(self, user_id: int, prefix: str) -> set[str]:
        """The user's playlist permalinks starting with `prefix` (to pick a free `-N` suffix)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = select(playlists.c.permalink).where(
            playlists.c.user_id == user_id, playlists.c.permalink.like(escaped + "%", escape="\\")
        )
        return set((await self._conn.execute(stmt)).scalars())

    async def by_user(
        self, user_id: int, after: Key | None, limit: int, set_type: str | None = None
    ) -> Page[PlaylistRecord]:
        stmt = select_records(playlists, PlaylistRecord).where(playlists.c.user_id == user_id)
        if set_type is not None:
            stmt = stmt.where(playlists.c.set_type == set_type)
        return await fetch_page(self._conn, stmt, PlaylistRecord, ORDER, after, limit)

    async def search(
        self, text: str | None, after: Key | None, limit: int, set_type: str | None = None
    ) -> Page[PlaylistRecord]:
        stmt = select_records(playlists, PlaylistRecord)
        for word in (text or "").lower().split():
            pattern = f"%{word}%"
            stmt = stmt.where(
                or_(
                    func.lower(playlists.c.title).like(pattern),
                    func.lower(playlists.c.tag_list).like(pattern),
                    func.lower(playlists.c.genre).like(pattern),
                )
            )
        if set_type is not None:
            stmt = stmt.where(playlists.c.set_type == set_type)
        return await fetch_page(self._conn, stmt, PlaylistRecord, ORDER, after, limit)

    async def containing_track(
        self, track_id: int, after: Key | None, limit: int, set_type: str | None = None
    ) -> Page[PlaylistRecord]:
        holders = select(entries.c.playlist_id).where(entries.c.track_id == track_id)
        stmt = select_records(playlists, PlaylistRecord).where(playlists.c.id.in_(holders))
        if set_type is not None:
            stmt = stmt.where(playlists.c.set_type == set_type)
        return await fetch_page(self._conn, stmt, PlaylistRecord, ORDER, after, limit)

    async def holding_tracks(
        self, track_ids: Sequence[int], set_type: str
    ) -> list[tuple[int, int]]:
        """(track id, playlist id) of every `set_type` playlist holding one of `track_ids`."""
        if not track_ids:
            return []
        stmt = (
            select(entries.c.track_id, entries.c.playlist_id)
            .join(playlists, playlists.c.id == entries.c.playlist_id)
            .where(entries.c.track_id.in_(unique(track_ids)), playlists.c.set_type == set_type)
            .order_by(entries.c.playlist_id)
        )
        return [(int(t), int(p)) for t, p in await self._conn.execute(stmt)]

    async def by_title(self, set_type: str, after: Key | None, limit: int) -> Page[PlaylistRecord]:
        """`set_type` playlists in title order (then id), ascending."""
        stmt = select_records(playlists, PlaylistRecord).where(playlists.c.set_type == set_type)
        order = [playlists.c.title, playlists.c.id]
        return await fetch_page(
            self._conn, stmt, PlaylistRecord, order, after, limit, descending=False
        )

    async def create(
        self, user_id: int, secret_token: str, values: dict[str, Any]
    ) -> PlaylistRecord:
        now = utcnow()
        stmt = (
            insert(playlists)
            .values(
                user_id=user_id,
                secret_token=secret_token,
                created_at=now,
                updated_at=now,
                version=0,
                **values,
            )
            .returning(playlists.c.id)
        )
        created = await self.get((await self._conn.execute(stmt)).scalar_one())
        assert created is not None
        return created

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._conn.execute(insert(playlists), list(rows))

    async def update(self, playlist_id: int, changes: dict[str, Any]) -> PlaylistRecord | None:
        stmt = (
            update(playlists)
            .where(playlists.c.id == playlist_id)
            .values(**changes, updated_at=utcnow(), version=playlists.c.version + 1)
        )
        await self._conn.execute(stmt)
        self._changed([playlist_id])
        return await self.get(playlist_id)

    async def delete(self, playlist_id: int) -> bool:
        result = await self._conn.execute(delete(playlists).where(playlists.c.id == playlist_id))
        self._changed([playlist_id])
        return bool(result.rowcount)

    async def entries_of(self, playlist_ids: Sequence[int]) -> list[EntryRecord]:
        """Entries of several playlists (in request order), each playlist's in position order."""
        if not playlist_ids:
            return []
        found = await self._cache.read_through(
            "entries", playlist_ids, self._load_entries, negative=True
        )
        return [e for p in dict.fromkeys(playlist_ids) for e in found.get(p, ())]

    async def _load_entries(self, playlist_ids: list[Any]) -> dict[Any, list[EntryRecord]]:
        found = await records_by_keys(self._conn, entries, EntryRecord, "playlist_id", playlist_ids)
        grouped: dict[Any, list[EntryRecord]] = {}
        for e in sorted(found, key=lambda e: (e.position, e.id)):
            grouped.setdefault(e.playlist_id, []).append(e)
        return grouped

    async def held(self, playlist_id: int) -> list[EntryRecord]:
        """The playlist's entries in position order as the database holds them now, never the
        cache's (call under `lock`, then give them to `append`): one statement."""
        return (await self._load_entries([playlist_id])).get(playlist_id, [])

    async def append(
        self,
        playlist_id: int,
        track_ids: Sequence[int],
        after: int,
        *,
        held: Sequence[EntryRecord] | None = None,
    ) -> list[EntryRecord]:
        """Append tracks after position `after`, the current last one; the new entries, in
        one statement. `held`: every entry the playlist had (`held()`, its last at `after`) — then
        the entries as they now are are kept for the record cache once the transaction
        commits (the answer's read of the playlist finds them there)."""
        if not track_ids:
            return []
        now = utcnow()
        values: dict[str, Any] = {}
        for i, t in enumerate(track_ids):
            values[f"_playlist_id_{i}"] = playlist_id
            values[f"_track_id_{i}"] = t
            values[f"_position_{i}"] = after + 1 + i
            values[f"_added_at_{i}"] = now
        written = await self._conn.write(
            _append_entries(self._conn.dialect, len(track_ids)), values
        )
        added = sorted((EntryRecord(*row) for row in written.rows), key=lambda e: e.position)
        self._changed([playlist_id])
        if held is not None:
            self._cache.keep("entries", playlist_id, [*held, *added])
        return added

    async def load_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in PLAYLIST_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, playlists, PLAYLIST_LOAD_COLUMNS, rows)

    async def load_entries(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in ENTRY_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, entries, ENTRY_LOAD_COLUMNS, rows)

    async def remove_track(self, playlist_id: int, track_id: int) -> int:
        stmt = delete(entries).where(
            entries.c.playlist_id == playlist_id, entries.c.track_id == track_id
        )
        self._changed([playlist_id])
        return int((await self._conn.execute(stmt)).rowcount or 0)

    async def set_positions(self, playlist_id: int, positions: dict[int, int]) -> None:
        """Give entries (by entry id) of one playlist new positions, in one executemany."""
        self._changed([playlist_id])
        if positions:
            await self._conn.execute(
                update(entries)
                .where(entries.c.id == bindparam("eid"))
                .values(position=bindparam("pos")),
                [{"eid": eid, "pos": pos} for eid, pos in positions.items()],
            )

    async def entry_counts_of_track(self, track_id: int) -> dict[int, int]:
        """How many entries of the track each playlist holds (playlist id -> count)."""
        stmt = (
            select(entries.c.playlist_id, func.count())
            .where(entries.c.track_id == track_id)
            .group_by(entries.c.playlist_id)
        )
        return {int(p): int(n) for p, n in await self._conn.execute(stmt)}

    async def touch(self, playlist_id: int) -> None:
        """Bump version and updated_at of a playlist whose entries changed (the record as it
        now is kept for the record cache once the transaction commits). Its entries are
        invalidated (or kept) by the write that changed them, not here."""
        self._cache.invalidate("playlist", [playlist_id])
        written = await self._conn.write(
            _touch(self._conn.dialect), {"_id": playlist_id, "_at": utcnow()}
        )
        for row in written.rows:
            self._cache.keep("playlist", playlist_id, PlaylistRecord(*row))

    async def touch_many(self, playlist_ids: Sequence[int]) -> None:
        """Bump version and updated_at of playlists whose entries changed, in one statement."""
        if playlist_ids:
            self._changed(playlist_ids)
            await self._conn.execute(
                update(playlists)
                .where(playlists.c.id.in_(unique(playlist_ids)))
                .values(updated_at=utcnow(), version=playlists.c.version + 1)
            )

    async def remove_track_everywhere(self, track_id: int) -> list[int]:
        """Delete a track's entries from every playlist; returns the playlists touched."""
        holders = await self._conn.execute(
            select(entries.c.playlist_id).where(entries.c.track_id == track_id)
        )
        touched = unique(list(holders.scalars()))
        await self._conn.execute(delete(entries).where(entries.c.track_id == track_id))
        self._changed(touched)
        return touched

    async def max_id(self) -> int:
        """The last id handed out (by a row or the id sequence): explicit ids go after it."""
        return await last_id(self._conn, playlists)

    async def all_ids(self) -> list[int]:
        """Every playlist id (bulk seeding draws relations from them)."""
        stmt = select(playlists.c.id).order_by(playlists.c.id)
        return list((await self._conn.execute(stmt)).scalars())

    async def count_entries(self) -> int:
        value = (await self._conn.execute(select(func.count()).select_from(entries))).scalar_one()
        return int(value)
