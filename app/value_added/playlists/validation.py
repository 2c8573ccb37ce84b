"""Validation of playlist drafts and changes: every failure names its field."""

from __future__ import annotations

from typing import Any

import msgspec

from app.value_added.common.errors import InvalidArgument

SET_TYPES = ("playlist", "album", "ep", "single", "compilation")
SHARING = ("public", "private")
MAX_TRACKS = 500


def check_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Validate the given playlist fields (skipping UNSET ones); returns the set ones."""
    clean = {k: v for k, v in values.items() if v is not msgspec.UNSET}
    if "title" in clean:
        title = str(clean["title"]).strip()
        if not 1 <= len(title) <= 255:
            raise InvalidArgument(
                "title must be 1 to 255 characters", reason="invalid_title", field="title"
            )
        clean["title"] = title
    if "set_type" in clean and clean["set_type"] not in SET_TYPES:
        raise InvalidArgument(
            f"set_type must be one of {', '.join(SET_TYPES)}", reason="invalid", field="set_type"
        )
    if "sharing" in clean and clean["sharing"] not in SHARING:
        raise InvalidArgument(
            "sharing must be public or private", reason="invalid", field="sharing"
        )
    for name in ("description", "genre", "tag_list", "label_name"):
        if name in clean and len(str(clean[name])) > (5000 if name == "description" else 500):
            raise InvalidArgument(f"{name} is too long", reason="too_long", field=name)
    return clean
