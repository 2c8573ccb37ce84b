"""Issue 12 item 1: OAuth scopes are enforced by the kit for user and app tokens alike, and a
granted scope is never wider than the one asked for."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import Harness
from tests.e2e.test_auth_server import basic, code_flow, on_app_loop, token
from tests.e2e.test_kit_harness import Kit, kit
from tests.factories import make_track

__all__ = ["kit"]


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def reason_of(r: httpx.Response) -> str:
    """The machine-readable reason in any BFF's error format (plain/web/partner `reason`,
    mobile `error.code`, public `error`)."""
    body = r.json()
    if "reason" in body:
        return str(body["reason"])
    error = body["error"]
    return str(error["code"] if isinstance(error, dict) else error)


def assert_insufficient(r: httpx.Response, scope: str) -> None:
    assert r.status_code == 403, r.text
    assert r.headers["www-authenticate"] == (
        f'Bearer realm="soundstack", error="insufficient_scope", scope="{scope}"'
    )
    assert reason_of(r) == "insufficient_scope"


async def test_the_kit_refuses_a_route_whose_scope_the_token_lacks(kit: Kit) -> None:
    app = await kit.new_app("player", entitlements=("read", "write", "insights"))
    user = await kit.new_user("alice")
    identity = kit.ctx.services.identity
    read_only = (await identity.issue_for_user(app, user, ["read"])).access_token
    assert (await kit.client.get("/mine", headers=bearer(read_only))).status_code == 200
    assert_insufficient(await kit.client.post("/mine", headers=bearer(read_only)), "write")
    write_only = (await identity.issue_for_user(app, user, ["write"])).access_token
    assert_insufficient(await kit.client.get("/catalog", headers=bearer(write_only)), "read")
    assert (await kit.client.post("/mine", headers=bearer(write_only))).status_code == 201
    # app tokens (client_credentials) alike
    app_read = (await identity.issue_client_credentials(app, ["read"])).access_token
    assert_insufficient(await kit.client.post("/things", headers=bearer(app_read)), "write")
    assert_insufficient(await kit.client.get("/insights", headers=bearer(app_read)), "insights")
    full = (await identity.issue_client_credentials(app)).access_token
    assert (await kit.client.post("/things", headers=bearer(full))).status_code == 201
    # a bare client_id acts with what the app's client_credentials token would get
    reader = await kit.new_app("reader", entitlements=("write",))
    anonymous = await kit.client.get("/catalog", params={"client_id": reader.client_id})
    assert_insufficient(anonymous, "read")
    # /whoami names no scope: any token may ask who it is
    assert (await kit.client.get("/whoami", headers=bearer(write_only))).status_code == 200


async def test_read_token_can_neither_like_nor_comment_on_any_bff(sqlite_harness: Harness) -> None:
    """The issue's reproduction: a `scope=read` token liked (200) and commented (201)."""
    h = sqlite_harness
    app, _ = await h.new_app("Player")
    alice = await h.new_user("alice")
    track = await make_track(h.services.deps.db, alice)
    read = (await h.services.identity.issue_for_user(app, alice, ["read"])).access_token
    auth = bearer(read)
    mobile_like = await h.client.post(f"/mobile/tracks/{track}/like", headers=auth)
    assert_insufficient(mobile_like, "write")
    comment = await h.client.post(
        f"/mobile/tracks/{track}/comments", headers=auth, json={"body": "nice"}
    )
    assert_insufficient(comment, "write")
    urn = f"soundcloud:tracks:{track}"
    assert_insufficient(await h.client.post(f"/public/likes/tracks/{urn}", headers=auth), "write")
    public_comment = await h.client.post(
        f"/public/tracks/{urn}/comments", headers=auth, json={"comment": {"body": "nice"}}
    )
    assert_insufficient(public_comment, "write")
    web_playlist = await h.client.post("/web/playlists", headers=auth, json={"playlist": {}})
    assert_insufficient(web_playlist, "write")
    # reads, downloads and signing out need no more than read
    assert (await h.client.get(f"/mobile/tracks/{track}", headers=auth)).status_code == 200
    assert (await h.client.get(f"/public/tracks/{urn}", headers=auth)).status_code == 200
    assert (await h.client.get(f"/web/tracks/{track}", headers=auth)).status_code == 200
    out = await h.client.post("/public/sign-out", headers=auth)
    assert out.status_code == 200, out.text


async def test_partner_scopes_are_enforced(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    entitlements = ("read", "write", "partner:catalog", "partner:insights")
    app, _ = await h.new_app("Label", bffs=("partner",), entitlements=entitlements)
    identity = h.services.identity
    insights_only = await identity.issue_client_credentials(app, ["partner:insights"])
    r = await h.client.get("/partner/creators", headers=bearer(insights_only.access_token))
    assert_insufficient(r, "partner:catalog")
    catalog = await identity.issue_client_credentials(app, ["partner:catalog"])
    ok = await h.client.get("/partner/creators", headers=bearer(catalog.access_token))
    assert ok.status_code == 200, ok.text


async def test_granted_scope_is_never_wider_than_requested(harness: Harness) -> None:
    """client_credentials with scope=read returned `read write`; refresh may narrow too."""
    app, secret = await on_app_loop(harness, harness.new_app, "Backend")
    grant = {"grant_type": "client_credentials", "scope": "read"}
    r = await token(harness, grant, headers=basic(app.client_id, secret))
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "read"
    plays = await harness.client.post(
        "/mobile/tracks/1/plays", headers=bearer(r.json()["access_token"])
    )
    assert_insufficient(plays, "write")
    wider = await token(
        harness, grant | {"scope": "read insights"}, headers=basic(app.client_id, secret)
    )
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    legacy = await harness.client.post(
        "/public/oauth2/token",
        data=grant | {"client_id": app.client_id, "client_secret": secret},
    )
    assert legacy.status_code == 200 and legacy.json()["scope"] == "read", legacy.text

    app, _, _, first = await code_flow(harness)
    refresh = {"grant_type": "refresh_token", "client_id": app.client_id}
    too_wide = await token(
        harness, refresh | {"refresh_token": first["refresh_token"], "scope": "read insights"}
    )
    assert too_wide.status_code == 400 and too_wide.json()["error"] == "invalid_scope"
    narrowed = await token(
        harness, refresh | {"refresh_token": first["refresh_token"], "scope": "read"}
    )
    assert narrowed.status_code == 200, narrowed.text
    assert narrowed.json()["scope"] == "read"
    principal = await on_app_loop(
        harness, harness.services.identity.principal, narrowed.json()["access_token"]
    )
    assert principal is not None and principal.scopes == {"read"}
