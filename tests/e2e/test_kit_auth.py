"""Kit over HTTP: how callers authenticate, why they are refused, and what they may do."""

from __future__ import annotations

import datetime as dt

from tests.e2e.test_kit_harness import Kit, kit

__all__ = ["kit"]


async def test_token_in_oauth_bearer_header_and_query(kit: Kit) -> None:
    app = await kit.new_app("player")
    user = await kit.new_user("alice")
    token = await kit.token(app, user)
    for kwargs in (
        {"headers": {"Authorization": f"OAuth {token}"}},
        {"headers": {"Authorization": f"Bearer {token}"}},
        {"params": {"oauth_token": token}},
    ):
        r = await kit.client.get("/me", **kwargs)  # type: ignore[arg-type]
        assert r.status_code == 200, (kwargs, r.text)
        assert r.json() == {"user_id": user, "app_id": app.id}


async def test_anonymous_client_id_and_whoami(kit: Kit) -> None:
    app = await kit.new_app("widget")
    r = await kit.client.get("/catalog", params={"client_id": app.client_id})
    assert r.status_code == 200
    who = await kit.client.get("/whoami", params={"client_id": app.client_id})
    assert who.json() == {
        "app_id": app.id,
        "client_id": app.client_id,
        "user_id": None,
        "territory": None,
        "plan": "free",
        "scopes": [],
    }
    assert who.headers["cache-control"] == "private, no-cache"


async def test_no_app_at_all_is_401_with_challenge(kit: Kit) -> None:
    r = await kit.client.get("/catalog")
    assert r.status_code == 401 and r.json()["reason"] == "client_id_required"
    assert r.headers["www-authenticate"].startswith("OAuth realm=")
    unknown = await kit.client.get("/catalog", params={"client_id": "nope"})
    assert unknown.status_code == 401 and unknown.json()["reason"] == "invalid_client"
    assert (await kit.client.get("/open")).status_code == 200


async def test_unknown_expired_revoked_tokens_have_distinct_reasons(kit: Kit) -> None:
    app = await kit.new_app("player")
    user = await kit.new_user("alice")
    expiring, revoked = await kit.token(app, user), await kit.token(app, user)

    async def reason(token: str) -> str:
        r = await kit.client.get("/me", headers={"Authorization": f"OAuth {token}"})
        assert r.status_code == 401, r.text
        assert 'error="invalid_token"' in r.headers["www-authenticate"]
        assert r.headers["cache-control"] == "no-store"
        return str(r.json()["reason"])

    assert await reason("not-a-token") == "invalid_token"
    assert (await kit.client.get("/me", params={"oauth_token": revoked})).status_code == 200
    await kit.ctx.services.identity.revoke(revoked)  # cached above; refused at once here
    assert await reason(revoked) == "token_revoked"
    assert (await kit.client.get("/me", params={"oauth_token": expiring})).status_code == 200
    kit.clock.now += dt.timedelta(hours=1, seconds=1)
    assert await reason(expiring) == "token_expired"


async def test_malformed_authorization_is_401(kit: Kit) -> None:
    for value in ("Basic abc", "OAuth", "Bearer   ", "token"):
        r = await kit.client.get("/me", headers={"Authorization": value})
        assert r.status_code == 401, value
        assert r.json()["reason"] == "invalid_authorization"
        assert "www-authenticate" in r.headers


async def test_app_not_entitled_to_this_bff_is_403(kit: Kit) -> None:
    app = await kit.new_app("web-only", bffs=("web",))
    r = await kit.client.get("/catalog", params={"client_id": app.client_id})
    assert r.status_code == 403 and r.json()["reason"] == "bff_not_entitled"


async def test_missing_entitlement_is_403(kit: Kit) -> None:
    plain = await kit.new_app("plain")
    r = await kit.client.get("/insights", params={"client_id": plain.client_id})
    assert r.status_code == 403 and r.json()["reason"] == "not_entitled"
    assert "insights" in r.json()["message"]
    stats = await kit.new_app("stats", entitlements=("read", "insights"))
    ok = await kit.client.get("/insights", params={"client_id": stats.client_id})
    assert ok.status_code == 200 and ok.json() == {"plays": 42}


async def test_read_only_app_cannot_write(kit: Kit) -> None:
    app = await kit.new_app("reader", entitlements=("read",))
    user = await kit.new_user("alice")
    token = await kit.token(app, user)
    headers = {"Authorization": f"OAuth {token}"}
    assert (await kit.client.get("/me", headers=headers)).status_code == 200
    r = await kit.client.post("/things", headers=headers)
    assert r.status_code == 403 and r.json()["reason"] == "not_entitled"
    writer = await kit.new_app("writer")
    w = await kit.client.post(
        "/things", headers={"Authorization": f"OAuth {await kit.token(writer, user)}"}
    )
    assert w.status_code == 201 and w.json() == {"created_by": user}


async def test_user_routes_need_a_users_token(kit: Kit) -> None:
    """`auth: user` (USER_READ, WRITE): an app's own credentials are refused with 401
    user_required before the handler runs; a user's token passes, as the signed-in user."""
    app = await kit.new_app("player")
    user = await kit.new_user("alice")
    app_only = {"Authorization": f"OAuth {await kit.token(app)}"}
    for method in ("GET", "POST"):
        for credentials in ({"headers": app_only}, {"params": {"client_id": app.client_id}}):
            r = await kit.client.request(method, "/mine", **credentials)  # type: ignore[arg-type]
            assert r.status_code == 401, (method, credentials, r.text)
            assert r.json()["reason"] == "user_required"
            assert 'error="user_required"' in r.headers["www-authenticate"]
    signed_in = {"Authorization": f"OAuth {await kit.token(app, user)}"}
    assert (await kit.client.get("/mine", headers=signed_in)).json() == {"user_id": user}
    changed = await kit.client.post("/mine", headers=signed_in)
    assert changed.status_code == 201 and changed.json() == {"changed_by": user}
    assert (await kit.client.get("/mine")).json()["reason"] == "client_id_required"


async def test_app_routes_take_a_client_id_or_any_token(kit: Kit) -> None:
    """`auth: app` (READ): a client_id, an app token or a user token all pass."""
    app = await kit.new_app("player")
    user = await kit.new_user("alice")
    for credentials in (
        {"params": {"client_id": app.client_id}},
        {"headers": {"Authorization": f"OAuth {await kit.token(app)}"}},
        {"headers": {"Authorization": f"OAuth {await kit.token(app, user)}"}},
    ):
        r = await kit.client.get("/track", **credentials)  # type: ignore[arg-type]
        assert r.status_code == 200, (credentials, r.text)
