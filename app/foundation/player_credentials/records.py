"""Records returned by the player credentials foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class ApiKeyRecord(msgspec.Struct, frozen=True):
    id: int
    user_id: int
    key_hash: str
    name: str
    created_at: dt.datetime


class PlayerPasswordRecord(msgspec.Struct, frozen=True):
    user_id: int
    sealed: bytes
    created_at: dt.datetime
