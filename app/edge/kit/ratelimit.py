"""Rate limiting per BFF, per app, per user and per client address, with tighter budgets for
writes (spam control)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import msgspec

from app.edge.kit.caller import Caller
from app.edge.kit.errors import EdgeError
from app.edge.kit.ratelimit_store import RateLimitStore

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Budget(msgspec.Struct, frozen=True):
    """`limit` requests per `window` seconds, counted per app, per user or per address.

    An app's anonymous callers (a bare `client_id`, no token) count against its per-app
    budgets in counters of their own, so however many there are they never spend what the
    app's signed-in users share; `anonymous_only` budgets count only them.
    """

    name: str
    limit: int
    window: int
    per: str
    """'app', 'user' or 'address' (the client's, see headers.client_address)."""
    writes_only: bool = False
    anonymous_only: bool = False
    """Counts only callers identified by a bare client_id (no token)."""


class RateLimitPolicy(msgspec.Struct, frozen=True):
    """The budgets one BFF enforces; every budget that applies to a request counts it."""

    budgets: tuple[Budget, ...]

    def overridden(
        self,
        *,
        app: int | None = None,
        user: int | None = None,
        writes: int | None = None,
        address: int | None = None,
        anonymous: int | None = None,
    ) -> RateLimitPolicy:
        """The policy with per-minute limits replaced by the operator's settings (None: keep),
        and an `anonymous` budget per client address (DEFAULT_ANONYMOUS_PER_MINUTE unless
        `anonymous`) where the policy counts per app and has none of its own."""

        def one(b: Budget) -> Budget:
            by_subject = {"app": app, "user": user, "address": address}
            if b.writes_only:
                limit = writes
            elif b.anonymous_only:
                limit = anonymous
            else:
                limit = by_subject.get(b.per)
            return b if limit is None else msgspec.structs.replace(b, limit=limit, window=60)

        budgets = tuple(one(b) for b in self.budgets)
        per_app = any(b.per == "app" for b in budgets)
        if per_app and not any(b.anonymous_only for b in budgets):
            limit = anonymous or DEFAULT_ANONYMOUS_PER_MINUTE
            budgets += (Budget("anonymous", limit, 60, "address", anonymous_only=True),)
        return RateLimitPolicy(budgets=budgets)

    @property
    def counts_open_routes(self) -> bool:
        """Does a request without a caller (an open route) meet any budget (per address)?"""
        return any(b.per == "address" and not b.anonymous_only for b in self.budgets)

    @property
    def counts_addresses(self) -> bool:
        return any(b.per == "address" for b in self.budgets)


DEFAULT_ANONYMOUS_PER_MINUTE = 600
"""Requests per minute one client address may make with a bare client_id (no token), per BFF."""


DEFAULT_POLICY = RateLimitPolicy(
    budgets=(
        Budget("app", 15_000, 60, "app"),
        Budget("user", 1_200, 60, "user"),
        Budget("user-writes", 60, 60, "user", writes_only=True),
    )
)


class Decision(msgspec.Struct, frozen=True):
    budget: Budget
    remaining: int
    reset: int


def _subject(budget: Budget, caller: Caller | None, address: str | None) -> int | str | None:
    anonymous = caller is not None and caller.principal is None
    if budget.anonymous_only and not anonymous:
        return None
    if budget.per == "address":
        return address
    if caller is None:
        return None
    if budget.per == "app":  # (anonymous callers in counters of their own)
        return f"{caller.app.id}:anonymous" if anonymous else caller.app.id
    return caller.user_id


async def check(
    store: RateLimitStore,
    bff: str,
    policy: RateLimitPolicy,
    caller: Caller | None,
    method: str,
    address: str | None = None,
) -> list[Decision]:
    """Count this request against every budget that applies (one store round trip); raise 429
    on the first exceeded. Unauthenticated requests (`caller` None) meet only per-address
    budgets (never `anonymous_only` ones, which count bare client_ids)."""
    is_write = method.upper() in WRITE_METHODS
    applying: list[tuple[Budget, int | str]] = []
    for budget in policy.budgets:
        if budget.writes_only and not is_write:
            continue
        subject = _subject(budget, caller, address)
        if subject is not None:
            applying.append((budget, subject))
    if not applying:
        return []
    counted = await store.hit_many(
        [(f"{bff}:{b.name}:{b.per}:{subject}", b.window) for b, subject in applying]
    )
    decisions = []
    for (budget, _), (hits, reset) in zip(applying, counted, strict=True):
        remaining = max(budget.limit - hits, 0)
        decision = Decision(budget, remaining, reset)
        if hits > budget.limit:
            raise EdgeError(
                429,
                "rate_limited",
                f"rate limit {budget.name!r} exceeded: {budget.limit} requests per "
                f"{budget.window} s per {budget.per}; retry in {reset} s",
                headers={"Retry-After": str(reset), **headers_for([decision])},
                extra={
                    "rate_limit": {
                        "policy": budget.name,
                        "limit": budget.limit,
                        "window_seconds": budget.window,
                        "per": budget.per,
                        "retry_after": reset,
                    }
                },
            )
        decisions.append(decision)
    return decisions


def raw_headers_for(decisions: Sequence[Decision]) -> list[tuple[bytes, bytes]]:
    """`headers_for` as lower-case ASGI header pairs (what the gateway appends to responses)."""
    if not decisions:
        return []
    tightest = decisions[0]
    for other in decisions[1:]:  # (the fewest remaining; of those, the latest reset)
        if (other.remaining, -other.reset) < (tightest.remaining, -tightest.reset):
            tightest = other
    budget, remaining, reset = tightest.budget, tightest.remaining, tightest.reset
    return [
        (b"ratelimit-policy", _policy_header(tuple([d.budget for d in decisions]))),
        (b"ratelimit", b'"%s";r=%d;t=%d' % (budget.name.encode(), remaining, reset)),
        (b"x-ratelimit-limit", b"%d" % budget.limit),
        (b"x-ratelimit-remaining", b"%d" % remaining),
        (b"x-ratelimit-reset", b"%d" % reset),
    ]


@functools.lru_cache(maxsize=256)
def _policy_header(budgets: tuple[Budget, ...]) -> bytes:
    return ", ".join(f'"{b.name}";q={b.limit};w={b.window}' for b in budgets).encode()


def headers_for(decisions: Sequence[Decision]) -> dict[str, str]:
    """IETF RateLimit-Policy / RateLimit headers plus the legacy X-RateLimit-* ones."""
    if not decisions:
        return {}
    tightest = min(decisions, key=lambda d: (d.remaining, -d.reset))
    policy = ", ".join(
        f'"{d.budget.name}";q={d.budget.limit};w={d.budget.window}' for d in decisions
    )
    return {
        "RateLimit-Policy": policy,
        "RateLimit": f'"{tightest.budget.name}";r={tightest.remaining};t={tightest.reset}',
        "X-RateLimit-Limit": str(tightest.budget.limit),
        "X-RateLimit-Remaining": str(tightest.remaining),
        "X-RateLimit-Reset": str(tightest.reset),
    }


async def attempts_exceeded(store: RateLimitStore, key: str, limit: int, window: int) -> int | None:
    """Count one attempt at something guessable (a password, a client secret); the seconds to
    wait when more than `limit` were made in the current `window`, else None."""
    hits, reset = await store.hit(f"attempts:{key}", window)
    return reset if hits > limit else None


class Attempts(msgspec.Struct, frozen=True):
    """Failed attempts at something guessable, counted per key: more than `limit` failures
    in a `window`-second window block that key until the window ends."""

    keys: tuple[tuple[str, int], ...]
    """(key, limit) pairs, e.g. per client address and per username at that address."""
    window: int


async def attempts_blocked(store: RateLimitStore, attempts: Attempts) -> int | None:
    """Seconds to wait when any key had too many failures in this window, else None (counts
    nothing: successes are free, so a guesser elsewhere never locks the real user out)."""
    seen = await store.peek_many([(f"attempts:{k}", attempts.window) for k, _ in attempts.keys])
    waits = [
        reset
        for (_, limit), (hits, reset) in zip(attempts.keys, seen, strict=True)
        if hits >= limit
    ]
    return max(waits) if waits else None


async def count_failure(store: RateLimitStore, attempts: Attempts) -> None:
    """Count one failed attempt against every key."""
    await store.hit_many([(f"attempts:{k}", attempts.window) for k, _ in attempts.keys])
