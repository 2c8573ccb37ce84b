"""Records returned by the users foundation service."""

from __future__ import annotations

import datetime as dt

import msgspec


class UserRecord(msgspec.Struct, frozen=True):
    id: int
    username: str
    permalink: str
    first_name: str
    last_name: str
    description: str
    city: str
    country: str | None
    plan: str
    avatar_key: str | None
    website: str
    website_title: str
    created_at: dt.datetime
    updated_at: dt.datetime


class NewUser(msgspec.Struct, frozen=True):
    username: str
    permalink: str
    password_hash: str | None = None
    first_name: str = ""
    last_name: str = ""
    description: str = ""
    city: str = ""
    country: str | None = None
    plan: str = "free"
    website: str = ""
    website_title: str = ""


class WebProfileRecord(msgspec.Struct, frozen=True):
    id: int
    user_id: int
    service: str
    title: str
    url: str
    username: str
    created_at: dt.datetime
