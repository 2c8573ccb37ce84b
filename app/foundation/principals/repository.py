"""Principals repository: a token found by its hash with its app, user and live grants, in ONE
statement. A named cross-service read (docs/architecture.md, "Cross-service reads"): it reads
the apps and users services' tables, never writes them, and keeps what it read in their record
caches under their own kinds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text, and_, cast, func, literal_column, select

from app.foundation.apps.records import AppRecord, TokenRecord
from app.foundation.apps.repository import apps, grants, tokens
from app.foundation.cache import CacheSession
from app.foundation.lazy import LazyConnection
from app.foundation.principals.records import Credentials
from app.foundation.query import columns_of, fetch_by_keys
from app.foundation.users.records import UserRecord
from app.foundation.users.repository import users

_LIVE_GRANT = grants.c.revoked_at.is_(None)


def _granted(sqlite: bool) -> Any:
    """The user ids of the token's app's live grants, comma-separated (NULL when none): one
    column however many creators granted the app, from the grants' primary key."""
    user = grants.c.user_id
    joined = (
        func.group_concat(user, type_=String)
        if sqlite
        else func.string_agg(cast(user, Text), literal_column("','"), type_=String)
    )
    live = and_(grants.c.app_id == tokens.c.app_id, _LIVE_GRANT)
    return select(joined).where(live).scalar_subquery()


_TOKEN = tuple(columns_of(tokens, TokenRecord))
_APP = tuple(columns_of(apps, AppRecord))
_USER = tuple(columns_of(users, UserRecord))
_CREDENTIALS = {
    sqlite: (*_TOKEN, *_APP, *_USER, _granted(sqlite).label("granted")) for sqlite in (True, False)
}
"""A token's columns, its app's, its user's and its app's grants (built once per dialect:
the prepared read's cache knows them by identity)."""
_APP_AT, _USER_AT = len(_TOKEN), len(_TOKEN) + len(_APP)
_WITH_APP_AND_USER = tokens.outerjoin(apps, apps.c.id == tokens.c.app_id).outerjoin(
    users, users.c.id == tokens.c.user_id
)


class PrincipalsRepository:
    """The one read a new caller's principal is made of."""

    def __init__(self, conn: LazyConnection, cache: CacheSession) -> None:
        self._conn = conn
        self._cache = cache

    async def credentials(self, access_hash: str) -> Credentials | None:
        """The token whose access hash this is with its app, its user and its app's live
        grants, in ONE statement (a new caller's principal; was one statement each); the app and
        the user are kept in the record cache (each at its epoch from before the read, so a
        racing write's invalidation wins). None when no token has this hash; a revoked or
        expired one is returned as it is (the caller decides)."""
        cache = self._cache
        app_epoch, user_epoch = cache.epoch("app"), cache.epoch("user")
        columns = _CREDENTIALS[self._conn.dialect.name == "sqlite"]
        key = tokens.c.access_hash
        rows = await fetch_by_keys(
            self._conn, columns, key, [access_hash], source=_WITH_APP_AND_USER
        )
        if not rows:
            return None
        row = rows[0]
        app = AppRecord(*row[_APP_AT:_USER_AT]) if row[_APP_AT] is not None else None
        user = UserRecord(*row[_USER_AT:-1]) if row[_USER_AT] is not None else None
        if app is not None:
            cache.store("app", {app.id: app}, app_epoch)
        if user is not None:
            cache.store("user", {user.id: user}, user_epoch)
        granted = tuple(int(i) for i in row[-1].split(",")) if row[-1] else ()
        return Credentials(TokenRecord(*row[:_APP_AT]), app, user, granted)
