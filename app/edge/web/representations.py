"""The Web API's fixed external shapes. Entities (tracks, users, playlists …) are rendered from
the field tables in `mappers/`, because api-v2's `fields=` may select any subset of them."""

from __future__ import annotations

from typing import Any

import msgspec

CURSOR_PARAM = "offset"
"""api-v2 pages with `offset`: the client echoes whatever next_href carries."""


class Collection(msgspec.Struct, kw_only=True):
    """Every api-v2 list: a page of items and the absolute URL of the next page."""

    collection: list[Any]
    next_href: str | None
    query_urn: str | None = None
