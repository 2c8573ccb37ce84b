"""A new caller's principal in one statement (its token with its app, user and partner grants),
on SQLite and PostgreSQL, over the mobile BFF: what it lets through, with which viewer state, and
every refusal it must keep (unknown, revoked, expired tokens, a disabled app, an app not
entitled to the BFF or to writing)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.foundation.db import count_statements, utcnow
from tests.e2e.conftest import Harness
from tests.factories import make_track


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"OAuth {token}"}


async def _sql(h: Harness, sql: str, **params: object) -> None:
    async with h.services.deps.db.write() as uow:
        await uow.connection.execute(sa.text(sql), params)


async def test_a_new_viewers_track_read_is_three_statements_with_its_state(
    harness: Harness,
) -> None:
    h = harness
    mobile, _ = await h.new_app("principal-mobile", ("mobile",))
    owner = await h.new_user("principal-owner", country="DE")
    fan = await h.new_user("principal-fan", country="DE")
    track = await make_track(h.services.deps.db, owner)
    owner_token, fan_token = await h.user_token(mobile, owner), await h.user_token(mobile, fan)
    assert (
        await h.client.post(f"/mobile/users/{fan}/follow", headers=_auth(owner_token))
    ).is_success
    assert (
        await h.client.post(f"/mobile/tracks/{track}/like", headers=_auth(fan_token))
    ).is_success

    stranger = await h.new_user("principal-stranger", country="DE")
    for token, liked, followed_by in (
        (await h.user_token(mobile, fan), True, True),  # (a token never used: not cached)
        (await h.user_token(mobile, stranger), False, False),
    ):
        h.services.deps.db.cache.clear()
        with count_statements() as n:
            r = await h.client.get(f"/mobile/tracks/{track}", headers=_auth(token))
        assert r.status_code == 200, r.text
        # the principal (1), the track with its companions (1), the viewer's likes, reposts and
        # followings with whether the owner follows the viewer (1); then nothing more
        assert n[0] == 3, n[0]
        body = r.json()
        assert body["viewer"] == {"liked": liked, "reposted": False}
        assert body["user"]["relation"] == {"following": False, "followed_by": followed_by}
        with count_statements() as again:
            assert (await h.client.get(f"/mobile/tracks/{track}", headers=_auth(token))).is_success
        assert again[0] == 0


async def test_the_one_statement_principal_refuses_what_it_must(harness: Harness) -> None:
    h = harness
    mobile, _ = await h.new_app("refusing-mobile", ("mobile",))
    reader, _ = await h.new_app("refusing-reader", ("mobile",), ("read",))
    elsewhere, _ = await h.new_app("refusing-public", ("public",))
    doomed, _ = await h.new_app("refusing-doomed", ("mobile",))
    owner = await h.new_user("refusing-owner", country="DE")
    track = await make_track(h.services.deps.db, owner)
    path = f"/mobile/tracks/{track}"

    async def refused(token: str, status: int = 401, method: str = "GET", url: str = path) -> str:
        r = await h.client.request(method, url, headers=_auth(token))
        assert r.status_code == status, r.text
        return str(r.json()["error"]["code"])

    assert await refused("not-a-token") == "invalid_token"

    revoked = await h.user_token(mobile, owner)  # (never read before: from the database)
    await h.services.identity.revoke(revoked)
    assert await refused(revoked) == "token_revoked"

    expired = await h.user_token(mobile, owner)
    past = utcnow() - dt.timedelta(seconds=1)
    await _sql(h, "UPDATE tokens SET expires_at = :at WHERE expires_at > :at", at=past)
    assert await refused(expired) == "token_expired"

    # a token of an app disabled while it was minted (not itself revoked): refused as revoked
    minted = await h.user_token(doomed, owner)
    await _sql(
        h,
        "UPDATE apps SET client_secret_hash = '!' || client_secret_hash WHERE id = :id",
        id=doomed.id,
    )
    assert await refused(minted) == "token_revoked"

    # apps without the entitlement: not this BFF; not writing
    assert await refused(await h.user_token(elsewhere, owner), 403) == "bff_not_entitled"
    read_only = await h.user_token(reader, owner)
    assert (await h.client.get(path, headers=_auth(read_only))).status_code == 200
    assert await refused(read_only, 403, "POST", f"{path}/like") == "not_entitled"
    assert (await h.client.get(path, headers=_auth(await h.user_token(mobile, owner)))).is_success
