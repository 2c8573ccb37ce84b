"""Issue 12 items 2-4 over HTTP: public and confidential apps, RFC 7009 revocation bound to the
token's app, throttled client authentication, and sign-in throttling without lockout."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from tests.e2e.conftest import BASE_URL, Harness
from tests.e2e.test_auth_server import (
    PASSWORD,
    REDIRECT,
    authorize_query,
    basic,
    code_flow,
    hidden_fields,
    page,
    pkce,
    sign_in,
    submit,
    token,
)


@asynccontextmanager
async def from_address(h: Harness, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the same app whose requests come from another address."""
    transport = httpx.ASGITransport(app=h.app, client=(address, 50000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        yield client


async def test_confidential_app_must_authenticate_for_code_and_refresh(harness: Harness) -> None:
    """A refresh token (or a code) redeemed with a bare client_id worked: a stolen refresh
    token was as good as the secret."""
    h = harness
    app, secret = await h.new_app("Backend")
    assert not app.public
    await h.new_user("alice")
    verifier, challenge = pkce()
    code = (await sign_in(h, app, "alice", challenge))["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    bare = await token(h, exchange | {"client_id": app.client_id})
    assert bare.status_code == 401 and bare.json()["error"] == "invalid_client"
    assert "confidential" in bare.json()["error_description"]
    tokens = await token(h, exchange, headers=basic(app.client_id, secret))
    assert tokens.status_code == 200, tokens.text
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens.json()["refresh_token"]}
    stolen = await token(h, refresh | {"client_id": app.client_id})
    assert stolen.status_code == 401 and stolen.json()["error"] == "invalid_client"
    rotated = await token(h, refresh, headers=basic(app.client_id, secret))
    assert rotated.status_code == 200, rotated.text  # the refused attempt spent nothing


async def test_public_app_uses_pkce_and_gets_no_client_credentials(harness: Harness) -> None:
    h = harness
    created = await h.services.identity.create_app(
        "Phone", ["mobile"], None, [REDIRECT], public=True
    )
    assert created.client_secret is None
    app = await h.services.identity.app_by_client_id(created.client_id)
    assert app is not None and app.public
    grant = {"grant_type": "client_credentials", "client_id": app.client_id}
    r = await token(h, grant)
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"
    guessed = await token(h, grant | {"client_secret": "x" * 43})
    assert guessed.status_code == 401 and guessed.json()["error"] == "invalid_client"
    # authorization without PKCE is refused before any sign-in
    missing = await page(h, authorize_query(app, None))
    assert "PKCE+is+required" in missing.headers["location"]
    # with PKCE and its client_id, the code flow works (code_flow uses a public app)
    _, _, _, tokens = await code_flow(h)
    assert tokens["refresh_token"]


async def test_revoke_leaves_another_apps_token_alone(harness: Harness) -> None:
    h = harness
    owner, _, _, tokens = await code_flow(h)
    other, other_secret = await h.new_app("Other")
    for kind in ("access_token", "refresh_token"):
        r = await h.client.post(
            "/auth/oauth/revoke",
            data={"token": tokens[kind]},
            headers=basic(other.client_id, other_secret),
        )
        assert r.status_code == 200 and r.content == b""  # as for an unknown token
    principal = await h.services.identity.principal(tokens["access_token"])
    assert principal is not None and principal.app.id == owner.id
    own = await h.client.post(
        "/auth/oauth/revoke", data={"token": tokens["access_token"], "client_id": owner.client_id}
    )
    assert own.status_code == 200
    gone = await h.client.get(
        "/mobile/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert gone.status_code == 401


async def test_wrong_client_secrets_are_throttled_per_address(sqlite_harness: Harness) -> None:
    """60 wrong guesses were all 401, never 429."""
    h = sqlite_harness
    h.freeze_rate_limit_clock()
    app, secret = await h.new_app("Backend")
    grant = {"grant_type": "client_credentials"}
    statuses = []
    for i in range(8):
        r = await token(h, grant, headers=basic(app.client_id, f"wrong-{i}"))
        statuses.append(r.status_code)
    assert statuses == [401] * 5 + [429] * 3
    blocked = await token(h, grant, headers=basic(app.client_id, secret))
    assert blocked.status_code == 429 and blocked.json()["error"] == "too_many_attempts"
    assert int(blocked.headers["retry-after"]) > 0
    assert blocked.headers["cache-control"] == "no-store"
    revoke = await h.client.post(
        "/auth/oauth/revoke", data={"token": "t"}, headers=basic(app.client_id, "wrong")
    )
    assert revoke.status_code == 429
    legacy = await h.client.post(
        "/public/oauth2/token",
        data=grant | {"client_id": app.client_id, "client_secret": "wrong"},
    )
    assert legacy.status_code == 429
    async with from_address(h, "198.51.100.7") as elsewhere:
        ok = await elsewhere.post(
            "/auth/oauth/token", data=grant, headers=basic(app.client_id, secret)
        )
        assert ok.status_code == 200, ok.text


async def test_ten_wrong_passwords_do_not_lock_the_user_out(sqlite_harness: Harness) -> None:
    """Ten wrong passwords for one username locked the real user out from every address."""
    h = sqlite_harness
    h.freeze_rate_limit_clock()
    app, _ = await h.new_app("Player", public=True)
    await h.new_user("alice")
    await h.new_user("bob")
    _, challenge = pkce()
    fields = hidden_fields((await page(h, authorize_query(app, challenge))).text)
    statuses = []
    for _ in range(10):
        r = await submit(h, fields, username="alice", password="guess", decision="approve")
        statuses.append(r.status_code)
        fields = hidden_fields(r.text)
    assert statuses == [401] * 5 + [429] * 5
    assert "Too many sign-in attempts" in r.text and int(r.headers["retry-after"]) > 0
    here = await submit(h, fields, username="alice", password=PASSWORD, decision="approve")
    assert here.status_code == 429 and "location" not in here.headers
    # the guesser's address may still sign other users in (NAT, shared offices)
    fields = hidden_fields(here.text)
    bob = await submit(h, fields, username="bob", password=PASSWORD, decision="approve")
    assert bob.status_code == 303 and "code=" in bob.headers["location"]
    async with from_address(h, "203.0.113.9") as elsewhere:
        query = authorize_query(app, challenge)
        shown = await elsewhere.get("/auth/authorize", params=query)
        form = hidden_fields(shown.text)
        login = {"username": "alice", "password": PASSWORD, "decision": "approve"}
        ok = await elsewhere.post("/auth/authorize", data=form | login)
        assert ok.status_code == 303 and "code=" in ok.headers["location"]
