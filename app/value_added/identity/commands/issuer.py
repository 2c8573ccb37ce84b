"""Issuing and revoking tokens: what token grants and authorization codes share."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence

from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Unauthenticated
from app.value_added.common.secrets import digest, new_secret
from app.value_added.identity.aggregates import AppInfo, TokenPair
from app.value_added.identity.queries import PrincipalCache

log = logging.getLogger(__name__)

OnRevoke = Callable[[Sequence[str]], Awaitable[None]]
"""Told the access-token hashes just revoked, e.g. to publish them to other processes."""

ACCESS_TTL = dt.timedelta(hours=1)
REFRESH_TTL = dt.timedelta(days=30)


def invalid_grant(
    message: str = "the grant is invalid, expired or was already used",
) -> Unauthenticated:
    return Unauthenticated(message, reason="invalid_grant")


def new_family() -> str:
    return secrets.token_hex(16)


class TokenIssuer:
    """Stores new tokens (hashes only) and tells caches and the revoke hook about revocations."""

    def __init__(self, deps: Deps, cache: PrincipalCache, on_revoke: OnRevoke | None) -> None:
        self._deps = deps
        self._cache = cache
        self._on_revoke = on_revoke

    def invalidate(self, token_hashes: Sequence[str]) -> None:
        """Forget cached principals of these access-token hashes (e.g. revoked elsewhere)."""
        self._cache.invalidate(token_hashes)

    async def revoked(self, token_hashes: Sequence[str]) -> None:
        """After a revocation has committed: drop local cache entries and tell the hook."""
        if not token_hashes:
            return
        self._cache.invalidate(token_hashes)
        if self._on_revoke is not None:
            try:
                await self._on_revoke(token_hashes)
            except Exception:
                # The revocation is committed; other processes' caches expire within the TTL.
                log.exception("on_revoke hook failed for %d token(s)", len(token_hashes))

    async def issue(
        self,
        uow: UnitOfWork,
        app: AppInfo,
        user_id: int | None,
        scope: str,
        family: str,
        *,
        with_refresh: bool,
    ) -> TokenPair:
        """Store the hashes of a new access (and maybe refresh) token; return them in clear."""
        now = self._deps.clock()
        access, refresh = new_secret(), new_secret() if with_refresh else None
        expires_at = now + ACCESS_TTL
        await uow.apps.add_token(
            {
                "access_hash": digest(access),
                "refresh_hash": digest(refresh) if refresh else None,
                "family": family,
                "app_id": app.id,
                "user_id": user_id,
                "scopes": scope,
                "expires_at": expires_at,
                "refresh_expires_at": now + REFRESH_TTL if refresh else None,
            }
        )
        return TokenPair(
            access_token=access,
            refresh_token=refresh,
            expires_at=expires_at,
            expires_in=int(ACCESS_TTL.total_seconds()),
            scope=scope,
        )
