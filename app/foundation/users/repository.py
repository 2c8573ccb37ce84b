"""Users repository: accounts by id, username or permalink; web profiles; password hashes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

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
from app.foundation.users.records import NewUser, UserRecord, WebProfileRecord
from app.foundation.users.tables import UserRow, WebProfileRow

users = table_of(UserRow)
web_profiles = table_of(WebProfileRow)
USER_LOAD_COLUMNS = (
    "id", "username", "permalink", "first_name", "last_name", "description", "city", "country",
    "plan", "password_hash", "avatar_key", "website", "website_title", "created_at", "updated_at",
)  # fmt: skip


class UsersRepository:
    """Reads and writes of the `users` and `user_web_profiles` tables."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    async def get_many(self, ids: Sequence[int]) -> list[UserRecord]:
        if not ids:
            return []
        return await cached_records(self._cache, "user", ids, self._load)

    async def _load(self, ids: list[Any]) -> list[UserRecord]:
        return await records_by_keys(self._conn, users, UserRecord, "id", ids)

    async def get(self, user_id: int) -> UserRecord | None:
        found = await self.get_many([user_id])
        return found[0] if found else None

    async def by_permalink(self, permalink: str) -> UserRecord | None:
        stmt = select_records(users, UserRecord).where(users.c.permalink == permalink)
        return await fetch_one(self._conn, stmt, UserRecord)

    async def by_username(self, username: str) -> UserRecord | None:
        stmt = select_records(users, UserRecord).where(
            func.lower(users.c.username) == username.lower()
        )
        return await fetch_one(self._conn, stmt, UserRecord)

    async def password_hash(self, user_id: int) -> str | None:
        stmt = select(users.c.password_hash).where(users.c.id == user_id)
        value: str | None = (await self._conn.execute(stmt)).scalar_one_or_none()
        return value

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        stmt = update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        await self._conn.execute(stmt)

    async def exists(self, username: str, permalink: str) -> bool:
        stmt = select(users.c.id).where(
            or_(func.lower(users.c.username) == username.lower(), users.c.permalink == permalink)
        )
        return (await self._conn.execute(stmt.limit(1))).first() is not None

    async def create(self, new: NewUser) -> UserRecord:
        now = utcnow()
        values = msgspec.structs.asdict(new) | {"created_at": now, "updated_at": now}
        result = await self._conn.execute(insert(users).values(**values).returning(users.c.id))
        created = await self.get(result.scalar_one())
        assert created is not None
        return created

    async def try_create(self, new: NewUser) -> UserRecord | None:
        """Create a user; None (and nothing written) when the username or permalink is taken."""
        try:
            async with self._conn.begin_nested():
                return await self.create(new)
        except IntegrityError:
            return None

    async def create_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk insert for seeding large catalogs (rows carry explicit ids)."""
        if rows:
            await self._conn.execute(insert(users), list(rows))

    async def load_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk insert of tuples in USER_LOAD_COLUMNS order (seeding; see foundation.bulk)."""
        await insert_tuples(self._conn, users, USER_LOAD_COLUMNS, rows)

    async def update(self, user_id: int, changes: dict[str, Any]) -> UserRecord | None:
        if changes:
            stmt = update(users).where(users.c.id == user_id).values(**changes, updated_at=utcnow())
            await self._conn.execute(stmt)
            self._cache.invalidate("user", [user_id])
        return await self.get(user_id)

    async def page(self, after: Key | None, limit: int) -> Page[UserRecord]:
        order = [users.c.created_at, users.c.id]
        return await fetch_page(
            self._conn, select_records(users, UserRecord), UserRecord, order, after, limit
        )

    async def search(self, query: str, after: Key | None, limit: int) -> Page[UserRecord]:
        pattern = f"%{query.lower()}%"
        stmt = select_records(users, UserRecord).where(
            or_(
                func.lower(users.c.username).like(pattern),
                func.lower(users.c.first_name + " " + users.c.last_name).like(pattern),
            )
        )
        order = [users.c.created_at, users.c.id]
        return await fetch_page(self._conn, stmt, UserRecord, order, after, limit)

    async def count(self) -> int:
        value: int = (
            await self._conn.execute(select(func.count()).select_from(users))
        ).scalar_one()
        return value

    async def max_id(self) -> int:
        """The last id handed out (by a row or the id sequence): explicit ids go after it."""
        return await last_id(self._conn, users)

    async def all_ids(self) -> list[int]:
        """Every user id (bulk seeding draws relations from them)."""
        return list((await self._conn.execute(select(users.c.id).order_by(users.c.id))).scalars())

    async def existing_usernames(self, names: Sequence[str]) -> set[str]:
        """Of `names`, those already taken (case-insensitively), in their stored spelling."""
        if not names:
            return set()
        lowered = unique(n.lower() for n in names)
        stmt = select(users.c.username).where(func.lower(users.c.username).in_(lowered))
        return set((await self._conn.execute(stmt)).scalars())

    async def add_web_profiles(self, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk insert of web profiles (seeding)."""
        if rows:
            await self._conn.execute(insert(web_profiles), list(rows))

    async def web_profiles(self, user_id: int) -> list[WebProfileRecord]:
        stmt = (
            select_records(web_profiles, WebProfileRecord)
            .where(web_profiles.c.user_id == user_id)
            .order_by(web_profiles.c.id)
        )
        return await fetch_all(self._conn, stmt, WebProfileRecord)
