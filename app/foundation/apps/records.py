"""Records returned by the apps foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class AppRecord(msgspec.Struct, frozen=True):
    id: int
    client_id: str
    client_secret_hash: str
    name: str
    owner_id: int | None
    redirect_uris: list[str]
    bffs: list[str]
    entitlements: list[str]
    created_at: dt.datetime
    client_type: str = "confidential"


class TokenRecord(msgspec.Struct, frozen=True):
    id: int
    access_hash: str
    refresh_hash: str | None
    family: str
    app_id: int
    user_id: int | None
    scopes: str
    expires_at: dt.datetime
    refresh_expires_at: dt.datetime | None
    refresh_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    created_at: dt.datetime


class AuthorizationCodeRecord(msgspec.Struct, frozen=True):
    id: int
    code_hash: str
    app_id: int
    user_id: int
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    scopes: str
    expires_at: dt.datetime
    used_at: dt.datetime | None
    created_at: dt.datetime
