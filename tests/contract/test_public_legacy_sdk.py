"""The legacy official Python SDK (`soundcloud` 0.5.0) against /public on a uvicorn server.

The SDK builds `scheme + host + "/" + resource`, so `host="127.0.0.1:PORT/public"` with
`use_ssl=False` points it at us.  It authenticates with `oauth_token` (+ `client_id`) in the
query string of GETs and in the form body of writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import soundcloud

from tests.contract.public_seed import Seed, seeded_server
from tests.integration.test_media_audio import sine


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    with seeded_server(tmp_path_factory.mktemp("legacy-sdk"), users=3, pool=1) as seeded:
        yield seeded


def _client(seed: Seed, token: str | None = None) -> Any:
    host = seed.base_url.removeprefix("http://") + "/public"
    if token:
        return soundcloud.Client(
            client_id=seed.client_id, access_token=token, host=host, use_ssl=False
        )
    return soundcloud.Client(client_id=seed.client_id, host=host, use_ssl=False)


def test_resolve_and_read(seed: Seed) -> None:
    client = _client(seed)
    artist = seed.users[1]
    user = client.get("/resolve", url=f"https://soundcloud.com/{artist.permalink}")
    assert user.urn == f"soundcloud:users:{artist.id}" and user.kind == "user"
    track = client.get(f"/tracks/soundcloud:tracks:{artist.tracks[0]}")
    assert track.id == artist.tracks[0] and track.user["id"] == artist.id
    tracks = client.get("/tracks", q="Artist 1", limit=10)
    assert artist.tracks[0] in {t.id for t in tracks}


def test_paginates_with_linked_partitioning(seed: Seed) -> None:
    client = _client(seed)
    artist = seed.users[0]
    seen: list[int] = []
    page = client.get(f"/users/{artist.id}/tracks", limit=1, linked_partitioning=1)
    while True:
        seen.extend(t.id for t in page.collection)
        href = page.fields().get("next_href")
        if not href:
            break
        page = client.get(href)
    assert len(seen) == len(set(seen)) >= 3


def test_me_with_a_user_token(seed: Seed) -> None:
    me = _client(seed, seed.users[0].token).get("/me")
    assert me.id == seed.users[0].id


def test_likes_and_comments(seed: Seed) -> None:
    """Writes: the SDK sends `oauth_token` in the form body."""
    fan, artist = seed.users[2], seed.users[1]
    client = _client(seed, fan.token)
    urn = f"soundcloud:tracks:{artist.tracks[1]}"
    client.post(f"/likes/tracks/{urn}")
    comment = client.post(f"/tracks/{urn}/comments", comment={"body": "from the sdk"})
    assert comment.body == "from the sdk" and comment.status_code == 201
    liked = client.get("/me/likes/tracks", linked_partitioning=1)
    assert urn in {t.urn for t in liked.collection}


def test_likes_and_comments_with_token_in_query(seed: Seed) -> None:
    """The same writes with the token on the URL (an absolute resource URL, as the SDK allows)."""
    fan, artist = seed.users[2], seed.users[0]
    client = _client(seed, fan.token)
    base = f"{seed.base_url}/public"
    urn = f"soundcloud:tracks:{artist.tracks[1]}"
    auth = f"?oauth_token={fan.token}"
    liked = client.post(f"{base}/likes/tracks/{urn}{auth}")
    assert liked.status_code == 200
    comment = client.post(
        f"{base}/tracks/{urn}/comments{auth}", comment={"body": "hi", "timestamp": 5}
    )
    assert comment.body == "hi" and comment.timestamp == "5"
    likes = client.get("/me/likes/tracks", linked_partitioning=1)
    assert urn in {t.urn for t in likes.collection}


def test_upload_sends_oauth_token_as_a_multipart_field(seed: Seed, tmp_path: Path) -> None:
    """The SDK uploads a file with its credentials as multipart form fields."""
    owner = seed.users[0]
    audio = tmp_path / "tone.mp3"
    audio.write_bytes(sine(1))
    with audio.open("rb") as f:
        track = _client(seed, owner.token).post(
            "/tracks", track={"title": "From the SDK", "asset_data": f}
        )
    assert track.status_code == 201
    assert track.title == "From the SDK" and track.user["id"] == owner.id


def test_non_pkce_token_requests_get_an_oauth_error_body(seed: Seed) -> None:
    """The SDK's password flow and its code exchange without a verifier: RFC 6749's body,
    which the SDK's HTTPError carries to the caller."""
    host = seed.base_url.removeprefix("http://") + "/public"
    credentials = {"client_id": seed.client_id, "client_secret": seed.client_secret}
    with pytest.raises(requests.HTTPError) as password:
        soundcloud.Client(**credentials, username="artist0", password="x", host=host, use_ssl=False)
    assert password.value.response.status_code == 400
    assert password.value.response.json()["error"] == "unsupported_grant_type"
    assert "PKCE" in password.value.response.json()["error_description"]
    client = soundcloud.Client(
        **credentials, redirect_uri="http://localhost:9999/callback", host=host, use_ssl=False
    )
    with pytest.raises(requests.HTTPError) as exchange:
        client.exchange_token("some-code")
    assert exchange.value.response.json()["error"] == "invalid_request"
    assert "code_verifier" in exchange.value.response.json()["error_description"]
