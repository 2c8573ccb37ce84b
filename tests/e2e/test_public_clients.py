"""What the legacy SDK and other public-API clients rely on (issue 16): `oauth_token` in a
multipart upload, sign-out with a JSON body, the token endpoint's answers to non-PKCE tries."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Harness
from tests.integration.test_media_audio import sine


async def _setup(h: Harness) -> dict[str, Any]:
    app, secret = await h.new_app("public-clients", bffs=("public",))
    user = await h.new_user("uploader")
    return {"app": app, "secret": secret, "user": user, "token": await h.user_token(app, user)}


async def test_upload_with_oauth_token_as_a_multipart_field(harness: Harness) -> None:
    """The legacy SDK sends its credentials as form fields before the file (as `requests`
    orders them); no Authorization header, nothing in the query."""
    s = await _setup(harness)
    created = await harness.client.post(
        "/public/tracks",
        data={"oauth_token": s["token"], "client_id": s["app"].client_id, "track[title]": "Up"},
        files={"track[asset_data]": ("up.wav", sine(2, "wav"), "audio/wav")},
    )
    assert created.status_code == 201, created.text
    assert created.json()["title"] == "Up" and created.json()["user"]["id"] == s["user"]


async def test_multipart_without_credentials_is_still_refused(sqlite_harness: Harness) -> None:
    s = await _setup(sqlite_harness)
    anonymous = await sqlite_harness.client.post(
        "/public/tracks",
        data={"track[title]": "Up"},
        files={"track[asset_data]": ("up.wav", sine(1, "wav"), "audio/wav")},
    )
    assert anonymous.status_code == 401
    wrong = await sqlite_harness.client.post(
        "/public/tracks",
        data={"oauth_token": "not-a-token", "track[title]": "Up"},
        files={"track[asset_data]": ("up.wav", sine(1, "wav"), "audio/wav")},
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_token"
    mine = await sqlite_harness.client.get(
        "/public/me/tracks", headers={"Authorization": f"OAuth {s['token']}"}
    )
    assert mine.json() == [] or mine.json().get("collection") == []


async def test_public_sign_out_with_a_json_body(harness: Harness) -> None:
    s = await _setup(harness)
    out = await harness.client.post("/public/sign-out", json={"access_token": s["token"]})
    assert out.status_code == 200, out.text
    me = await harness.client.get("/public/me", headers={"Authorization": f"OAuth {s['token']}"})
    assert me.status_code == 401
    nothing = await harness.client.post("/public/sign-out", json={})
    assert nothing.status_code == 401 and nothing.json()["error"] == "invalid_token"


async def test_auth_sign_out_with_a_json_body(harness: Harness) -> None:
    s = await _setup(harness)
    out = await harness.client.post("/auth/sign-out", json={"access_token": s["token"]})
    assert out.status_code == 204, out.text
    me = await harness.client.get("/public/me", headers={"Authorization": f"OAuth {s['token']}"})
    assert me.status_code == 401
    bad = await harness.client.post(
        "/auth/sign-out", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_request"
    nothing = await harness.client.post("/auth/sign-out", json={})
    assert nothing.status_code == 401 and nothing.json()["error"] == "invalid_token"


async def test_legacy_token_endpoint_explains_non_pkce_attempts(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    s = await _setup(h)
    client = {"client_id": s["app"].client_id, "client_secret": s["secret"]}
    password = await h.client.post(
        "/public/oauth2/token",
        data=client | {"grant_type": "password", "username": "uploader", "password": "x"},
    )
    assert password.status_code == 400
    assert password.headers["cache-control"] == "no-store"
    body = password.json()
    assert set(body) == {"error", "error_description"}
    assert body["error"] == "unsupported_grant_type" and "PKCE" in body["error_description"]
    no_verifier = await h.client.post(
        "/public/oauth2/token",
        data=client
        | {"grant_type": "authorization_code", "code": "abc", "redirect_uri": "http://x/cb"},
    )
    assert no_verifier.status_code == 400
    assert no_verifier.json()["error"] == "invalid_request"
    assert "code_verifier" in no_verifier.json()["error_description"]
    wrong_secret = await h.client.post(
        "/public/oauth2/token",
        data={**client, "client_secret": "nope", "grant_type": "client_credentials"},
    )
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    ok = await h.client.post(
        "/public/oauth2/token", data=client | {"grant_type": "client_credentials"}
    )
    assert ok.status_code == 200 and ok.json()["access_token"]
