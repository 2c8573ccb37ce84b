"""Apps repository: client apps, hashed tokens, authorization codes and partner grants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.foundation.apps.records import AppRecord, AuthorizationCodeRecord, TokenRecord
from app.foundation.apps.tables import AppRow, AuthorizationCodeRow, PartnerGrantRow, TokenRow
from app.foundation.cache import CacheSession, cached_records
from app.foundation.db import table_of, utcnow
from app.foundation.lazy import LazyConnection
from app.foundation.query import (
    fetch_one,
    records_by_keys,
    select_records,
)

apps = table_of(AppRow)
tokens = table_of(TokenRow)
codes = table_of(AuthorizationCodeRow)
grants = table_of(PartnerGrantRow)


class AppsRepository:
    """Reads and writes of apps, tokens, authorization codes and partner grants."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    async def get_many(self, ids: Sequence[int]) -> list[AppRecord]:
        if not ids:
            return []
        return await cached_records(self._cache, "app", ids, self._load)

    async def _load(self, ids: list[Any]) -> list[AppRecord]:
        return await records_by_keys(self._conn, apps, AppRecord, "id", ids)

    async def get(self, app_id: int) -> AppRecord | None:
        found = await self.get_many([app_id])
        return found[0] if found else None

    async def by_client_id(self, client_id: str) -> AppRecord | None:
        found = await cached_records(
            self._cache, "app_by_client", [client_id], self._load_by_client, "client_id"
        )
        return found[0] if found else None

    async def _load_by_client(self, client_ids: list[Any]) -> list[AppRecord]:
        return await records_by_keys(self._conn, apps, AppRecord, "client_id", client_ids)

    async def by_name(self, name: str) -> AppRecord | None:
        stmt = select_records(apps, AppRecord).where(apps.c.name == name)
        return await fetch_one(self._conn, stmt, AppRecord)

    async def create(self, values: dict[str, Any]) -> AppRecord:
        stmt = insert(apps).values(**values, created_at=utcnow()).returning(apps.c.id)
        created = await self.get((await self._conn.execute(stmt)).scalar_one())
        assert created is not None
        return created

    async def try_create(self, values: dict[str, Any]) -> AppRecord | None:
        """Create an app; None (and nothing written) when its name or client id is taken."""
        try:
            async with self._conn.begin_nested():
                return await self.create(values)
        except IntegrityError:
            return None

    async def update(self, app_id: int, changes: dict[str, Any]) -> None:
        stmt = update(apps).where(apps.c.id == app_id).values(**changes).returning(apps.c.client_id)
        client_ids = (await self._conn.execute(stmt)).scalars().all()
        self._cache.invalidate("app", [app_id])
        self._cache.invalidate("app_by_client", client_ids)

    async def add_token(self, values: dict[str, Any]) -> TokenRecord:
        stmt = insert(tokens).values(**values, created_at=utcnow()).returning(tokens.c.id)
        token_id = (await self._conn.execute(stmt)).scalar_one()
        found = await fetch_one(
            self._conn,
            select_records(tokens, TokenRecord).where(tokens.c.id == token_id),
            TokenRecord,
        )
        assert found is not None
        return found

    async def token_by_access_hash(self, access_hash: str) -> TokenRecord | None:
        found = await records_by_keys(self._conn, tokens, TokenRecord, "access_hash", [access_hash])
        return found[0] if found else None

    async def token_by_refresh_hash(self, refresh_hash: str) -> TokenRecord | None:
        stmt = select_records(tokens, TokenRecord).where(tokens.c.refresh_hash == refresh_hash)
        return await fetch_one(self._conn, stmt, TokenRecord)

    async def mark_refresh_used(self, token_id: int, at: dt.datetime) -> bool:
        """Mark a refresh token used; False when it already was (a replay)."""
        stmt = (
            update(tokens)
            .where(tokens.c.id == token_id, tokens.c.refresh_used_at.is_(None))
            .values(refresh_used_at=at)
        )
        return bool((await self._conn.execute(stmt)).rowcount)

    async def revoke_family(self, family: str, at: dt.datetime) -> list[str]:
        """Revoke every token of a refresh family; returns the access hashes revoked."""
        found = await self._conn.execute(
            select(tokens.c.access_hash).where(tokens.c.family == family)
        )
        hashes = list(found.scalars())
        await self._conn.execute(
            update(tokens)
            .where(tokens.c.family == family, tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return hashes

    async def revoke_user_tokens(self, user_id: int, at: dt.datetime) -> list[str]:
        """Revoke every live token of the user (any app); returns their access hashes."""
        return await self._revoke_tokens(tokens.c.user_id == user_id, at)

    async def revoke_app_tokens(self, app_id: int, at: dt.datetime) -> list[str]:
        """Revoke every live token of the app (any user); returns their access hashes."""
        return await self._revoke_tokens(tokens.c.app_id == app_id, at)

    async def _revoke_tokens(self, whose: Any, at: dt.datetime) -> list[str]:
        live = and_(whose, tokens.c.revoked_at.is_(None))
        found = await self._conn.execute(select(tokens.c.access_hash).where(live))
        hashes = list(found.scalars())
        await self._conn.execute(update(tokens).where(live).values(revoked_at=at))
        return hashes

    async def add_code(self, values: dict[str, Any]) -> None:
        await self._conn.execute(insert(codes).values(**values, created_at=utcnow()))

    async def code_by_hash(self, code_hash: str) -> AuthorizationCodeRecord | None:
        stmt = select_records(codes, AuthorizationCodeRecord).where(codes.c.code_hash == code_hash)
        return await fetch_one(self._conn, stmt, AuthorizationCodeRecord)

    async def mark_code_used(self, code_id: int, at: dt.datetime) -> bool:
        stmt = (
            update(codes).where(codes.c.id == code_id, codes.c.used_at.is_(None)).values(used_at=at)
        )
        return bool((await self._conn.execute(stmt)).rowcount)

    async def grant(self, app_id: int, user_id: int) -> None:
        existing = await self._conn.execute(
            select(grants.c.app_id).where(grants.c.app_id == app_id, grants.c.user_id == user_id)
        )
        if existing.first() is None:
            await self._conn.execute(
                insert(grants).values(app_id=app_id, user_id=user_id, created_at=utcnow())
            )
        else:
            await self._conn.execute(
                update(grants)
                .where(grants.c.app_id == app_id, grants.c.user_id == user_id)
                .values(revoked_at=None)
            )

    async def revoke_grant(self, app_id: int, user_id: int) -> None:
        await self._conn.execute(
            update(grants)
            .where(grants.c.app_id == app_id, grants.c.user_id == user_id)
            .values(revoked_at=utcnow())
        )
