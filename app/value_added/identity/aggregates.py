"""What the Identity VAS returns: created users and apps, app info, token pairs, principals."""

from __future__ import annotations

import datetime as dt

import msgspec

from app.foundation.apps.records import AppRecord
from app.value_added.access.viewer import Viewer

APP_LOCKED = "!"
"""Before a revoked app's secret hash (a digest is hex, so no secret ever matches it)."""


class UserCreated(msgspec.Struct, frozen=True):
    id: int
    username: str
    permalink: str
    country: str | None
    plan: str


class AppCreated(msgspec.Struct, frozen=True):
    """A new app's credentials; `client_secret` is shown once and only its hash is stored (None
    for a public app, which has no secret)."""

    id: int
    client_id: str
    client_secret: str | None


class AppInfo(msgspec.Struct, frozen=True):
    """A client app as the edge sees it (never its secret hash)."""

    id: int
    client_id: str
    name: str
    owner_id: int | None
    redirect_uris: tuple[str, ...]
    bffs: frozenset[str]
    entitlements: frozenset[str]
    public: bool = False
    """A public client (OAuth 2.1 §2.1: a browser or mobile app that cannot keep a secret): it
    has no secret, must use PKCE and gets no client_credentials. Otherwise confidential: it
    authenticates with its secret for every grant."""
    disabled: bool = False
    """Revoked by an operator (`litestar apps revoke`): no token is minted for it any more."""

    @classmethod
    def of(cls, record: AppRecord) -> AppInfo:
        return cls(
            id=record.id,
            client_id=record.client_id,
            name=record.name,
            owner_id=record.owner_id,
            redirect_uris=tuple(record.redirect_uris),
            bffs=frozenset(record.bffs),
            entitlements=frozenset(record.entitlements),
            public=record.client_type == "public",
            disabled=record.client_secret_hash.startswith(APP_LOCKED),
        )


class TokenPair(msgspec.Struct, frozen=True):
    """Freshly issued tokens (RFC 6749 §5.1 shape); the only time they exist in clear."""

    access_token: str
    expires_at: dt.datetime
    expires_in: int
    """Seconds until the access token expires."""
    scope: str
    """Space-separated scopes granted."""
    refresh_token: str | None = None
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class Principal(msgspec.Struct, frozen=True):
    """Who a valid access token speaks for: the app, maybe a user, and what they may do."""

    token_hash: str
    app: AppInfo
    user_id: int | None
    scopes: frozenset[str]
    plan: str
    territory: str | None
    expires_at: dt.datetime
    managed_user_ids: frozenset[int] = frozenset()
    """Users who granted this (partner) app management of their catalog."""

    def viewer(self, territory_override: str | None = None) -> Viewer:
        """The access Viewer; `territory_override` comes from a trusted proxy header."""
        territory = territory_override.upper() if territory_override else self.territory
        return Viewer(
            user_id=self.user_id,
            app_id=self.app.id,
            territory=territory,
            plan=self.plan,
            managed_user_ids=self.managed_user_ids,
        )


class ApiKeyInfo(msgspec.Struct, frozen=True):
    """An API key as its owner sees it in a list (never the key itself)."""

    id: int
    name: str
    created_at: dt.datetime


class ApiKeyCreated(msgspec.Struct, frozen=True):
    """A new API key; `api_key` is shown once and only its hash is stored."""

    id: int
    name: str
    created_at: dt.datetime
    api_key: str


class PlayerPasswordCreated(msgspec.Struct, frozen=True):
    """A new player password: shown once, stored sealed, independent of the account password."""

    password: str
    created_at: dt.datetime


class Listener(msgspec.Struct, frozen=True):
    """A user authenticated by a player credential (an API key or the player password)."""

    user_id: int
    username: str
    plan: str
    country: str | None
    api_key_id: int | None = None
    """The API key used; None when the player password was."""

    def viewer(self, territory_override: str | None = None) -> Viewer:
        """The access Viewer of the listener (no app: players are not registered apps)."""
        territory = territory_override.upper() if territory_override else self.country
        return Viewer(user_id=self.user_id, app_id=None, territory=territory, plan=self.plan)
