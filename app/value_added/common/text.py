"""Small text helpers shared by services: permalinks and secret tokens."""

from __future__ import annotations

import re
import secrets


def slugify(text: str) -> str:
    """A URL-safe permalink from a title (`My Song!` → `my-song`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:200] or "untitled"


def new_secret_token() -> str:
    """A fresh secret-link token (SoundCloud's `s-…` shape)."""
    return "s-" + secrets.token_urlsafe(12)
