"""Player credentials over real databases: API keys are stored hashed and revocable, player
passwords sealed under SECRET_KEY (never in clear, bound to their user), and authentication
fails alike for unknown users, missing credentials and wrong secrets."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import pytest

from app.value_added.common.errors import InvalidArgument, NotFound
from app.value_added.common.sealing import Sealer, Unsealable
from app.value_added.registry import Services, build_services

SECRET = "test-secret-key-0123456789"


@pytest.fixture
async def services(database_url: str) -> AsyncIterator[Services]:
    s = build_services(database_url, SECRET)
    yield s
    await s.close()


def token(password: str, salt: str) -> str:
    return hashlib.md5((password + salt).encode()).hexdigest()


async def test_api_keys_are_hashed_listed_and_revoked(services: Services) -> None:
    identity = services.identity
    ana = (await identity.create_user("ana", "long enough pw")).id
    bob = (await identity.create_user("bob", "long enough pw")).id
    key = await identity.create_api_key(ana, "phone")
    async with services.deps.db.read() as uow:
        stored = await uow.player_credentials.api_keys_of(ana)
    assert [k.key_hash for k in stored] == [hashlib.sha256(key.api_key.encode()).hexdigest()]
    listener = await identity.player_by_api_key(key.api_key)
    assert listener is not None and (listener.user_id, listener.api_key_id) == (ana, key.id)
    assert await identity.player_by_api_key(key.api_key + "x") is None
    with pytest.raises(NotFound):  # another user's key is not theirs to revoke
        await identity.revoke_api_key(bob, key.id)
    await identity.revoke_api_key(ana, key.id)
    assert await identity.player_by_api_key(key.api_key) is None
    with pytest.raises(InvalidArgument):
        await identity.create_api_key(ana, "  ")


async def test_player_passwords_are_sealed_and_bound_to_their_user(services: Services) -> None:
    identity = services.identity
    ana = (await identity.create_user("ana", "long enough pw")).id
    bob = (await identity.create_user("bob", "long enough pw")).id
    made = await identity.create_player_password(ana)
    await identity.create_player_password(bob)
    async with services.deps.db.read() as uow:
        sealed = await uow.player_credentials.player_password(ana)
        bobs = await uow.player_credentials.player_password(bob)
    assert sealed is not None and bobs is not None
    assert made.password.encode() not in sealed.sealed
    assert (
        await identity.player_by_token("ana", token(made.password, "salty"), "salty")
    ) is not None
    assert (await identity.player_by_password("ana", made.password)) is not None
    assert await identity.player_by_password("ana", "long enough pw") is None  # not the account one
    assert await identity.player_by_token("ghost", token(made.password, "s"), "s") is None
    # a value sealed for one user does not open for another (it cannot be moved over)
    async with services.deps.db.write() as uow:
        await uow.player_credentials.set_player_password(bob, sealed.sealed)
    assert await identity.player_by_password("bob", made.password) is None
    # another SECRET_KEY cannot open it either
    with pytest.raises(Unsealable):
        Sealer("another-secret-key-000000").open("player-password", str(ana), sealed.sealed)
    assert await identity.revoke_player_password(ana) is True
    assert await identity.player_by_password("ana", made.password) is None
    assert await identity.player_password_created_at(ana) is None
