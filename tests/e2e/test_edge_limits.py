"""Edge limits no caller can get around: anonymous `?client_id=` callers are counted per client
address and apart from the app's signed-in users (issue 12, item 6)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.e2e.conftest import BASE_URL, Harness, serving, settings_for


@pytest.fixture
async def app_budget_100(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    settings = settings_for(sqlite_url, tmp_path, rate_limit_app_per_minute=100)
    async with serving(create_app(settings)) as h:
        h.freeze_rate_limit_clock()
        yield h


def _from(h: Harness, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=h.app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


async def test_anonymous_callers_cannot_starve_the_apps_signed_in_users(
    app_budget_100: Harness,
) -> None:
    """110 anonymous GETs with RATE_LIMIT_APP_PER_MINUTE=100 spent the budget the app's
    signed-in users share: the user's next call was a 429."""
    h = app_budget_100
    app, _ = await h.new_app("widget")
    token = await h.user_token(app, await h.new_user("listener"))
    anonymous = {"client_id": app.client_id}
    statuses = [
        (await h.client.get("/public/tracks", params=anonymous)).status_code for _ in range(110)
    ]
    assert statuses == [200] * 100 + [429] * 10
    refused = await h.client.get("/public/tracks", params=anonymous)
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["x-ratelimit-limit"] == "100"
    assert '"app";r=0' in refused.headers["ratelimit"]
    signed_in = await h.client.get("/public/tracks", headers={"Authorization": f"OAuth {token}"})
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.headers["x-ratelimit-remaining"] != "0"


async def test_anonymous_callers_are_limited_per_client_address(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = settings_for(
        sqlite_url, tmp_path, rate_limit_app_per_minute=100, rate_limit_anonymous_per_minute=5
    )
    async with serving(create_app(settings)) as h:
        h.freeze_rate_limit_clock()
        app, _ = await h.new_app("embed")
        token = await h.user_token(app, await h.new_user("signed_in"))
        anonymous = {"client_id": app.client_id}
        async with _from(h, "198.51.100.7") as noisy, _from(h, "203.0.113.9") as other:
            for n in range(5):
                r = await noisy.get("/web/tracks", params=anonymous)
                assert r.status_code == 200, r.text
                assert '"anonymous";q=5;w=60' in r.headers["ratelimit-policy"]
                assert r.headers["x-ratelimit-remaining"] == str(4 - n)
            refused = await noisy.get("/web/tracks", params=anonymous)
            assert refused.status_code == 429
            assert refused.json()["rate_limit"]["policy"] == "anonymous"
            assert refused.json()["rate_limit"]["per"] == "address"
            assert refused.headers["ratelimit"].startswith('"anonymous";r=0;')
            assert (await other.get("/web/tracks", params=anonymous)).status_code == 200
            # a token caller from the noisy address is not anonymous: its budgets are its own
            user = await noisy.get("/web/tracks", headers={"Authorization": f"OAuth {token}"})
            assert user.status_code == 200 and "anonymous" not in user.headers["ratelimit-policy"]
