"""What the partner routes share: entitlement opts, resource URIs and collection envelopes."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from app.edge.kit import links

CATALOG: dict[str, Any] = {"entitlement": "partner:catalog"}
INSIGHTS: dict[str, Any] = {"entitlement": "partner:insights"}


class Collection(msgspec.Struct, kw_only=True):
    collection: list[Any]
    next_href: str | None = None


def uri(request: Request[Any, Any, Any], path: str) -> str:
    """The absolute URI of a partner resource (`/tracks/1` → `https://host/partner/tracks/1`)."""
    return links.absolute(request, f"{links.mount_path(request)}{path}")


def collection(
    request: Request[Any, Any, Any], items: list[Any], cursor: str | None = None
) -> Collection:
    return Collection(collection=items, next_href=links.next_href(request, cursor))
