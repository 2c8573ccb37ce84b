"""Client apps: registration, and partner grants (a creator lets an app manage their catalog)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.foundation.apps.records import AppRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Conflict, InvalidArgument, NotFound
from app.value_added.common.secrets import digest, new_secret
from app.value_added.identity import validation
from app.value_added.identity.aggregates import AppCreated
from app.value_added.identity.queries import PrincipalCache

_CREDENTIAL = re.compile(r"[A-Za-z0-9_.~-]+")


def _credential(field: str, value: str | None, shortest: int, longest: int) -> str:
    """A caller-chosen client credential (URL-safe, long enough), or a fresh random one."""
    if value is None:
        return new_secret()
    if not shortest <= len(value) <= longest or not _CREDENTIAL.fullmatch(value):
        raise InvalidArgument(
            f"{field} must be {shortest}-{longest} URL-safe characters", field=field
        )
    return value


class AppRegistry:
    """create_app, grant_partner and revoke_partner."""

    def __init__(self, deps: Deps, cache: PrincipalCache) -> None:
        self._deps = deps
        self._cache = cache

    async def create_app(
        self,
        name: str,
        bffs: Sequence[str],
        entitlements: Sequence[str] | None = None,
        redirect_uris: Sequence[str] = (),
        owner_id: int | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        public: bool = False,
    ) -> AppCreated:
        """Register an app; entitlements default to read and write. The secret is shown once.

        A `public` app (a browser or mobile app that cannot keep a secret) gets none: it signs
        users in with PKCE and never uses client_credentials.

        `client_id`/`client_secret` default to fresh random values; callers that need stable
        credentials (the demo seed derives them from SECRET_KEY) may pass their own.
        """
        values = {
            "name": validation.text("name", name, required=True),
            "bffs": validation.bffs(bffs),
            "entitlements": validation.choices(
                "entitlements",
                validation.DEFAULT_ENTITLEMENTS if entitlements is None else entitlements,
                validation.ENTITLEMENTS,
            ),
            "redirect_uris": list(dict.fromkeys(validation.redirect_uri(u) for u in redirect_uris)),
            "owner_id": owner_id,
        }
        client_id = _credential("client_id", client_id, 8, 64)
        if public and client_secret is not None:
            raise InvalidArgument("a public app has no client_secret", field="client_secret")
        client_secret = _credential("client_secret", client_secret, 32, 256)
        # (a public app stores the digest of a secret nobody was told: no secret verifies)
        taken = Conflict(f"an app named {name!r} exists", reason="app_name_taken", field="name")
        stored = {
            "client_id": client_id,
            "client_secret_hash": digest(client_secret),
            "client_type": "public" if public else "confidential",
        }

        async def command(uow: UnitOfWork) -> AppRecord:
            if owner_id is not None and await uow.users.get(owner_id) is None:
                raise InvalidArgument("owner_id is not a user", field="owner_id")
            if await uow.apps.by_name(str(values["name"])) is not None:
                raise taken
            if await uow.apps.by_client_id(stored["client_id"]) is not None:
                raise Conflict(
                    "that client_id is taken", reason="client_id_taken", field="client_id"
                )
            app = await uow.apps.try_create(values | stored)
            if app is None:
                raise taken
            return app

        app = await self._deps.db.transact(command)
        shown = None if public else client_secret
        return AppCreated(id=app.id, client_id=client_id, client_secret=shown)

    async def grant_partner(self, app_id: int, user_id: int) -> None:
        """`user_id` lets partner app `app_id` manage their catalog (idempotent)."""

        async def command(uow: UnitOfWork) -> None:
            app = await uow.apps.get(app_id)
            if app is None or "partner" not in app.bffs:
                raise NotFound("no such partner app", field="app_id")
            if await uow.users.get(user_id) is None:
                raise NotFound("no such user", field="user_id")
            await uow.apps.grant(app_id, user_id)

        await self._deps.db.transact(command)
        self._cache.invalidate_app(app_id)

    async def revoke_partner(self, app_id: int, user_id: int) -> None:
        """Withdraw a partner grant (idempotent; other processes see it within the cache TTL)."""

        async def command(uow: UnitOfWork) -> None:
            await uow.apps.revoke_grant(app_id, user_id)

        await self._deps.db.transact(command)
        self._cache.invalidate_app(app_id)
