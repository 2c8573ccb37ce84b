"""Client quirks of the mobile app, applied by the kit's gateway for the versions listed."""

from __future__ import annotations

from typing import Any

from app.edge.kit.quirks import Quirk, Quirks

APP = "SoundstackMobile"
URL_FIELDS = frozenset({"artwork_url", "avatar_url"})


def empty_string_for_null_urls(body: Any) -> Any:
    """SoundstackMobile < 5.0 crashes on `null` image URLs and expects "" instead."""
    if isinstance(body, dict):
        return {
            k: "" if k in URL_FIELDS and v is None else empty_string_for_null_urls(v)
            for k, v in body.items()
        }
    if isinstance(body, list):
        return [empty_string_for_null_urls(v) for v in body]
    return body


def mobile_quirks() -> Quirks:
    return Quirks(
        [
            Quirk(
                name=APP,
                before=(5, 0),
                fix=empty_string_for_null_urls,
                description='< 5.0 crashes on null artwork/avatar URLs; send "" instead',
            )
        ]
    )
