"""Authorization codes with PKCE (RFC 7636, S256 only), single use, bound to a redirect URI."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Iterable

from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import InvalidArgument
from app.value_added.common.secrets import digest, new_secret, same
from app.value_added.identity import validation
from app.value_added.identity.aggregates import AppInfo, TokenPair
from app.value_added.identity.commands.issuer import TokenIssuer, invalid_grant

CODE_TTL = dt.timedelta(minutes=10)
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
"""An S256 challenge is the unpadded base64url of 32 bytes: exactly 43 characters."""
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
"""RFC 7636 §4.1: code_verifier = 43*128unreserved."""


def pkce_s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), unpadded."""
    raw = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _family_of(code_hash: str) -> str:
    """Tokens issued from a code share a family derived from it, so reuse can revoke them."""
    return code_hash[:32]


class AuthorizationCodes:
    """create_code and exchange_code."""

    def __init__(self, deps: Deps, issuer: TokenIssuer) -> None:
        self._deps = deps
        self._issuer = issuer

    async def create_code(
        self,
        app: AppInfo,
        user_id: int,
        redirect_uri: str,
        code_challenge: str,
        code_challenge_method: str,
        scopes: Iterable[str] | None = None,
    ) -> str:
        """A one-time code (10 minutes) for a registered redirect URI and an S256 challenge."""
        if redirect_uri not in app.redirect_uris:
            raise InvalidArgument(
                "redirect_uri is not registered for this app",
                reason="redirect_uri_mismatch",
                field="redirect_uri",
            )
        if code_challenge_method != "S256":
            raise InvalidArgument(
                "code_challenge_method must be S256",
                reason="invalid_request",
                field="code_challenge_method",
            )
        if not _CHALLENGE.fullmatch(code_challenge):
            raise InvalidArgument(
                "code_challenge must be 43 base64url characters",
                reason="invalid_request",
                field="code_challenge",
            )
        scope = validation.scopes(scopes, app.entitlements)
        code = new_secret()

        async def command(uow: UnitOfWork) -> None:
            if await uow.users.get(user_id) is None:
                raise InvalidArgument("no such user", field="user_id")
            await uow.apps.add_code(
                {
                    "code_hash": digest(code),
                    "app_id": app.id,
                    "user_id": user_id,
                    "redirect_uri": redirect_uri,
                    "code_challenge": code_challenge,
                    "code_challenge_method": code_challenge_method,
                    "scopes": scope,
                    "expires_at": self._deps.clock() + CODE_TTL,
                }
            )

        await self._deps.db.transact(command)
        return code

    async def exchange_code(
        self, app: AppInfo, code: str, redirect_uri: str, code_verifier: str
    ) -> TokenPair:
        """Tokens for a valid code; every failure is Unauthenticated(invalid_grant).

        A second use of a code is refused and revokes the tokens issued from it (RFC 6749
        §4.1.2).
        """
        now = self._deps.clock()
        code_hash = digest(code)

        async def command(uow: UnitOfWork) -> tuple[list[str], TokenPair | None]:
            """(access hashes revoked by a reuse, the new pair)"""
            found = await uow.apps.code_by_hash(code_hash)
            if found is None or found.app_id != app.id:
                return [], None
            if found.used_at is not None:
                return await uow.apps.revoke_family(_family_of(code_hash), now), None
            if (
                found.expires_at > now
                and same(found.redirect_uri, redirect_uri)
                and found.code_challenge_method == "S256"
                and _VERIFIER.fullmatch(code_verifier) is not None
                and same(pkce_s256(code_verifier), found.code_challenge)
                and await uow.apps.mark_code_used(found.id, now)
            ):
                pair = await self._issuer.issue(
                    uow, app, found.user_id, found.scopes, _family_of(code_hash), with_refresh=True
                )
                return [], pair
            return [], None

        reused, pair = await self._deps.db.transact(command)
        await self._issuer.revoked(reused)
        if pair is None:
            raise invalid_grant()
        return pair
