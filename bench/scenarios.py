"""The benchmark scenarios: prepared request lists per scenario, from the fixtures."""

from __future__ import annotations

import random
from typing import Any

from bench.prepare import Fixtures

Request = dict[str, Any]
WEB_FIELDS = "fields=title,duration,likes_count"
"""Three fields, as a web page rendering a track tile would ask for."""


def _oauth(token: str) -> dict[str, str]:
    return {"Authorization": f"OAuth {token}"}


def scenarios(f: Fixtures) -> dict[str, list[Request]]:
    """name → requests cycled by wrk (each list varies ids and users, never one hot key)."""
    rng = random.Random(11)
    ids = f.track_ids
    tokens = f.user_tokens
    mobile_track = [
        {"method": "GET", "path": f"/mobile/tracks/{t}", "headers": _oauth(rng.choice(tokens))}
        for t in ids[:500]
    ]
    web_track = [
        {
            "method": "GET",
            "path": f"/web/tracks/{t}?client_id={f.web_client_id}&{WEB_FIELDS}",
            "headers": {},
        }
        for t in ids[:500]
    ]
    public_track = [
        {
            "method": "GET",
            "path": f"/public/tracks/soundcloud:tracks:{t}",
            "headers": _oauth(f.public_token),
        }
        for t in ids[:500]
    ]
    playlist = [
        {
            "method": "GET",
            "path": f"/mobile/playlists/{f.playlist_id}",
            "headers": _oauth(tokens[0]),
        }
    ]
    search = [
        {
            "method": "GET",
            "path": "/public/tracks?q=" + f.search_query.replace(" ", "%20") + "&limit=50"
            "&linked_partitioning=true",
            "headers": _oauth(f.public_token),
        }
    ]
    likes = []
    for i in range(400):
        method = "POST" if i % 2 == 0 else "DELETE"
        user = tokens[(i // 2) % len(tokens)]
        track = ids[(i // 2) % len(ids)]
        likes.append(
            {"method": method, "path": f"/mobile/tracks/{track}/like", "headers": _oauth(user)}
        )
    return {
        "mobile_track": mobile_track,
        "web_track_fields": web_track,
        "public_track": public_track,
        "mobile_playlist_100": playlist,
        "public_search": search,
        "like_unlike": likes,
    }
