"""The OAuth 2.1 authorization server at /auth, over HTTP, on both databases."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.edge.auth import csrf
from app.value_added.common.errors import Unauthenticated
from app.value_added.identity import AppInfo
from tests.e2e.conftest import Harness
from tests.factories import tampered

T = TypeVar("T")
REDIRECT = "http://localhost:9999/callback"
PASSWORD = "correct horse battery"


async def on_app_loop(h: Harness, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """Run a service call on the event loop the app serves requests on.

    The harness now serves the app on the test's own loop, so this is a plain await.
    """
    return await fn(*args, **kwargs)


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.fields[str(values["name"])] = values.get("value") or ""


def hidden_fields(page: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(page)
    return parser.fields


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def authorize_query(app: AppInfo, challenge: str | None, **extra: str) -> dict[str, str]:
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "state": "st<ate>&1",
        "code_challenge_method": "S256",
        "scope": "read write",
    }
    if challenge is not None:
        query["code_challenge"] = challenge
    return {k: v for k, v in (query | extra).items() if v != ""}


def redirect_params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def page(h: Harness, query: dict[str, str]) -> httpx.Response:
    return await h.client.get("/auth/authorize", params=query, follow_redirects=False)


async def submit(h: Harness, fields: dict[str, str], **form: str) -> httpx.Response:
    return await h.client.post("/auth/authorize", data=fields | form, follow_redirects=False)


async def sign_in(h: Harness, app: AppInfo, username: str, challenge: str) -> dict[str, str]:
    shown = await page(h, authorize_query(app, challenge))
    assert shown.status_code == 200, shown.text
    fields = hidden_fields(shown.text)
    done = await submit(h, fields, username=username, password=PASSWORD, decision="approve")
    return redirect_params(done)


async def token(h: Harness, data: dict[str, str], **kw: Any) -> httpx.Response:
    return await h.client.post("/auth/oauth/token", data=data, **kw)


async def code_flow(h: Harness) -> tuple[AppInfo, str, int, dict[str, Any]]:
    """A public app's code flow (client_id + PKCE) for alice."""
    app, secret = await on_app_loop(h, h.new_app, "Player", public=True)
    user_id = await on_app_loop(h, h.new_user, "alice")
    verifier, challenge = pkce()
    code = (await sign_in(h, app, "alice", challenge))["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_id": app.client_id,
    }
    r = await token(h, exchange)
    assert r.status_code == 200, r.text
    return app, secret, user_id, r.json() | {"_exchange": exchange}


async def assert_revoked(h: Harness, access_token: str) -> None:
    with pytest.raises(Unauthenticated) as info:
        await on_app_loop(h, h.services.identity.principal, access_token)
    assert info.value.reason == "token_revoked"


async def test_client_credentials_with_basic_form_and_json(harness: Harness) -> None:
    app, secret = await on_app_loop(harness, harness.new_app, "Backend")
    grant = {"grant_type": "client_credentials"}
    by_basic = await token(harness, grant, headers=basic(app.client_id, secret))
    assert by_basic.status_code == 200, by_basic.text
    body = by_basic.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["scope"] == "read write" and "refresh_token" not in body
    assert by_basic.headers["cache-control"] == "no-store"
    assert by_basic.headers["pragma"] == "no-cache"
    principal = await on_app_loop(
        harness, harness.services.identity.principal, body["access_token"]
    )
    assert principal is not None and principal.user_id is None and principal.app.id == app.id
    creds = {"client_id": app.client_id, "client_secret": secret}
    by_form = await token(harness, grant | creds)
    assert by_form.status_code == 200, by_form.text
    by_json = await harness.client.post("/auth/oauth/token", json=grant | creds)
    assert by_json.status_code == 200, by_json.text


async def test_client_authentication_failures_are_invalid_client(harness: Harness) -> None:
    app, secret = await on_app_loop(harness, harness.new_app, "Backend")
    grant = {"grant_type": "client_credentials"}
    for headers, data in (
        (basic(app.client_id, "wrong-secret"), grant),
        ({}, grant | {"client_id": app.client_id, "client_secret": "wrong"}),
        ({}, grant | {"client_id": "nobody", "client_secret": secret}),
        ({}, grant | {"client_id": app.client_id}),  # no secret: not for this grant
        ({}, grant),
    ):
        r = await token(harness, data, headers=headers)
        assert r.status_code == 401, (data, r.text)
        assert r.json()["error"] == "invalid_client" and r.json()["error_description"]
        assert r.headers["www-authenticate"].startswith("Basic")
        assert r.headers["cache-control"] == "no-store"


