"""Resolving an access token to its Principal, through the in-process cache."""

from __future__ import annotations

from app.value_added.common.errors import Unauthenticated
from app.value_added.identity.aggregates import AppInfo, Principal
from app.value_added.identity.core import IdentityCore
from app.value_added.identity.hashing import digest


def _expired() -> Unauthenticated:
    return Unauthenticated("the access token has expired", reason="token_expired")


class Principals(IdentityCore):
    """principal(access_token)."""

    async def principal(self, access_token: str) -> Principal | None:
        """The token's principal; None when unknown; token_expired / token_revoked otherwise.

        Valid principals are cached for a few seconds; a revocation in this process (or one
        reported through `invalidate`) takes effect immediately.
        """
        token_hash = digest(access_token)
        now = self._now()
        cached = self._cache.get(token_hash)
        if cached is not None:
            if cached.expires_at <= now:
                raise _expired()
            return cached
        epoch = self._cache.epoch
        async with self._deps.db.read() as uow:
            token = await uow.apps.token_by_access_hash(token_hash)
            if token is None:
                return None
            if token.revoked_at is not None:
                raise Unauthenticated("the access token was revoked", reason="token_revoked")
            if token.expires_at <= now:
                raise _expired()
            app = await uow.apps.get(token.app_id)
            user = await uow.users.get(token.user_id) if token.user_id is not None else None
            managed = await uow.apps.granted_user_ids(token.app_id)
        if app is None or (token.user_id is not None and user is None):
            return None
        principal = Principal(
            token_hash=token_hash,
            app=AppInfo.of(app),
            user_id=token.user_id,
            scopes=frozenset(token.scopes.split()),
            plan=user.plan if user is not None else "free",
            territory=user.country if user is not None else None,
            expires_at=token.expires_at,
            managed_user_ids=frozenset(managed),
        )
        self._cache.put(principal, epoch)
        return principal
