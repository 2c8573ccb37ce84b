"""Disabling and re-enabling a user account (an operator's `litestar users disable|enable`)
and revoking a client app (`litestar apps revoke|enable`).

A disabled account keeps its data; its password hash is locked the way `passwd -l` locks one
(a `!` before the hash, so no password matches and sign-in fails exactly as a wrong password
does), every token it holds is revoked at once (other processes hear of it through the revoke
hook), and its music-player credentials are deleted. Enabling removes the lock: the user signs
in again with the same password (tokens and player credentials are not restored)."""

from __future__ import annotations

import msgspec

from app.foundation.apps.records import AppRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound
from app.value_added.identity.aggregates import APP_LOCKED
from app.value_added.identity.commands.accounts import LOCKED, is_locked
from app.value_added.identity.commands.issuer import TokenIssuer
from app.value_added.identity.queries import PrincipalCache


class RevokedApp(msgspec.Struct, frozen=True):
    client_id: str
    tokens_revoked: int
    was_revoked: bool
    """It had been revoked before (this call only revoked tokens issued in a race, if any)."""


class AccountSuspension:
    def __init__(self, deps: Deps, issuer: TokenIssuer) -> None:
        self._deps = deps
        self._issuer = issuer

    async def disable_user(self, user_id: int) -> int:
        """Lock the account and revoke everything it holds; returns the tokens revoked."""

        async def command(uow: UnitOfWork) -> list[str]:
            if await uow.users.get(user_id) is None:
                raise NotFound("no such user", field="username")
            stored = await uow.users.password_hash(user_id)
            if not is_locked(stored):
                await uow.users.set_password_hash(user_id, LOCKED + (stored or ""))
            revoked = await uow.apps.revoke_user_tokens(user_id, self._deps.clock())
            for key in await uow.player_credentials.api_keys_of(user_id):
                await uow.player_credentials.delete_api_key(user_id, key.id)
            await uow.player_credentials.delete_player_password(user_id)
            return revoked

        revoked = await self._deps.db.transact(command)
        await self._issuer.revoked(revoked)
        return len(revoked)

    async def enable_user(self, user_id: int) -> bool:
        """Unlock the account; False when it was not disabled."""

        async def command(uow: UnitOfWork) -> bool:
            if await uow.users.get(user_id) is None:
                raise NotFound("no such user", field="username")
            stored = await uow.users.password_hash(user_id)
            if not is_locked(stored):
                return False
            assert stored is not None
            await uow.users.set_password_hash(user_id, stored[len(LOCKED) :])
            return True

        return await self._deps.db.transact(command)


class AppRevocation:
    """`litestar apps revoke|enable`: an app revoked by an operator gets no new token (its
    secret hash is locked, its client_id is unknown to every BFF and to /auth) and every token
    it holds is revoked at once (other processes hear of it through the revoke hook)."""

    def __init__(self, deps: Deps, issuer: TokenIssuer, cache: PrincipalCache) -> None:
        self._deps = deps
        self._issuer = issuer
        self._cache = cache

    async def revoke_app(self, client_id: str) -> RevokedApp:
        """Disable the app and revoke its tokens (idempotent: again, it revokes what is left)."""

        async def command(uow: UnitOfWork) -> tuple[AppRecord, bool, list[str]]:
            app = await uow.apps.by_client_id(client_id)
            if app is None:
                raise NotFound("no app has that client_id", reason="unknown_client_id")
            stored = app.client_secret_hash
            was_disabled = stored.startswith(APP_LOCKED)
            if not was_disabled:
                await uow.apps.update(app.id, {"client_secret_hash": APP_LOCKED + stored})
            return app, was_disabled, await uow.apps.revoke_app_tokens(app.id, self._deps.clock())

        app, was_disabled, revoked = await self._deps.db.transact(command)
        self._cache.invalidate_app(app.id)
        await self._issuer.revoked(revoked)
        return RevokedApp(app.client_id, len(revoked), was_disabled)

    async def enable_app(self, client_id: str) -> bool:
        """Let a revoked app mint tokens again (same secret); False when it was not revoked."""

        async def command(uow: UnitOfWork) -> bool:
            app = await uow.apps.by_client_id(client_id)
            if app is None:
                raise NotFound("no app has that client_id", reason="unknown_client_id")
            stored = app.client_secret_hash
            if not stored.startswith(APP_LOCKED):
                return False
            await uow.apps.update(app.id, {"client_secret_hash": stored[len(APP_LOCKED) :]})
            return True

        return await self._deps.db.transact(command)
