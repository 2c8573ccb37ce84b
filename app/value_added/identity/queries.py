"""Identity queries: who an access token speaks for (cached briefly), client apps, and which user
a music player's credentials (API key, player password) stand for."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable

from app.caching.budget import CacheBudget, size_of
from app.caching.lru import ByteBoundedLRU
from app.foundation.users.records import UserRecord
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound, Unauthenticated
from app.value_added.common.provenance import DerivedCache
from app.value_added.common.sealing import Unsealable
from app.value_added.common.secrets import digest, same
from app.value_added.identity.aggregates import ApiKeyInfo, AppInfo, Listener, Principal

_DUMMY_SECRET_HASH = digest("no such client")


class PrincipalCache:
    """Who each access token speaks for, for `ttl` seconds, least recently used out first
    beyond the budget's `principals` share; invalidation bumps an epoch so a racing read
    cannot re-cache.

    A principal read from the database while a revocation happened in this process carries the
    epoch it started at; `put` ignores it when the epoch has moved on since.
    """

    def __init__(
        self,
        ttl: float = 30.0,
        max_bytes: int = CacheBudget.split().principals,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: ByteBoundedLRU[str, tuple[float, Principal]] = ByteBoundedLRU(
            "principals", max_bytes, expired=self._old
        )
        self._epoch = 0

    @property
    def epoch(self) -> int:
        return self._epoch

    def __len__(self) -> int:
        return len(self._entries)

    def _young(self, entry: tuple[float, Principal]) -> bool:
        return self._clock() - entry[0] < self._ttl

    def _old(self, entry: tuple[float, Principal]) -> bool:
        return not self._young(entry)

    def get(self, token_hash: str) -> Principal | None:
        entry = self._entries.get(token_hash, self._young)
        return None if entry is None else entry[1]

    def put(self, principal: Principal, epoch: int) -> None:
        if epoch != self._epoch or self._ttl <= 0:
            return
        entry = (self._clock(), principal)
        self._entries.put(principal.token_hash, entry, size_of(principal))

    def invalidate(self, token_hashes: Iterable[str]) -> None:
        self._epoch += 1
        for token_hash in token_hashes:
            self._entries.pop(token_hash)

    def invalidate_app(self, app_id: int) -> None:
        """Drop every principal of one app (its partner grants changed)."""
        self._epoch += 1
        for token_hash, (_, principal) in self._entries.items():
            if principal.app.id == app_id:
                self._entries.pop(token_hash)

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()


def _expired() -> Unauthenticated:
    return Unauthenticated("the access token has expired", reason="token_expired")


class Principals:
    """principal(access_token), through the in-process cache."""

    def __init__(self, deps: Deps, cache: PrincipalCache) -> None:
        self._deps = deps
        self._cache = cache

    async def principal(self, access_token: str) -> Principal | None:
        """The token's principal; None when unknown; token_expired / token_revoked otherwise.

        Valid principals are cached for a few seconds; a revocation in this process (or one
        reported through `invalidate`) takes effect immediately.
        """
        token_hash = digest(access_token)
        now = self._deps.clock()
        cached = self._cache.get(token_hash)
        if cached is not None:
            if cached.expires_at <= now:
                raise _expired()
            return cached
        epoch = self._cache.epoch
        async with self._deps.db.read() as uow:  # (token, app, user and grants: one statement)
            found = await uow.principals.credentials(token_hash)
        if found is None:
            return None
        token, app, user = found.token, found.app, found.user
        if token.revoked_at is not None:
            raise Unauthenticated("the access token was revoked", reason="token_revoked")
        if token.expires_at <= now:
            raise _expired()
        if app is None or (token.user_id is not None and user is None):
            return None
        info = AppInfo.of(app)
        if info.disabled:  # (a token minted while `apps revoke` ran)
            raise Unauthenticated("the access token was revoked", reason="token_revoked")
        principal = Principal(
            token_hash=token_hash,
            app=info,
            user_id=token.user_id,
            scopes=frozenset(token.scopes.split()),
            plan=user.plan if user is not None else "free",
            territory=user.country if user is not None else None,
            expires_at=token.expires_at,
            managed_user_ids=frozenset(found.granted_user_ids),
        )
        self._cache.put(principal, epoch)
        return principal


class AppLookups:
    """verify_client, app_by_client_id and app_by_id."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._apps_by_client_id: DerivedCache[AppInfo | None] = DerivedCache(deps.db.cache)

    async def verify_client(self, client_id: str, client_secret: str) -> AppInfo:
        """The app whose credentials these are; Unauthenticated(invalid_client) otherwise."""
        async with self._deps.db.read() as uow:
            app = await uow.apps.by_client_id(client_id)
        stored = app.client_secret_hash if app is not None else _DUMMY_SECRET_HASH
        if not same(digest(client_secret), stored) or app is None or AppInfo.of(app).disabled:
            raise Unauthenticated("client authentication failed", reason="invalid_client")
        return AppInfo.of(app)

    async def app_by_client_id(self, client_id: str) -> AppInfo | None:
        """The app (as the edge sees it) with this client_id, None when unknown or revoked;
        asked on every client_id request, so answered from the records it was built from while
        they are current."""

        async def build() -> AppInfo | None:
            async with self._deps.db.read() as uow:
                app = await uow.apps.by_client_id(client_id)
            info = AppInfo.of(app) if app is not None else None
            return None if info is None or info.disabled else info  # (revoked: unknown)

        return await self._apps_by_client_id.get(client_id, build)

    async def app_by_id(self, app_id: int) -> AppInfo | None:
        async with self._deps.db.read() as uow:
            app = await uow.apps.get(app_id)
        return AppInfo.of(app) if app is not None else None


