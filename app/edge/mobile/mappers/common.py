"""Helpers every mobile mapper uses: copying set fields, nested parts, artwork URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.mobile import representations as rep

ArtworkUrl = Callable[[str | None], str | None]
"""Turns a stored artwork key into an absolute URL (None when there is no artwork)."""


def copy_set(source: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(source, n) for n in names if getattr(source, n) is not UNSET}


def part(value: Any, kind: type[rep.Rep]) -> Any:
    """A nested VAS part as its mobile representation (UNSET stays UNSET)."""
    if value is UNSET:
        return UNSET
    return msgspec.convert(value, kind, from_attributes=True)


def artwork_url(key: str | UnsetType | None, artwork: ArtworkUrl) -> str | UnsetType | None:
    return UNSET if key is UNSET else artwork(key)
