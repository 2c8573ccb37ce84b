"""The edge's shortcuts on a response-cache hit decide what the general code decides: header
hygiene, rate-limit counting and headers."""

from __future__ import annotations

import itertools

import pytest

from app.edge.kit import headers, ratelimit
from app.edge.kit.ratelimit_store import MemoryStore

HEADER_LISTS = [
    [(b"host", b"a"), (b"user-agent", b"probe"), (b"accept", b"*/*")],
    [(b"host", b"a"), (b"Accept", b"*/*"), (b"X-Forwarded-For", b"1.2.3.4")],
    [(b"host", b"a"), (b"x-forwarded-for", b"1.2.3.4"), (b"x-real-ip", b"5.6.7.8")],
    [(b"host", b"a"), (b"x-user-id", b"7"), (b"x-internal-token", b"s")],
    [(b"host", b"a"), (b"forwarded", b"for=1.2.3.4"), (b"x-soundstack-territory", b"DE")],
    [(b"host", b"a"), (b"connection", b"accept, host"), (b"accept", b"*/*")],
    [(b"host", b"a"), (b"keep-alive", b"5"), (b"te", b"trailers"), (b"upgrade", b"h2c")],
    [(b"host", b"a"), (b"transfer-encoding", b"chunked"), (b"proxy-authorization", b"x")],
    [(b"HOST", b"a"), (b"Authorization", b"OAuth t")],
    [(b"host", b"a"), (b"accept", b"*/*"), (b"Connection", b"Accept")],
]


def _general(raw: list[tuple[bytes, bytes]], trusted: bool) -> list[tuple[bytes, bytes]]:
    return headers._sanitized(list(raw), trusted)


@pytest.mark.parametrize("trusted", [False, True])
def test_sanitize_decides_as_the_general_path_once_names_are_known(
    monkeypatch: pytest.MonkeyPatch, trusted: bool
) -> None:
    monkeypatch.setattr(headers, "_plain_names", set())
    for _ in range(2):  # (the first round teaches the names, the second takes the shortcut)
        for raw in HEADER_LISTS:
            assert headers.sanitize(raw, trusted) == _general(raw, trusted), raw
    for a, b in itertools.permutations(HEADER_LISTS, 2):
        raw = a + b
        assert headers.sanitize(raw, trusted) == _general(raw, trusted), raw
    assert b"accept" in headers._plain_names
    assert not headers._plain_names & {b"connection", b"x-forwarded-for", b"x-real-ip", b"te"}
    assert not any(n != n.lower() for n in headers._plain_names)


def test_sanitize_still_drops_what_a_known_request_adds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headers, "_plain_names", set())
    plain = [(b"host", b"a"), (b"accept", b"*/*")]
    assert headers.sanitize(plain, False) == plain
    assert headers.sanitize([*plain, (b"x-user-id", b"1")], False) == plain
    assert headers.sanitize([*plain, (b"Connection", b"accept")], False) == [(b"host", b"a")]
    assert headers.sanitize([(b"Host", b"a")], False) == [(b"host", b"a")]


def test_known_header_names_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headers, "_plain_names", set())
    monkeypatch.setattr(headers, "_PLAIN_MAX", 4)
    for n in range(20):
        raw = [(b"x-custom-%d" % n, b"v")]
        assert headers.sanitize(raw, False) == raw
    assert len(headers._plain_names) <= 4


BUDGETS = (
    ratelimit.Budget("app", 15_000, 60, "app"),
    ratelimit.Budget("user", 1_200, 60, "user"),
    ratelimit.Budget("burst", 10, 1, "user"),
)


@pytest.mark.parametrize(
    "counts",
    [[(5, 6)], [(5, 6), (7, 6)], [(7, 6), (7, 9), (9, 1)], [(0, 1), (0, 60), (3, 3)]],
)
def test_raw_rate_limit_headers_are_the_named_ones(counts: list[tuple[int, int]]) -> None:
    decisions = [
        ratelimit.Decision(b, remaining, reset)
        for b, (remaining, reset) in zip(BUDGETS, counts, strict=False)
    ]
    named = ratelimit.headers_for(decisions)
    expected = [(k.lower().encode(), v.encode()) for k, v in named.items()]
    assert ratelimit.raw_headers_for(decisions) == expected


async def test_memory_counts_restart_with_each_window() -> None:
    now = [1_800_000_030.0]
    store = MemoryStore(clock=lambda: now[0])
    assert await store.hit_many([("a", 60), ("b", 1)]) == [(1, 30), (1, 1)]
    assert await store.hit_many([("a", 60), ("b", 1)]) == [(2, 30), (2, 1)]
    assert await store.peek_many([("a", 60), ("b", 1), ("c", 60)]) == [(2, 30), (2, 1), (0, 30)]
    now[0] += 1  # (b's window ended, a's did not)
    assert await store.peek_many([("a", 60), ("b", 1)]) == [(2, 29), (0, 1)]
    assert await store.hit_many([("a", 60), ("b", 1)]) == [(3, 29), (1, 1)]
    assert await store.hit("a", 1) == (1, 1)  # (another window: another counter)
    now[0] += 29
    assert await store.hit("a", 60) == (1, 60)