PLAYER_PASSWORD_PURPOSE = "player-password"  # noqa: S105 - a key-derivation label, not a secret
"""What player passwords are sealed for (their key and associated data)."""
_DUMMY_PLAYER_PASSWORD = "no such player password"  # noqa: S105 - compared when none is stored


def subsonic_token(password: str, salt: str) -> str:
    """md5(password + salt) as lower-case hex, as the Subsonic API defines its token."""
    return hashlib.md5((password + salt).encode(), usedforsecurity=False).hexdigest()


def _listener(user: UserRecord, api_key_id: int | None = None) -> Listener:
    return Listener(user.id, user.username, user.plan, user.country, api_key_id)


class PlayerCredentialQueries:
    """A user's player credentials (never the secrets), and the user a music player's
    credentials stand for: Subsonic players send `apiKey`, `u`+`t`+`s` (t = md5(password +
    salt)) or `u`+`p`. Unknown users, users without a player password and wrong secrets all
    fail alike (None), at the same cost."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def user_id_of(self, username: str) -> int:
        """The id of the user named `username` (for operators' tools); NotFound otherwise."""
        async with self._deps.db.read() as uow:
            user = await uow.users.by_username(username)
        if user is None:
            raise NotFound(f"no user named {username!r}", field="username")
        return user.id

    async def api_keys(self, user_id: int) -> list[ApiKeyInfo]:
        async with self._deps.db.read() as uow:
            found = await uow.player_credentials.api_keys_of(user_id)
        return [ApiKeyInfo(k.id, k.name, k.created_at) for k in found]

    async def player_password_created_at(self, user_id: int) -> dt.datetime | None:
        """When the current player password was created; None when the user has none."""
        async with self._deps.db.read() as uow:
            stored = await uow.player_credentials.player_password(user_id)
        return stored.created_at if stored is not None else None

    async def player_by_api_key(self, api_key: str) -> Listener | None:
        async with self._deps.db.read() as uow:
            record = await uow.player_credentials.api_key_by_hash(digest(api_key))
            user = await uow.users.get(record.user_id) if record is not None else None
        if record is None or user is None:
            return None
        return _listener(user, record.id)

    async def player_by_token(self, username: str, token: str, salt: str) -> Listener | None:
        """The user whose player password makes `token` = md5(password + salt)."""
        user, password = await self._player_password_of(username)
        expected = subsonic_token(password or _DUMMY_PLAYER_PASSWORD, salt)
        if not same(expected, token.lower()) or user is None or password is None:
            return None
        return _listener(user)

    async def player_by_password(self, username: str, password: str) -> Listener | None:
        """The user whose player password is `password` (the `u`+`p` scheme)."""
        user, stored = await self._player_password_of(username)
        if not same(stored or _DUMMY_PLAYER_PASSWORD, password) or user is None or stored is None:
            return None
        return _listener(user)

    async def _player_password_of(self, username: str) -> tuple[UserRecord | None, str | None]:
        async with self._deps.db.read() as uow:
            user = await uow.users.by_username(username)
            stored = await uow.player_credentials.player_password(user.id) if user else None
        if user is None or stored is None:
            return user, None
        try:
            return user, self._deps.sealer.open(
                PLAYER_PASSWORD_PURPOSE, str(user.id), stored.sealed
            )
        except Unsealable:
            return user, None  # sealed under an earlier SECRET_KEY: the user makes a new one
