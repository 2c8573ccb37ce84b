"""The query budget of every benchmark scenario: SQL statements per request, cold and warm.

Cold means empty record caches (a fresh process); warm means the same request again. Reads must
be served warm without a single statement, and no count may grow with a collection's size.
"""

from __future__ import annotations

import httpx
import pytest

from app.foundation.db import count_statements
from tests.e2e.conftest import Harness
from tests.factories import make_track

BUDGET = {
    # scenario: (cold, warm)
    "mobile_track": (14, 0),
    "web_track_fields": (3, 0),
    "public_track": (5, 0),
    "mobile_playlist": (18, 0),
    "public_search": (8, 2),
}
LIKE_BUDGET = 8


async def _measure(h: Harness, method: str, path: str, headers: dict[str, str]) -> list[int]:
    counts = []
    for _ in range(2):
        with count_statements() as n:
            r: httpx.Response = await h.client.request(method, path, headers=headers)
        assert r.status_code < 300, (path, r.status_code, r.text[:300])
        counts.append(n[0])
    return counts


async def _catalog(h: Harness, tracks: int) -> dict[str, object]:
    mobile, _ = await h.new_app("bench-mobile", ("mobile",))
    web, _ = await h.new_app("bench-web", ("web",))
    public, _ = await h.new_app("bench-public", ("public",))
    owner = await h.new_user("owner", country="DE")
    fan = await h.new_user("fan", country="DE")
    db = h.services.deps.db
    ids = [await make_track(db, owner, title=f"Crystal Vocal {i}") for i in range(tracks)]
    playlist = (
        await h.client.post(
            "/mobile/playlists",
            json={"title": "Budget", "track_ids": ids},
            headers={"Authorization": f"OAuth {await h.user_token(mobile, owner)}"},
        )
    ).json()["id"]
    return {
        "ids": ids,
        "playlist": playlist,
        "user_token": await h.user_token(mobile, fan),
        "web_client_id": web.client_id,
        "public_token": await h.app_token(public),
    }


@pytest.mark.parametrize("size", [5, 60])
async def test_every_scenario_stays_within_its_statement_budget(
    sqlite_harness: Harness, size: int
) -> None:
    h = sqlite_harness
    c = await _catalog(h, size)
    track = c["ids"][0]  # type: ignore[index]
    user = {"Authorization": f"OAuth {c['user_token']}"}
    public = {"Authorization": f"OAuth {c['public_token']}"}
    measured = {
        "mobile_track": await _measure(h, "GET", f"/mobile/tracks/{track}", user),
        "web_track_fields": await _measure(
            h,
            "GET",
            f"/web/tracks/{track}?client_id={c['web_client_id']}&fields=title,duration,likes_count",
            {},
        ),
        "public_track": await _measure(
            h, "GET", f"/public/tracks/soundcloud:tracks:{track}", public
        ),
        "mobile_playlist": await _measure(h, "GET", f"/mobile/playlists/{c['playlist']}", user),
        "public_search": await _measure(
            h, "GET", "/public/tracks?q=crystal%20vocal&limit=50&linked_partitioning=true", public
        ),
    }
    for scenario, (cold, warm) in measured.items():
        budget_cold, budget_warm = BUDGET[scenario]
        assert cold <= budget_cold, f"{scenario}: {cold} statements cold > {budget_cold}"
        assert warm <= budget_warm, f"{scenario}: {warm} statements warm > {budget_warm}"
    like = await _measure(h, "POST", f"/mobile/tracks/{track}/like", user)
    assert max(like) <= LIKE_BUDGET


async def test_statement_counts_do_not_grow_with_the_collection(sqlite_harness: Harness) -> None:
    """A 5-track and a 60-track playlist cost the same number of statements, cold."""
    h = sqlite_harness
    mobile, _ = await h.new_app("other-mobile", ("mobile",))
    owner = await h.new_user("owner2", country="DE")
    headers = {"Authorization": f"OAuth {await h.user_token(mobile, owner)}"}
    db = h.services.deps.db
    ids = [await make_track(db, owner) for _ in range(60)]
    playlists = []
    for size in (5, 60):
        created = await h.client.post(
            "/mobile/playlists",
            json={"title": f"P{size}", "track_ids": ids[:size]},
            headers=headers,
        )
        playlists.append(created.json()["id"])
    cold = []
    for playlist in playlists:
        h.services.deps.db.cache.clear()
        cold.append((await _measure(h, "GET", f"/mobile/playlists/{playlist}", headers))[0])
    assert cold[0] == cold[1]