async def test_token_request_errors(harness: Harness) -> None:
    app, secret = await on_app_loop(harness, harness.new_app, "Backend")
    creds = basic(app.client_id, secret)
    cases = [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({}, "invalid_request"),
        ({"grant_type": "client_credentials", "scope": "insights"}, "invalid_scope"),
        ({"grant_type": "authorization_code", "code": "x"}, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
    ]
    for data, error in cases:
        r = await token(harness, data, headers=creds)
        assert (r.status_code, r.json()["error"]) == (400, error), (data, r.text)
    text = await harness.client.post(
        "/auth/oauth/token", content=b"grant_type=x", headers={"content-type": "text/plain"}
    )
    assert text.status_code == 400 and text.json()["error"] == "invalid_request"


async def test_authorization_code_flow_through_the_html_form(harness: Harness) -> None:
    app, _ = await on_app_loop(harness, harness.new_app, "<b>Player & Co</b>", public=True)
    user_id = await on_app_loop(harness, harness.new_user, "alice")
    verifier, challenge = pkce()
    shown = await page(harness, authorize_query(app, challenge))
    assert shown.status_code == 200
    assert shown.headers["content-type"].startswith("text/html")
    csp = shown.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in csp
    assert "form-action 'self' http://localhost:9999" in csp and "script-src" not in csp
    assert shown.headers["cache-control"] == "no-store"
    assert "&lt;b&gt;Player &amp; Co&lt;/b&gt;" in shown.text and "<b>Player" not in shown.text
    assert 'name="username"' in shown.text and 'type="password"' in shown.text
    assert "Approve" in shown.text and "Deny" in shown.text and "<code>write</code>" in shown.text
    fields = hidden_fields(shown.text)
    assert fields["state"] == "st<ate>&1" and fields["csrf_token"]
    done = await submit(harness, fields, username="alice", password=PASSWORD, decision="approve")
    params = redirect_params(done)
    assert params["state"] == "st<ate>&1" and params["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_id": app.client_id,  # a public client: client_id + PKCE
    }
    r = await token(harness, exchange)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["scope"] == "read write" and body["refresh_token"]
    principal = await on_app_loop(
        harness, harness.services.identity.principal, body["access_token"]
    )
    assert principal is not None and principal.user_id == user_id
    assert principal.app.id == app.id and principal.scopes == {"read", "write"}


async def test_confidential_client_exchanges_with_basic(harness: Harness) -> None:
    app, secret = await on_app_loop(harness, harness.new_app, "Player")
    await on_app_loop(harness, harness.new_user, "alice")
    verifier, challenge = pkce()
    code = (await sign_in(harness, app, "alice", challenge))["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    wrong = await token(harness, exchange, headers=basic(app.client_id, "bad"))
    assert wrong.status_code == 401
    r = await token(harness, exchange, headers=basic(app.client_id, secret))
    assert r.status_code == 200, r.text


async def test_pkce_failures(harness: Harness) -> None:
    app, _ = await on_app_loop(harness, harness.new_app, "Player", public=True)
    await on_app_loop(harness, harness.new_user, "alice")
    _, challenge = pkce()
    code = (await sign_in(harness, app, "alice", challenge))["code"]
    wrong = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": pkce()[0],
        "client_id": app.client_id,
    }
    r = await token(harness, wrong)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    missing = await page(harness, authorize_query(app, None))
    assert redirect_params(missing) | {} == {
        "error": "invalid_request",
        "error_description": "PKCE is required",
        "state": "st<ate>&1",
    }
    plain = await page(harness, authorize_query(app, challenge, code_challenge_method="plain"))
    assert redirect_params(plain)["error"] == "invalid_request"
    absent = await page(harness, authorize_query(app, challenge, code_challenge_method=""))
    assert redirect_params(absent)["error"] == "invalid_request"
    no_verifier = {k: v for k, v in wrong.items() if k != "code_verifier"}
    r = await token(harness, no_verifier)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


async def test_bad_client_or_redirect_uri_is_never_redirected(harness: Harness) -> None:
    app, _ = await on_app_loop(harness, harness.new_app, "Player")
    _, challenge = pkce()
    for query in (
        authorize_query(app, challenge, redirect_uri="http://localhost:9999/callback/x"),
        authorize_query(app, challenge, redirect_uri="http://evil.example/callback"),
        authorize_query(app, challenge, redirect_uri=""),
        authorize_query(app, challenge, client_id="unknown"),
        authorize_query(app, None, redirect_uri="http://evil.example/callback"),
    ):
        r = await page(harness, query)
        assert r.status_code == 400, query
        assert "location" not in r.headers
        assert r.headers["content-type"].startswith("text/html")
        assert "evil.example" not in r.headers["content-security-policy"]
    other = await page(harness, authorize_query(app, challenge, scope="insights"))
    assert redirect_params(other)["error"] == "invalid_scope"
    wrong_type = await page(harness, authorize_query(app, challenge, response_type="token"))
    assert redirect_params(wrong_type)["error"] == "unsupported_response_type"


async def test_code_reuse_is_invalid_grant_and_revokes(harness: Harness) -> None:
    _, _, _, first = await code_flow(harness)
    again = await token(harness, first["_exchange"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    await assert_revoked(harness, first["access_token"])


async def test_refresh_rotation_and_replay_revokes_the_family(harness: Harness) -> None:
    app, _, user_id, first = await code_flow(harness)
    grant = {"grant_type": "refresh_token", "client_id": app.client_id}
    rotated = await token(harness, grant | {"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert rotated.headers["cache-control"] == "no-store"
    principal = await on_app_loop(
        harness, harness.services.identity.principal, second["access_token"]
    )
    assert principal is not None and principal.user_id == user_id
    replay = await token(harness, grant | {"refresh_token": first["refresh_token"]})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    newest = await token(harness, grant | {"refresh_token": second["refresh_token"]})
    assert newest.status_code == 400 and newest.json()["error"] == "invalid_grant"
    await assert_revoked(harness, first["access_token"])
    await assert_revoked(harness, second["access_token"])


async def test_sign_out_and_revocation_endpoint(harness: Harness) -> None:
    app, _, _, tokens = await code_flow(harness)
    out = await harness.client.post(
        "/auth/sign-out", headers={"Authorization": f"OAuth {tokens['access_token']}"}
    )
    assert out.status_code == 204
    await assert_revoked(harness, tokens["access_token"])
    grant = {"grant_type": "refresh_token", "client_id": app.client_id}
    r = await token(harness, grant | {"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    anonymous = await harness.client.post("/auth/sign-out")
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_token"

    bob = await on_app_loop(harness, harness.new_user, "bob")
    user_token = await on_app_loop(harness, harness.user_token, app, bob)
    client = {"client_id": app.client_id}  # a public app: its client_id
    revoked = await harness.client.post("/auth/oauth/revoke", data=client | {"token": user_token})
    assert revoked.status_code == 200
    await assert_revoked(harness, user_token)
    unknown = await harness.client.post("/auth/oauth/revoke", data=client | {"token": "unknown"})
    assert unknown.status_code == 200
    missing = await harness.client.post("/auth/oauth/revoke", data=client)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    anonymous_revoke = await harness.client.post("/auth/oauth/revoke", data={"token": "x"})
    assert anonymous_revoke.status_code == 401
    assert anonymous_revoke.json()["error"] == "invalid_client"


async def test_csrf_token_tampering_is_refused(harness: Harness) -> None:
    app, _ = await on_app_loop(harness, harness.new_app, "Player")
    await on_app_loop(harness, harness.new_user, "alice")
    _, challenge = pkce()
    fields = hidden_fields((await page(harness, authorize_query(app, challenge))).text)
    login = {"username": "alice", "password": PASSWORD, "decision": "approve"}
    expires, nonce, mac = fields["csrf_token"].split(".")
    for altered in (
        fields | {"state": "other"},
        fields | {"scope": "read"},
        fields | {"csrf_token": f"{expires}.{nonce}.{tampered(mac)}"},
        fields | {"csrf_token": f"{int(expires) + 60}.{nonce}.{mac}"},
        {k: v for k, v in fields.items() if k != "csrf_token"},
    ):
        r = await submit(harness, altered, **login)
        assert r.status_code == 403, altered
        assert "location" not in r.headers and "expired or was altered" in r.text
    bound = ["code", app.client_id, REDIRECT, "s", challenge, "S256", "read"]
    old = csrf.issue("key", bound, now=1_000_000)
    assert csrf.verify("key", old, bound, now=1_000_000 + 60)
    assert not csrf.verify("key", old, bound, now=1_000_000 + csrf.TTL_SECONDS + 1)
    assert not csrf.verify("other key", old, bound, now=1_000_000 + 60)


async def test_wrong_password_rerenders_the_form_generically(harness: Harness) -> None:
    app, _ = await on_app_loop(harness, harness.new_app, "Player")
    await on_app_loop(harness, harness.new_user, "alice")
    _, challenge = pkce()
    fields = hidden_fields((await page(harness, authorize_query(app, challenge))).text)
    bodies = []
    for username in ("alice", "nobody"):
        r = await submit(
            harness, fields, username=username, password="wrong password", decision="approve"
        )
        assert r.status_code == 401 and "location" not in r.headers
        assert "Invalid username or password." in r.text
        assert "style-src 'unsafe-inline'" in r.headers["content-security-policy"]
        refreshed = hidden_fields(r.text)
        assert refreshed["csrf_token"] and refreshed["state"] == fields["state"]
        bodies.append(r.text.replace(username, "").replace(refreshed["csrf_token"], ""))
    assert bodies[0] == bodies[1]


async def test_deny_redirects_with_access_denied(harness: Harness) -> None:
    app, _ = await on_app_loop(harness, harness.new_app, "Player")
    _, challenge = pkce()
    fields = hidden_fields((await page(harness, authorize_query(app, challenge))).text)
    params = redirect_params(await submit(harness, fields, decision="deny"))
    assert params["error"] == "access_denied" and params["state"] == "st<ate>&1"
    assert "code" not in params
