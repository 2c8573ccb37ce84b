"""Access and refresh tokens: issuing, single-use rotating refresh, and family revocation."""

from __future__ import annotations

from collections.abc import Iterable

from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument, Unauthenticated
from app.value_added.common.secrets import digest
from app.value_added.identity import validation
from app.value_added.identity.aggregates import AppInfo, TokenPair
from app.value_added.identity.commands.issuer import TokenIssuer, invalid_grant, new_family


class TokenGrants:
    """issue_client_credentials, issue_for_user, refresh and revoke."""

    def __init__(self, deps: Deps, issuer: TokenIssuer) -> None:
        self._deps = deps
        self._issuer = issuer

    async def issue_client_credentials(
        self, app: AppInfo, scopes: Iterable[str] | None = None
    ) -> TokenPair:
        """An app-only access token (no user, no refresh token) for the scopes asked for (a
        subset of the app's entitlements; all of them when None). Public apps get none."""
        if app.public:
            raise Unauthenticated(
                "a public app cannot use client_credentials (it has no secret)",
                reason="unauthorized_client",
            )
        scope = validation.scopes(scopes, app.entitlements)

        async def command(uow: UnitOfWork) -> TokenPair:
            return await self._issuer.issue(uow, app, None, scope, new_family(), with_refresh=False)

        return await self._deps.db.transact(command)

    async def issue_for_user(
        self, app: AppInfo, user_id: int, scopes: Iterable[str] | None = None
    ) -> TokenPair:
        """Access (1 h) and refresh (30 days) tokens in a new family; scopes ⊆ entitlements."""
        scope = validation.scopes(scopes, app.entitlements)

        async def command(uow: UnitOfWork) -> TokenPair:
            if await uow.users.get(user_id) is None:
                raise InvalidArgument("no such user", field="user_id")
            return await self._issuer.issue(
                uow, app, user_id, scope, new_family(), with_refresh=True
            )

        return await self._deps.db.transact(command)

    async def refresh(
        self, app: AppInfo, refresh_token: str, scopes: Iterable[str] | None = None
    ) -> TokenPair:
        """Rotate: the refresh token is spent and a new pair issued in the same family, with
        the scopes asked for (RFC 6749 §6: a subset of the original grant's; None: all of them).

        Replaying a spent refresh token revokes the whole family (RFC 9700 §4.14.2) and, like
        any other failure, raises Unauthenticated(invalid_grant).
        """
        now = self._deps.clock()

        async def command(uow: UnitOfWork) -> tuple[list[str], TokenPair | None]:
            """(access hashes revoked by a replay, the new pair)"""
            token = await uow.apps.token_by_refresh_hash(digest(refresh_token))
            if token is None or token.app_id != app.id or token.revoked_at is not None:
                return [], None
            if token.refresh_used_at is not None or not await uow.apps.mark_refresh_used(
                token.id, now
            ):
                return await uow.apps.revoke_family(token.family, now), None
            if token.refresh_expires_at is None or token.refresh_expires_at <= now:
                return [], None
            granted = frozenset(token.scopes.split())
            # (an invalid_scope here rolls the unit of work back: the token is not spent)
            scope = token.scopes if scopes is None else validation.scopes(scopes, granted)
            pair = await self._issuer.issue(
                uow, app, token.user_id, scope, token.family, with_refresh=True
            )
            return [], pair

        replayed, pair = await self._deps.db.transact(command)
        # Outside the unit of work, so a replay's revocation is committed before we fail.
        await self._issuer.revoked(replayed)
        if pair is None:
            raise invalid_grant()
        return pair

    async def revoke(self, token: str, app_id: int | None = None) -> list[str]:
        """Revoke the family of this access (or refresh) token; the hashes revoked. With
        `app_id` (RFC 7009: the authenticated client) only a token issued to that app is: another
        app's token is left alone, as an unknown one (sign-out, by the token's holder, passes
        None)."""
        token_hash = digest(token)

        async def command(uow: UnitOfWork) -> list[str]:
            found = await uow.apps.token_by_access_hash(token_hash)
            if found is None:
                found = await uow.apps.token_by_refresh_hash(token_hash)
            if found is None or (app_id is not None and found.app_id != app_id):
                return []
            return await uow.apps.revoke_family(found.family, self._deps.clock())

        hashes = await self._deps.db.transact(command)
        await self._issuer.revoked(hashes)
        return hashes
