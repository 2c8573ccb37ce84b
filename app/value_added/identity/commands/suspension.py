"""Disabling and re-enabling a user account (an operator's `litestar users disable|enable`).

A disabled account keeps its data; its password hash is locked the way `passwd -l` locks one
(a `!` before the hash, so no password matches and sign-in fails exactly as a wrong password
does), every token it holds is revoked at once (other processes hear of it through the revoke
hook), and its music-player credentials are deleted. Enabling removes the lock: the user signs
in again with the same password (tokens and player credentials are not restored)."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.common.errors import NotFound
from app.value_added.identity.commands.accounts import LOCKED, is_locked
from app.value_added.identity.commands.issuer import TokenIssuer


class AccountSuspension:
    def __init__(self, deps: Deps, issuer: TokenIssuer) -> None:
        self._deps = deps
        self._issuer = issuer

    async def disable_user(self, user_id: int) -> int:
        """Lock the account and revoke everything it holds; returns the tokens revoked."""
        async with self._deps.db.write() as uow:
            if await uow.users.get(user_id) is None:
                raise NotFound("no such user", field="username")
            stored = await uow.users.password_hash(user_id)
            if not is_locked(stored):
                await uow.users.set_password_hash(user_id, LOCKED + (stored or ""))
            revoked = await uow.apps.revoke_user_tokens(user_id, self._deps.clock())
            for key in await uow.player_credentials.api_keys_of(user_id):
                await uow.player_credentials.delete_api_key(user_id, key.id)
            await uow.player_credentials.delete_player_password(user_id)
        await self._issuer.revoked(revoked)
        return len(revoked)

    async def enable_user(self, user_id: int) -> bool:
        """Unlock the account; False when it was not disabled."""
        async with self._deps.db.write() as uow:
            if await uow.users.get(user_id) is None:
                raise NotFound("no such user", field="username")
            stored = await uow.users.password_hash(user_id)
            if not is_locked(stored):
                return False
            assert stored is not None
            await uow.users.set_password_hash(user_id, stored[len(LOCKED) :])
        return True
