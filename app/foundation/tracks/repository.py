"""Tracks repository: batch reads, keyset listings, full-text search and metadata writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    column,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)

from app.foundation.bulk_insert import insert_tuples
from app.foundation.cache import CacheSession, cached_records
from app.foundation.db import table_of, utcnow
from app.foundation.ids import last_id
from app.foundation.lazy import LazyConnection
from app.foundation.query import (
    Key,
    Page,
    fetch_all,
    fetch_one,
    fetch_page,
    records_by_keys,
    select_records,
    unique,
)
from app.foundation.tracks.records import TrackRecord, TrackSearch
from app.foundation.tracks.tables import TrackRow

tracks = table_of(TrackRow)
ORDER = [tracks.c.created_at, tracks.c.id]
TRACK_KIND = "track"
"""Cache kind of track records, by id."""
SEARCH = "search:tracks"
"""Cache kind of search pages; invalidating it (key "*") starts a new generation."""
TRACK_LOAD_COLUMNS = (
    "id", "user_id", "title", "permalink", "description", "genre", "tag_list", "duration_ms",
    "bpm", "key_signature", "isrc", "license", "label_name", "purchase_url", "purchase_title",
    "release_date", "artwork_key", "created_at", "updated_at",
)  # fmt: skip


class TracksRepository:
    """Reads and writes of the `tracks` table (and its full-text index)."""

    def __init__(
        self,
        conn: LazyConnection,
        cache: CacheSession,
        load: Callable[[list[Any]], Awaitable[list[TrackRecord]]] | None = None,
        load_following: Callable[[list[Any], int], Awaitable[list[TrackRecord]]] | None = None,
    ) -> None:
        self._conn = conn
        self._cache = cache
        self._load_missing = load or self._load
        """How records the cache lacks are read (a read unit of work's brings companions)."""
        self._load_following = load_following
        """The same, with whether each owner follows a viewer (a read unit of work's)."""
        self._held: dict[int, TrackRecord] = {}
        """Tracks this transaction read along with other rows (`hold`)."""

    @property
    def _dialect(self) -> str:
        return self._conn.dialect.name

    async def get_many(self, ids: Sequence[int], following: int | None = None) -> list[TrackRecord]:
        """The records of `ids` (missing ones left out). `following`: a signed-in viewer; where
        the tracks are read with their companions, the same statement finds whether each
        owner follows that viewer (kept as a follow edge: the owner's card asks next)."""
        if not ids:
            return []
        held = self._held
        if held and all(i in held for i in ids):
            return list({i: held[i] for i in ids}.values())
        with_edges = self._load_following
        if following is None or with_edges is None:
            return await cached_records(self._cache, TRACK_KIND, ids, self._load_missing)

        async def load(missing: list[Any]) -> list[TrackRecord]:
            return await with_edges(missing, following)

        return await cached_records(self._cache, TRACK_KIND, ids, load)

    async def _load(self, ids: list[Any]) -> list[TrackRecord]:
        return await records_by_keys(self._conn, tracks, TrackRecord, "id", ids)

    def hold(self, records: Sequence[TrackRecord]) -> None:
        """Tracks this transaction has just read along with other rows (a group commit's
        batch, with the policies it share-locks: CountersRepository.lock): `get_many` answers
        from them until this transaction changes them."""
        for record in records:
            self._held[record.id] = record

    async def get(self, track_id: int) -> TrackRecord | None:
        found = await self.get_many([track_id])
        return found[0] if found else None

    async def by_permalink(self, user_id: int, permalink: str) -> TrackRecord | None:
        stmt = select_records(tracks, TrackRecord).where(
            tracks.c.user_id == user_id, tracks.c.permalink == permalink
        )
        return await fetch_one(self._conn, stmt, TrackRecord)

    async def by_isrc(self, isrcs: Sequence[str]) -> list[TrackRecord]:
        if not isrcs:
            return []
        stmt = select_records(tracks, TrackRecord).where(tracks.c.isrc.in_(unique(isrcs)))
        return await fetch_all(self._conn, stmt, TrackRecord)

    async def permalinks_with_prefix(self, user_id: int, prefix: str) -> set[str]:
        """The user's track permalinks starting with `prefix` (to pick a free `-N` suffix)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = select(tracks.c.permalink).where(
            tracks.c.user_id == user_id, tracks.c.permalink.like(escaped + "%", escape="\\")
        )
        return set((await self._conn.execute(stmt)).scalars())

    async def by_user(
        self, user_ids: Sequence[int], after: Key | None, limit: int
    ) -> Page[TrackRecord]:
        stmt = select_records(tracks, TrackRecord).where(tracks.c.user_id.in_(unique(user_ids)))
        return await fetch_page(self._conn, stmt, TrackRecord, ORDER, after, limit)

    async def ids_by_user(self, user_id: int) -> list[int]:
        stmt = select(tracks.c.id).where(tracks.c.user_id == user_id)
        return list((await self._conn.execute(stmt)).scalars())

    def filtered(self, stmt: Select[Any], f: TrackSearch) -> Select[Any]:
        """`stmt` (selecting from tracks) narrowed by the search filters."""
        if f.text and f.text.strip():
            stmt = stmt.where(self._text_match(f.text))
        if f.ids is not None:
            stmt = stmt.where(tracks.c.id.in_(f.ids))
        if f.user_id is not None:
            stmt = stmt.where(tracks.c.user_id == f.user_id)
        if f.genres:
            stmt = stmt.where(func.lower(tracks.c.genre).in_([g.lower() for g in f.genres]))
        if f.tags:
            padded = " " + func.lower(tracks.c.tag_list) + " "
            stmt = stmt.where(or_(*[padded.like(f"% {t.lower()} %") for t in f.tags]))
        if f.bpm_from is not None:
            stmt = stmt.where(tracks.c.bpm >= f.bpm_from)
        if f.bpm_to is not None:
            stmt = stmt.where(tracks.c.bpm <= f.bpm_to)
        if f.duration_from_ms is not None:
            stmt = stmt.where(tracks.c.duration_ms >= f.duration_from_ms)
        if f.duration_to_ms is not None:
            stmt = stmt.where(tracks.c.duration_ms <= f.duration_to_ms)
        if f.created_from is not None:
            stmt = stmt.where(tracks.c.created_at >= f.created_from)
        if f.created_to is not None:
            stmt = stmt.where(tracks.c.created_at <= f.created_to)
        if f.year_from is not None or f.year_to is not None:
            stmt = stmt.where(_in_years(f.year_from, f.year_to))
        return stmt

    def _text_match(self, query: str) -> Any:
        words = search_words(query)
        if not words:
            return literal_column("1") == 1
        if self._dialect == "sqlite":
            match = sqlite_match(words)
            ids = (
                text("SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH :match")
                .bindparams(match=match)
                .columns(column("rowid", Integer))
            )
            return tracks.c.id.in_(ids)
        return postgres_match(words)

    async def related(self, track: TrackRecord, after: Key | None, limit: int) -> Page[TrackRecord]:
        """Tracks sharing the genre or the owner, newest first (a simple, indexable relation)."""
        stmt = select_records(tracks, TrackRecord).where(
            tracks.c.id != track.id,
            or_(tracks.c.genre == track.genre, tracks.c.user_id == track.user_id)
            if track.genre
            else tracks.c.user_id == track.user_id,
        )
        return await fetch_page(self._conn, stmt, TrackRecord, ORDER, after, limit)

    async def create(self, user_id: int, values: dict[str, Any]) -> TrackRecord:
        now = utcnow()
        stmt = (
            insert(tracks)
            .values(user_id=user_id, created_at=now, updated_at=now, **values)
            .returning(tracks.c.id)
        )
        track_id = (await self._conn.execute(stmt)).scalar_one()
        self._cache.invalidate(SEARCH, ["*"])
        created = await self.get(track_id)
        assert created is not None
        return created

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._conn.execute(insert(tracks), list(rows))
            self._cache.invalidate(SEARCH, ["*"])

    async def load_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in TRACK_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, tracks, TRACK_LOAD_COLUMNS, rows)
        self._cache.invalidate(SEARCH, ["*"])

    async def update(self, track_id: int, changes: dict[str, Any]) -> TrackRecord | None:
        if changes:
            stmt = (
                update(tracks).where(tracks.c.id == track_id).values(**changes, updated_at=utcnow())
            )
            await self._conn.execute(stmt)
            self._held.pop(track_id, None)
            self._cache.invalidate("track", [track_id])
            self._cache.invalidate(SEARCH, ["*"])
        return await self.get(track_id)

    async def set_artwork_keys(self, keys: dict[int, str]) -> None:
        """Each track's artwork key, in one statement (the demo's artwork)."""
        if not keys:
            return
        stmt = (
            update(tracks)
            .where(tracks.c.id == bindparam("track_id"))
            .values(artwork_key=bindparam("key"), updated_at=utcnow())
        )
        await self._conn.execute(stmt, [{"track_id": t, "key": k} for t, k in keys.items()])
        for track_id in keys:
            self._held.pop(track_id, None)
        self._cache.invalidate("track", list(keys))
        self._cache.invalidate(SEARCH, ["*"])

    async def delete(self, track_id: int) -> bool:
        result = await self._conn.execute(delete(tracks).where(tracks.c.id == track_id))
        self._held.pop(track_id, None)
        self._cache.invalidate("track", [track_id])
        self._cache.invalidate(SEARCH, ["*"])
        return bool(result.rowcount)

    async def max_id(self) -> int:
        """The last id handed out (by a row or the id sequence): explicit ids go after it."""
        return await last_id(self._conn, tracks)

    async def count(self) -> int:
        value: int = (
            await self._conn.execute(select(func.count()).select_from(tracks))
        ).scalar_one()
        return value

    async def owners_and_durations(self) -> list[tuple[int, int, int]]:
        """(id, user_id, duration_ms) of every track, by id (bulk seeding)."""
        stmt = select(tracks.c.id, tracks.c.user_id, tracks.c.duration_ms).order_by(tracks.c.id)
        return [(int(i), int(u), int(d)) for i, u, d in await self._conn.execute(stmt)]


def search_words(query: str) -> list[str]:
    """The words of a full-text query: its alphanumeric runs (each matched as a prefix)."""
    return "".join(c if c.isalnum() else " " for c in query).split()


def sqlite_match(words: Sequence[str]) -> str:
    """The FTS5 MATCH expression finding tracks with a token starting with each word."""
    return " ".join(f'"{w}"*' for w in words)


SEARCH_DOCUMENT: Any = literal_column("tracks.search_document")
"""PostgreSQL: the track's full-text document, a stored generated tsvector (migration 0013),
GIN-indexed; its text is title, tags, genre and description, as the SQLite FTS5 table's."""


def postgres_match(words: Sequence[str], document: Any = SEARCH_DOCUMENT) -> Any:
    """PostgreSQL: `document` has a token starting with each word (every word a prefix)."""
    tsquery = " & ".join(f"{w}:*" for w in words)
    return document.op("@@")(func.to_tsquery(literal_column("'simple'"), tsquery))


def _in_years(first: int | None, last: int | None) -> Any:
    """The release year (of release_date, else created_at) lies in [first, last]."""
    dated: list[Any] = [tracks.c.release_date.is_not(None)]
    undated: list[Any] = [tracks.c.release_date.is_(None)]
    if first is not None:
        dated.append(tracks.c.release_date >= dt.date(first, 1, 1))
        undated.append(tracks.c.created_at >= dt.datetime(first, 1, 1, tzinfo=dt.UTC))
    if last is not None:
        dated.append(tracks.c.release_date <= dt.date(last, 12, 31))
        undated.append(tracks.c.created_at < dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC))
    return or_(and_(*dated), and_(*undated))
