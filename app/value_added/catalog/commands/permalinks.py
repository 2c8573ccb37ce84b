"""Permalinks of new tracks and playlists: the title's ASCII slug, made unique per owner."""

from __future__ import annotations

import re
import unicodedata

MAX_PERMALINK = 255


def slugify(text: str) -> str:
    """A URL-safe slug of a title (`Café Song!` → `cafe-song`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "untitled"


def permalink_base(title: str) -> str:
    """The slug of a title, short enough to take a `-N` suffix."""
    return slugify(title)[: MAX_PERMALINK - 12]


def free_permalink(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` … — the first one not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
