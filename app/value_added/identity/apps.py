"""Client apps (registration, client authentication, lookup) and partner grants."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.value_added.common.errors import Conflict, InvalidArgument, NotFound, Unauthenticated
from app.value_added.identity import rules
from app.value_added.identity.aggregates import AppCreated, AppInfo
from app.value_added.identity.core import IdentityCore
from app.value_added.identity.hashing import digest, new_secret, same

_DUMMY_SECRET_HASH = digest("no such client")
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


class AppRegistry(IdentityCore):
    """create_app, verify_client, app lookups, grant_partner and revoke_partner."""

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
    ) -> AppCreated:
        """Register an app; entitlements default to read and write. The secret is shown once.

        `client_id`/`client_secret` default to fresh random values; callers that need stable
        credentials (the demo seed derives them from SECRET_KEY) may pass their own.
        """
        values = {
            "name": rules.text("name", name, required=True),
            "bffs": rules.bffs(bffs),
            "entitlements": rules.choices(
                "entitlements",
                rules.DEFAULT_ENTITLEMENTS if entitlements is None else entitlements,
                rules.ENTITLEMENTS,
            ),
            "redirect_uris": list(dict.fromkeys(rules.redirect_uri(u) for u in redirect_uris)),
            "owner_id": owner_id,
        }
        client_id = _credential("client_id", client_id, 8, 64)
        client_secret = _credential("client_secret", client_secret, 32, 256)
        taken = Conflict(f"an app named {name!r} exists", reason="app_name_taken", field="name")
        async with self._deps.db.write() as uow:
            if owner_id is not None and await uow.users.get(owner_id) is None:
                raise InvalidArgument("owner_id is not a user", field="owner_id")
            if await uow.apps.by_name(str(values["name"])) is not None:
                raise taken
            if await uow.apps.by_client_id(client_id) is not None:
                raise Conflict(
                    "that client_id is taken", reason="client_id_taken", field="client_id"
                )
            app = await uow.apps.try_create(
                values | {"client_id": client_id, "client_secret_hash": digest(client_secret)}
            )
            if app is None:
                raise taken
        return AppCreated(id=app.id, client_id=client_id, client_secret=client_secret)

    async def verify_client(self, client_id: str, client_secret: str) -> AppInfo:
        """The app whose credentials these are; Unauthenticated(invalid_client) otherwise."""
        async with self._deps.db.read() as uow:
            app = await uow.apps.by_client_id(client_id)
        stored = app.client_secret_hash if app is not None else _DUMMY_SECRET_HASH
        if not same(digest(client_secret), stored) or app is None:
            raise Unauthenticated("client authentication failed", reason="invalid_client")
        return AppInfo.of(app)

    async def app_by_client_id(self, client_id: str) -> AppInfo | None:
        """The app (as the edge sees it) with this client_id; asked on every client_id request,
        so answered from the records it was built from while they are current."""

        async def build() -> AppInfo | None:
            async with self._deps.db.read() as uow:
                app = await uow.apps.by_client_id(client_id)
            return AppInfo.of(app) if app is not None else None

        return await self._apps_by_client_id.get(client_id, build)

    async def app_by_id(self, app_id: int) -> AppInfo | None:
        async with self._deps.db.read() as uow:
            app = await uow.apps.get(app_id)
        return AppInfo.of(app) if app is not None else None

    async def grant_partner(self, app_id: int, user_id: int) -> None:
        """`user_id` lets partner app `app_id` manage their catalog (idempotent)."""
        async with self._deps.db.write() as uow:
            app = await uow.apps.get(app_id)
            if app is None or "partner" not in app.bffs:
                raise NotFound("no such partner app", field="app_id")
            if await uow.users.get(user_id) is None:
                raise NotFound("no such user", field="user_id")
            await uow.apps.grant(app_id, user_id)
        self._cache.invalidate_app(app_id)

    async def revoke_partner(self, app_id: int, user_id: int) -> None:
        """Withdraw a partner grant (idempotent; other processes see it within the cache TTL)."""
        async with self._deps.db.write() as uow:
            await uow.apps.revoke_grant(app_id, user_id)
        self._cache.invalidate_app(app_id)
