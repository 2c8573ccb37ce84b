"""Opaque, tamper-evident keyset cursors (HMAC-signed), and page limits."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import Generic, TypeVar

import msgspec

from app.value_added.common.errors import InvalidArgument

T = TypeVar("T")

_MAC_BYTES = 12
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

KeyPart = int | float | str
Key = tuple[KeyPart, ...]


class Page(msgspec.Struct, Generic[T], frozen=True):
    """A page of results and the cursor of the next page (None: this was the last)."""

    items: list[T]
    next_cursor: str | None = None
    at: dict[int, dt.datetime] = {}
    """Event listings (likes, reposts, plays): when each listed item's event happened (the
    latest, for an item listed twice), by the item's id."""


def clamp_limit(limit: int | None) -> int:
    """The page size: default 50; 1..200, anything else is InvalidArgument naming `limit`."""
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidArgument(
            f"limit must be between 1 and {MAX_LIMIT}; got {limit}",
            reason="invalid_limit",
            field="limit",
        )
    return limit


class CursorCodec:
    """Encodes keyset keys as signed opaque strings bound to one listing (`scope`)."""

    def __init__(self, secret: str) -> None:
        self._secret = hashlib.sha256(("cursor:" + secret).encode()).digest()

    def _sign(self, scope: str, payload: bytes) -> bytes:
        mac = hmac.new(self._secret, scope.encode() + b"\0" + payload, hashlib.sha256)
        return mac.digest()[:_MAC_BYTES]

    def encode(self, scope: str, key: Key | None) -> str | None:
        if key is None:
            return None
        payload = msgspec.json.encode(list(key))
        token = payload + self._sign(scope, payload)
        return base64.urlsafe_b64encode(token).decode().rstrip("=")

    def decode(self, scope: str, cursor: str | None) -> Key | None:
        if cursor is None or cursor == "":
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            payload, signature = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
            if not hmac.compare_digest(signature, self._sign(scope, payload)):
                raise ValueError("bad signature")
            parts = msgspec.json.decode(payload, type=list[int | float | str])
        except (ValueError, msgspec.DecodeError) as exc:
            raise InvalidArgument(
                "cursor is invalid or was tampered with", reason="invalid_cursor", field="cursor"
            ) from exc
        return tuple(parts)
