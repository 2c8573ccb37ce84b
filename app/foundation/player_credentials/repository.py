"""Player credentials repository: API keys by hash or owner, player passwords by user."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select

from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.player_credentials.records import ApiKeyRecord, PlayerPasswordRecord
from app.foundation.player_credentials.tables import ApiKeyRow, PlayerPasswordRow
from app.foundation.query import columns_of, fetch_all, fetch_one, select_records

api_keys = table_of(ApiKeyRow)
player_passwords = table_of(PlayerPasswordRow)


class PlayerCredentialsRepository:
    """Reads and writes of `api_keys` and `player_passwords` (never cached: credentials)."""

    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add_api_key(self, user_id: int, key_hash: str, name: str) -> ApiKeyRecord:
        stmt = (
            insert(api_keys)
            .values(user_id=user_id, key_hash=key_hash, name=name, created_at=utcnow())
            .returning(*columns_of(api_keys, ApiKeyRecord))
        )
        row = (await self._conn.execute(stmt)).one()
        return ApiKeyRecord(*row)

    async def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        stmt = select_records(api_keys, ApiKeyRecord).where(api_keys.c.key_hash == key_hash)
        return await fetch_one(self._conn, stmt, ApiKeyRecord)

    async def api_keys_of(self, user_id: int) -> list[ApiKeyRecord]:
        stmt = (
            select_records(api_keys, ApiKeyRecord)
            .where(api_keys.c.user_id == user_id)
            .order_by(api_keys.c.id)
        )
        return await fetch_all(self._conn, stmt, ApiKeyRecord)

    async def count_api_keys(self, user_id: int) -> int:
        stmt = select(func.count()).where(api_keys.c.user_id == user_id)
        return int((await self._conn.execute(stmt)).scalar_one())

    async def delete_api_key(self, user_id: int, key_id: int) -> bool:
        stmt = delete(api_keys).where(api_keys.c.id == key_id, api_keys.c.user_id == user_id)
        return bool((await self._conn.execute(stmt)).rowcount)

    async def player_password(self, user_id: int) -> PlayerPasswordRecord | None:
        stmt = select_records(player_passwords, PlayerPasswordRecord).where(
            player_passwords.c.user_id == user_id
        )
        return await fetch_one(self._conn, stmt, PlayerPasswordRecord)

    async def set_player_password(self, user_id: int, sealed: bytes) -> None:
        """Store (or replace) the sealed player password of `user_id`."""
        await self.delete_player_password(user_id)
        stmt = insert(player_passwords).values(user_id=user_id, sealed=sealed, created_at=utcnow())
        await self._conn.execute(stmt)

    async def delete_player_password(self, user_id: int) -> bool:
        stmt = delete(player_passwords).where(player_passwords.c.user_id == user_id)
        return bool((await self._conn.execute(stmt)).rowcount)
