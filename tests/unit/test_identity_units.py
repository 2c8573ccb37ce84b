"""Identity pieces without a database: PKCE vector, validation rules, the principal cache,
argon2id parameters from the settings."""

from __future__ import annotations

import datetime as dt

import pytest

from app.caching.budget import size_of
from app.main import password_cost
from app.settings import SettingsError, load_settings
from app.value_added.common.errors import InvalidArgument
from app.value_added.identity import (
    AppInfo,
    PasswordCost,
    Passwords,
    Principal,
    PrincipalCache,
    rules,
)
from app.value_added.identity.commands.codes import pkce_s256
from tests.conftest import run_async


def test_pkce_s256_matches_rfc_7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize(
    "uri", ["http://localhost:8080/cb", "https://app.example/cb?x=1", "https://a.b"]
)
def test_redirect_uri_accepts(uri: str) -> None:
    assert rules.redirect_uri(uri) == uri


@pytest.mark.parametrize(
    "uri",
    ["cb", "//host/cb", "javascript:alert(1)", "https://h/cb#", "https://h/ cb", "http://[::1"],
)
def test_redirect_uri_rejects(uri: str) -> None:
    with pytest.raises(InvalidArgument):
        rules.redirect_uri(uri)


def test_scopes_default_to_entitlements_and_must_be_granted() -> None:
    granted = frozenset({"read", "write"})
    assert rules.scopes(None, granted) == "read write"
    assert rules.scopes(["write", "read", "read"], granted) == "read write"
    with pytest.raises(InvalidArgument):
        rules.scopes(["insights"], granted)


def principal(token_hash: str, app_id: int = 1) -> Principal:
    app = AppInfo(app_id, "cid", "app", None, (), frozenset(), frozenset())
    expires = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    return Principal(token_hash, app, None, frozenset(), "free", None, expires)


def test_cache_ttl_lru_by_bytes_and_invalidation() -> None:
    now = [0.0]
    room = 16  # (the bound admits 16 principals: one is never more than a sixteenth of it)
    cache = PrincipalCache(ttl=30, max_bytes=room * size_of(principal("t00")), clock=lambda: now[0])
    for i in range(room):
        cache.put(principal(f"t{i:02}", app_id=2 if i == 1 else 1), cache.epoch)
    assert cache.get("t00") is not None  # t00 is now the most recently used
    cache.put(principal("t16"), cache.epoch)
    assert cache.get("t01") is None and len(cache) == room  # the least recently used went
    cache.put(principal("t01", app_id=2), cache.epoch)  # (t02, now the oldest, goes)
    cache.invalidate_app(1)
    assert len(cache) == 1 and cache.get("t01") is not None
    now[0] = 30
    assert cache.get("t01") is None and len(cache) == 0


def test_cache_drops_expired_principals_as_new_ones_arrive() -> None:
    now = [0.0]
    cache = PrincipalCache(
        ttl=30, max_bytes=1000 * size_of(principal("t000")), clock=lambda: now[0]
    )
    for i in range(60):  # one new token a second, none presented twice
        now[0] = float(i)
        cache.put(principal(f"t{i:03}"), cache.epoch)
    assert len(cache) == 30  # tokens t030..t059: the older ones are gone, not merely unused
    assert cache.get("t029") is None and cache.get("t030") is not None


def test_cache_refuses_a_read_that_raced_a_revocation() -> None:
    cache = PrincipalCache()
    epoch = cache.epoch
    cache.invalidate(["a"])  # revoked while "a" was being read from the database
    cache.put(principal("a"), epoch)
    assert cache.get("a") is None


def test_password_cost_settings_reach_the_stored_hash() -> None:
    env = {"SECRET_KEY": "x" * 16}
    default = load_settings(env)
    assert password_cost(default) == PasswordCost()
    assert "$m=65536,t=3,p=4$" in run_async(Passwords(PasswordCost().hasher()).hash, "pw-123456")
    small = load_settings(
        env
        | {"PASSWORD_TIME_COST": "2", "PASSWORD_MEMORY_KIB": "19456", "PASSWORD_PARALLELISM": "1"}
    )
    passwords = Passwords(password_cost(small).hasher())
    stored = run_async(passwords.hash, "pw-123456")
    assert "$argon2id$" in stored and "$m=19456,t=2,p=1$" in stored
    assert run_async(passwords.verify, stored, "pw-123456")
    # a hash made with other parameters still verifies: each names its own
    assert run_async(Passwords(PasswordCost().hasher()).verify, stored, "pw-123456")
    for bad, named in (
        ({"PASSWORD_MEMORY_KIB": "16", "PASSWORD_PARALLELISM": "4"}, "PASSWORD_MEMORY_KIB"),
        ({"PASSWORD_TIME_COST": "0"}, "PASSWORD_TIME_COST"),
        ({"PASSWORD_PARALLELISM": "65"}, "PASSWORD_PARALLELISM"),
        ({"PASSWORD_MEMORY_KIB": "lots"}, "PASSWORD_MEMORY_KIB"),
    ):
        with pytest.raises(SettingsError, match=named):
            load_settings(env | bad)
