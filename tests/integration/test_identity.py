"""Identity VAS on SQLite and PostgreSQL: accounts, apps, tokens, PKCE codes, principals."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from app.foundation.db import count_statements, create_engine
from app.foundation.unit_of_work import Database
from app.value_added.common.deps import Deps
from app.value_added.common.errors import Conflict, InvalidArgument, NotFound, Unauthenticated
from app.value_added.identity import AppInfo, IdentityService, Passwords

NOW = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
REDIRECT = "https://client.example/callback"
VERIFIER = "v" * 20 + "-._~" + "a1B2c3D4e5F6g7H8i9J0kLmN"


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(create_engine(database_url))
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def revoked_hook() -> list[list[str]]:
    return []


@pytest.fixture
def identity(db: Database, clock: Clock, revoked_hook: list[list[str]]) -> IdentityService:
    async def on_revoke(hashes: Sequence[str]) -> None:
        revoked_hook.append(list(hashes))

    deps = Deps.build(db, "test-secret", clock=clock)
    return IdentityService(deps, on_revoke, passwords=Passwords(FAST))


async def fetch(db: Database, sql: str, **params: object) -> list[tuple[Any, ...]]:
    async with db.read() as uow:
        return [tuple(row) for row in await uow.connection.execute(sa.text(sql), params)]


async def make_app(identity: IdentityService, name: str = "player", **kw: object) -> AppInfo:
    kw.setdefault("bffs", ["public"])
    kw.setdefault("redirect_uris", [REDIRECT])
    created = await identity.create_app(name, **kw)  # type: ignore[arg-type]
    app = await identity.app_by_client_id(created.client_id)
    assert app is not None
    return app


# --------------------------------------------------------------------------- users


async def test_create_user_normalizes_and_hashes(identity: IdentityService, db: Database) -> None:
    user = await identity.create_user("DJ_Shadow", "correct horse", country="gb", plan="premium")
    assert (user.username, user.permalink, user.country, user.plan) == (
        "DJ_Shadow",
        "dj_shadow",
        "GB",
        "premium",
    )
    [row] = await fetch(db, "SELECT password_hash FROM users WHERE id = :id", id=user.id)
    assert row[0].startswith("$argon2id$") and "correct horse" not in row[0]
    counters = await fetch(db, "SELECT user_id FROM user_counters WHERE user_id = :id", id=user.id)
    assert len(counters) == 1


async def test_duplicate_username_conflicts_case_insensitively(identity: IdentityService) -> None:
    await identity.create_user("bonobo", "password1")
    for name in ("bonobo", "BONOBO"):
        with pytest.raises(Conflict) as caught:
            await identity.create_user(name, "password2")
        assert caught.value.reason == "username_taken"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "x" * 41}, "username"),
        ({"username": "bad name"}, "username"),
        ({"username": "émile"}, "username"),
        ({"password": "short"}, "password"),
        ({"country": "GBR"}, "country"),
        ({"country": "1A"}, "country"),
        ({"plan": "gold"}, "plan"),
        ({"first_name": "x" * 101}, "first_name"),
    ],
)
async def test_create_user_rejects_bad_values(
    identity: IdentityService, kwargs: dict[str, str], field: str
) -> None:
    values = {"username": "valid_name", "password": "long enough"} | kwargs
    with pytest.raises(InvalidArgument) as caught:
        await identity.create_user(**values)
    assert caught.value.field == field


async def test_authenticate(identity: IdentityService) -> None:
    user = await identity.create_user("four_tet", "right password")
    assert await identity.authenticate("four_tet", "right password") == user.id
    assert await identity.authenticate("FOUR_TET", "right password") == user.id
    errors = []
    for username, password in [("four_tet", "wrong password"), ("nobody", "right password")]:
        with pytest.raises(Unauthenticated) as caught:
            await identity.authenticate(username, password)
        errors.append((caught.value.reason, caught.value.message))
    assert errors[0] == errors[1] == ("invalid_credentials", "invalid username or password")


async def test_authenticate_rehashes_outdated_hash(
    identity: IdentityService, db: Database, clock: Clock
) -> None:
    user = await identity.create_user("burial", "untrue 2007")
    [before] = await fetch(db, "SELECT password_hash FROM users WHERE id = :id", id=user.id)
    stronger = IdentityService(Deps.build(db, "s", clock=clock))  # argon2 defaults
    assert await stronger.authenticate("burial", "untrue 2007") == user.id
    [after] = await fetch(db, "SELECT password_hash FROM users WHERE id = :id", id=user.id)
    assert after[0] != before[0] and "m=1024" in before[0] and "m=1024" not in after[0]
    assert await stronger.authenticate("burial", "untrue 2007") == user.id


# --------------------------------------------------------------------------- apps


async def test_create_app_and_verify_client(identity: IdentityService, db: Database) -> None:
    created = await identity.create_app("widget", ["web", "public"], redirect_uris=[REDIRECT])
    app = await identity.verify_client(created.client_id, created.client_secret)
    assert app.id == created.id and app.name == "widget"
    assert app.bffs == frozenset({"web", "public"})
    assert app.entitlements == frozenset({"read", "write"})
    assert app.redirect_uris == (REDIRECT,)
    assert not hasattr(app, "client_secret_hash")
    [row] = await fetch(db, "SELECT client_secret_hash FROM apps WHERE id = :id", id=app.id)
    assert row[0] != created.client_secret and row[0] == sha256(created.client_secret)
    for client_id, secret in [
        (created.client_id, "wrong"),
        ("unknown", created.client_secret),
        (created.client_id, ""),
    ]:
        with pytest.raises(Unauthenticated) as caught:
            await identity.verify_client(client_id, secret)
        assert caught.value.reason == "invalid_client"
    assert await identity.app_by_client_id("unknown") is None


async def test_create_app_rejects_bad_input(identity: IdentityService) -> None:
    await identity.create_app("taken", ["mobile"])
    with pytest.raises(Conflict):
        await identity.create_app("taken", ["web"])
    cases: list[tuple[dict[str, object], str]] = [
        ({"bffs": ["desktop"]}, "bffs"),
        ({"bffs": []}, "bffs"),
        ({"bffs": ["web"], "entitlements": ["admin"]}, "entitlements"),
        ({"bffs": ["web"], "redirect_uris": ["/relative"]}, "redirect_uris"),
        ({"bffs": ["web"], "redirect_uris": ["ftp://host/cb"]}, "redirect_uris"),
        ({"bffs": ["web"], "redirect_uris": ["https://host/cb#frag"]}, "redirect_uris"),
        ({"bffs": ["web"], "redirect_uris": ["https:///nohost"]}, "redirect_uris"),
        ({"bffs": ["web"], "owner_id": 999}, "owner_id"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidArgument) as caught:
            await identity.create_app("fresh", **kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field, kwargs


# --------------------------------------------------------------------------- tokens


async def test_client_credentials_principal_and_expiry(
    identity: IdentityService, db: Database, clock: Clock
) -> None:
    app = await make_app(identity, entitlements=["read"])
    pair = await identity.issue_client_credentials(app)
    assert pair.refresh_token is None and pair.expires_in == 3600 and pair.scope == "read"
    principal = await identity.principal(pair.access_token)
    assert principal is not None
    assert (principal.user_id, principal.plan, principal.territory) == (None, "free", None)
    assert principal.app == app and principal.scopes == frozenset({"read"})
    viewer = principal.viewer("de")
    assert (viewer.app_id, viewer.territory, viewer.is_anonymous) == (app.id, "DE", True)
    [row] = await fetch(db, "SELECT access_hash, refresh_hash FROM tokens")
    assert row[0] == sha256(pair.access_token) and row[1] is None
    assert await identity.principal("not a token") is None

    clock.advance(minutes=59)
    assert await identity.principal(pair.access_token) is not None  # cached, still valid
    clock.advance(minutes=2)
    with pytest.raises(Unauthenticated) as caught:
        await identity.principal(pair.access_token)  # cached, now expired
    assert caught.value.reason == "token_expired"
    identity.invalidate([sha256(pair.access_token)])
    with pytest.raises(Unauthenticated) as caught:
        await identity.principal(pair.access_token)  # from the database
    assert caught.value.reason == "token_expired"


async def test_user_token_refresh_rotation_and_replay_revokes_family(
    identity: IdentityService, db: Database, revoked_hook: list[list[str]]
) -> None:
    app = await make_app(identity)
    user = await identity.create_user("moderat", "a new error", country="de", plan="premium")
    first = await identity.issue_for_user(app, user.id, ["read"])
    assert first.refresh_token is not None
    principal = await identity.principal(first.access_token)
    assert principal is not None
    assert (principal.user_id, principal.plan, principal.territory) == (user.id, "premium", "DE")
    assert principal.viewer().user_id == user.id

    second = await identity.refresh(app, first.refresh_token)
    assert second.refresh_token not in (None, first.refresh_token)
    assert second.access_token != first.access_token and second.scope == "read"
    assert await identity.principal(second.access_token) is not None
    rows = await fetch(db, "SELECT refresh_hash, family FROM tokens ORDER BY id")
    assert [r[0] for r in rows] == [sha256(first.refresh_token), sha256(second.refresh_token)]
    assert rows[0][1] == rows[1][1]

    with pytest.raises(Unauthenticated) as caught:
        await identity.refresh(app, first.refresh_token)  # replay
    assert caught.value.reason == "invalid_grant"
    for token in (first.access_token, second.access_token):
        with pytest.raises(Unauthenticated) as caught:
            await identity.principal(token)
        assert caught.value.reason == "token_revoked"
    with pytest.raises(Unauthenticated):
        await identity.refresh(app, second.refresh_token)  # the family is gone
    assert sorted(revoked_hook[0]) == sorted(
        [sha256(first.access_token), sha256(second.access_token)]
    )


async def test_refresh_failures(identity: IdentityService, clock: Clock) -> None:
    app = await make_app(identity)
    other = await make_app(identity, "other")
    user = await identity.create_user("jon_hopkins", "immunity!")
    pair = await identity.issue_for_user(app, user.id)
    assert pair.refresh_token is not None and pair.scope == "read write"
    for client, token in [(other, pair.refresh_token), (app, "unknown"), (app, pair.access_token)]:
        with pytest.raises(Unauthenticated) as caught:
            await identity.refresh(client, token)
        assert caught.value.reason == "invalid_grant"
    assert await identity.principal(pair.access_token) is not None  # nothing was revoked
    clock.advance(days=31)
    with pytest.raises(Unauthenticated) as caught:
        await identity.refresh(app, pair.refresh_token)
    assert caught.value.reason == "invalid_grant"
    with pytest.raises(InvalidArgument) as scope_error:
        await identity.issue_for_user(app, user.id, ["partner:catalog"])
    assert scope_error.value.reason == "invalid_scope"


async def test_revoke_takes_effect_although_cached(
    identity: IdentityService, revoked_hook: list[list[str]]
) -> None:
    app = await make_app(identity)
    user = await identity.create_user("caribou", "our love 2014")
    pair = await identity.issue_for_user(app, user.id)
    other = await identity.issue_for_user(app, user.id)
    assert await identity.principal(pair.access_token) is not None  # now cached
    assert await identity.revoke(pair.access_token) == [sha256(pair.access_token)]
    assert revoked_hook == [[sha256(pair.access_token)]]
    with pytest.raises(Unauthenticated) as caught:
        await identity.principal(pair.access_token)
    assert caught.value.reason == "token_revoked"
    assert await identity.principal(other.access_token) is not None  # another family
    assert await identity.revoke("unknown") == []


# --------------------------------------------------------------------------- PKCE codes


async def test_pkce_code_flow(identity: IdentityService, db: Database) -> None:
    app = await make_app(identity)
    user = await identity.create_user("floating", "points!!")
    code = await identity.create_code(app, user.id, REDIRECT, challenge(VERIFIER), "S256", ["read"])
    [row] = await fetch(db, "SELECT code_hash FROM authorization_codes")
    assert row[0] == sha256(code) != code

    with pytest.raises(Unauthenticated) as caught:
        await identity.exchange_code(app, code, REDIRECT, VERIFIER[:-1] + "x")
    assert caught.value.reason == "invalid_grant"
    with pytest.raises(Unauthenticated):
        await identity.exchange_code(app, code, REDIRECT + "/other", VERIFIER)

    pair = await identity.exchange_code(app, code, REDIRECT, VERIFIER)
    principal = await identity.principal(pair.access_token)
    assert principal is not None and principal.user_id == user.id
    assert principal.scopes == frozenset({"read"}) and pair.refresh_token is not None

    with pytest.raises(Unauthenticated) as caught:
        await identity.exchange_code(app, code, REDIRECT, VERIFIER)  # reuse
    assert caught.value.reason == "invalid_grant"
    with pytest.raises(Unauthenticated) as caught:
        await identity.principal(pair.access_token)  # tokens from the code are revoked
    assert caught.value.reason == "token_revoked"


async def test_pkce_rejections(identity: IdentityService, clock: Clock) -> None:
    app = await make_app(identity)
    other = await make_app(identity, "other")
    user = await identity.create_user("kiasmos", "looped!!")
    with pytest.raises(InvalidArgument) as caught:
        await identity.create_code(app, user.id, REDIRECT, VERIFIER[:43], "plain")
    assert caught.value.field == "code_challenge_method"
    with pytest.raises(InvalidArgument) as caught:
        await identity.create_code(app, user.id, REDIRECT + "x", challenge(VERIFIER), "S256")
    assert caught.value.reason == "redirect_uri_mismatch"
    with pytest.raises(InvalidArgument) as caught:
        await identity.create_code(app, user.id, REDIRECT, "short", "S256")
    assert caught.value.field == "code_challenge"

    code = await identity.create_code(app, user.id, REDIRECT, challenge(VERIFIER), "S256")
    with pytest.raises(Unauthenticated):
        await identity.exchange_code(other, code, REDIRECT, VERIFIER)  # another app
    clock.advance(minutes=11)
    with pytest.raises(Unauthenticated) as expired:
        await identity.exchange_code(app, code, REDIRECT, VERIFIER)
    assert expired.value.reason == "invalid_grant"


# --------------------------------------------------------------------------- partner grants


async def test_partner_grants_reach_principal(identity: IdentityService) -> None:
    partner = await make_app(identity, "label", bffs=["partner"], entitlements=["partner:catalog"])
    creator = await identity.create_user("label_artist", "password!")
    pair = await identity.issue_client_credentials(partner)
    before = await identity.principal(pair.access_token)
    assert before is not None and before.managed_user_ids == frozenset()

    await identity.grant_partner(partner.id, creator.id)
    granted = await identity.principal(pair.access_token)
    assert granted is not None and granted.managed_user_ids == frozenset({creator.id})
    assert granted.viewer().manages(creator.id)

    await identity.revoke_partner(partner.id, creator.id)
    after = await identity.principal(pair.access_token)
    assert after is not None and after.managed_user_ids == frozenset()

    public = await make_app(identity, "not-a-partner")
    with pytest.raises(NotFound):
        await identity.grant_partner(public.id, creator.id)


async def test_a_principal_is_one_statement_with_every_live_grant(
    identity: IdentityService, db: Database, clock: Clock
) -> None:
    """Token, app, user and the app's live partner grants come in ONE statement (grants
    aggregated into one column: one row however many creators granted the app)."""
    partner = await make_app(
        identity, "distributor", bffs=["partner"], entitlements=["partner:catalog"]
    )
    creators = [(await identity.create_user(f"signed_{i}", "password!")).id for i in range(3)]
    for creator in creators:
        await identity.grant_partner(partner.id, creator)
    await identity.revoke_partner(partner.id, creators[1])
    owner = await identity.create_user("the_owner", "password!", country="fr", plan="premium")
    pair = await identity.issue_for_user(partner, owner.id, ["partner:catalog"])
    with count_statements() as n:
        principal = await identity.principal(pair.access_token)
    assert n[0] == 1
    assert principal is not None and principal.user_id == owner.id
    assert principal.managed_user_ids == frozenset({creators[0], creators[2]})
    assert (principal.plan, principal.territory) == ("premium", "FR")
    assert principal.scopes == frozenset({"partner:catalog"}) and principal.app == partner
    with count_statements() as n:
        assert await identity.principal("never issued") is None
    assert n[0] == 1
    with count_statements() as n:  # (the app and the user kept in the record cache)
        async with db.read() as uow:
            assert await uow.users.get(owner.id) is not None
            assert await uow.apps.get(partner.id) is not None
    assert n[0] == 0
    clock.advance(hours=2)
    identity.invalidate([sha256(pair.access_token)])
    with pytest.raises(Unauthenticated) as caught:
        await identity.principal(pair.access_token)
    assert caught.value.reason == "token_expired"


async def test_concurrent_refresh_is_single_use(identity: IdentityService) -> None:
    app = await make_app(identity)
    user = await identity.create_user("bicep", "isles 2021")
    pair = await identity.issue_for_user(app, user.id)
    assert pair.refresh_token is not None
    results = await asyncio.gather(
        identity.refresh(app, pair.refresh_token),
        identity.refresh(app, pair.refresh_token),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, Unauthenticated)]
    assert len(failures) == 1 and failures[0].reason == "invalid_grant"
