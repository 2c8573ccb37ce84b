"""Throttling of failed attempts at guessable secrets (account passwords, client secrets): per
client address and per subject at that address, in tiers whose waits grow with the failures.

Only failures count and nothing is ever keyed on the subject alone, so a guesser at one address
cannot lock the real user (or app) out from another: what Keycloak's brute-force detection
calls *permanent lockout off, wait increments growing*, without its per-user lockout.
"""

from __future__ import annotations

from typing import Any

import msgspec

from app.edge.kit import headers
from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.kit.ratelimit_store import RateLimitStore
from app.value_added.common.errors import Unauthenticated
from app.value_added.identity import AppInfo


class Tier(msgspec.Struct, frozen=True):
    """`failures` failed attempts within a `window`-second window block until it ends."""

    failures: int
    window: int


class Policy(msgspec.Struct, frozen=True):
    """The tiers for one client address and for one subject (a username, a client_id) at it.

    Several tiers make the delay progressive: the first few failures wait seconds, persistent
    guessing waits out ever longer windows."""

    name: str
    per_address: tuple[Tier, ...]
    per_subject: tuple[Tier, ...]


SIGN_IN = Policy(
    "signin",
    per_address=(Tier(20, 60), Tier(100, 3600)),
    per_subject=(Tier(5, 60), Tier(10, 900), Tier(20, 3600)),
)
"""A user's password at the OAuth sign-in form: 5 wrong per minute for one username at one
address, 10 per quarter hour, 20 per hour; 20 a minute and 100 an hour from one address."""
CLIENT_AUTH = Policy(
    "client",
    per_address=(Tier(20, 60), Tier(100, 3600)),
    per_subject=(Tier(5, 60), Tier(10, 900), Tier(20, 3600)),
)
"""A confidential app's client secret at the token and revocation endpoints."""


class Throttle(msgspec.Struct, frozen=True):
    """The counters of one attempt: a policy applied to an address and a subject."""

    policy: Policy
    address: str
    subject: str

    def _keys(self) -> list[tuple[str, int, int]]:
        """(store key, window, failures allowed) of every tier."""
        name, subject = self.policy.name, self.subject.lower()[:128]
        at_address = [
            (f"attempts:{name}:ip:{self.address}:{t.window}", t.window, t.failures)
            for t in self.policy.per_address
        ]
        for_subject = [
            (f"attempts:{name}:sub:{subject}@{self.address}:{t.window}", t.window, t.failures)
            for t in self.policy.per_subject
        ]
        return at_address + for_subject

    async def wait(self, store: RateLimitStore) -> int | None:
        """Seconds to wait before the next attempt may be checked (None: go ahead). Counts
        nothing: a success costs no budget."""
        keys = self._keys()
        seen = await store.peek_many([(key, window) for key, window, _ in keys])
        waits = [
            reset
            for (_, _, allowed), (hits, reset) in zip(keys, seen, strict=True)
            if hits >= allowed
        ]
        return max(waits) if waits else None

    async def failed(self, store: RateLimitStore) -> None:
        """Count one failed attempt in every tier."""
        await store.hit_many([(key, window) for key, window, _ in self._keys()])


async def client_verified(
    ctx: EdgeContext, scope: Any, client_id: str, client_secret: str
) -> AppInfo:
    """The app these credentials authenticate, through the CLIENT_AUTH throttle: 429
    `too_many_attempts` while blocked (the secret is not even checked), and a wrong secret
    (Unauthenticated, re-raised) counts as a failure."""
    attempt = Throttle(CLIENT_AUTH, address_of(scope, ctx), client_id)
    wait = await attempt.wait(ctx.limits)
    if wait is not None:
        raise too_many(wait, "client authentications")
    try:
        return await ctx.services.identity.verify_client(client_id, client_secret)
    except Unauthenticated:
        await attempt.failed(ctx.limits)
        raise


def address_of(scope: Any, ctx: EdgeContext) -> str:
    """The client address of a request (through trusted proxies only)."""
    client = scope.get("client")
    peer = client[0] if client else None
    return headers.client_address(peer, scope["headers"], ctx.settings.trusted_proxies)


def too_many(wait: int, what: str) -> EdgeError:
    """429 `too_many_attempts` with Retry-After (never cached)."""
    return EdgeError(
        429,
        "too_many_attempts",
        f"too many failed {what}; retry in {wait} s",
        headers={"Retry-After": str(wait), "Cache-Control": "no-store"},
    )
