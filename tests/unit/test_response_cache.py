"""The representation cache's own rules: validity on every hit, age, size bounds, what it keeps."""

from __future__ import annotations

from app.caching.budget import ENTRY_OVERHEAD
from app.caching.provenance import Provenance
from app.edge.kit.response_cache import ResponseCache


class Now:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def complete() -> Provenance:
    return Provenance()


def test_a_hit_needs_current_records_and_a_young_entry() -> None:
    stale: set[int] = set()
    now = Now()
    cache = ResponseCache(lambda p: id(p) not in stale, max_bytes=1 << 20, max_age=30, clock=now)
    first, second = complete(), complete()
    cache.put("a", [], b"one", b'"1"', first)
    cache.put("b", [], b"two", b'"2"', second)
    found = cache.get("a")
    assert found is not None and found.body == b"one" and cache.hits == 1
    stale.add(id(first))
    assert cache.get("a") is None and cache.misses == 1 and len(cache) == 1
    now.t += 30
    assert cache.get("b") is None and len(cache) == 0


def test_incomplete_provenance_is_never_kept_and_replaces_what_was() -> None:
    cache = ResponseCache(lambda p: True, max_bytes=1 << 20)
    cache.put("a", [], b"old", b'"x"', complete())
    partial = Provenance()
    partial.complete = False
    cache.put("a", [], b"body", b'"x"', partial)
    assert cache.get("a") is None and len(cache) == 0


def test_least_recently_used_goes_first_by_bytes_headers_included() -> None:
    entry = ENTRY_OVERHEAD + 100  # (a 100-byte body without headers)
    cache = ResponseCache(lambda p: True, max_bytes=entry * 2 * 16)  # (room for 32)
    cache.put("big", [], b"x" * (2 * entry + 1), b"", complete())  # beyond 1/16: never kept
    assert cache.get("big") is None
    for key in range(32):
        cache.put(key, [], b"y" * 100, b"", complete())
    assert cache.get(0) is not None  # 0 is now the most recently used
    cache.put("new", [], b"y" * 100, b"", complete())
    assert len(cache) == 32 and cache.get(1) is None and cache.get(0) is not None
    cache.put("headed", [(b"x-h", b"v" * 97)], b"y" * 100, b"", complete())  # charged 2 entries
    assert len(cache) == 31 and cache.get(2) is None and cache.get(3) is None


def test_replacing_an_entry_keeps_the_byte_count_right() -> None:
    entry = ENTRY_OVERHEAD + 100
    cache = ResponseCache(lambda p: True, max_bytes=entry * 10 * 16)
    for _ in range(50):
        cache.put("same", [], b"z" * 100, b"", complete())
    assert cache.bytes_held == entry
    for key in range(160):
        cache.put(key, [], b"y" * 100, b"", complete())
    assert len(cache) == 160 and cache.get("same") is None
    cache.clear()
    assert len(cache) == 0 and cache.bytes_held == 0


def test_expired_entries_leave_on_the_next_put_so_the_cache_holds_only_young_ones() -> None:
    """Traffic that never asks for a URL twice within the entries' age must not fill the whole
    share with representations nobody can be served again (the soak's RSS stays flat)."""
    now = Now()
    entry = ENTRY_OVERHEAD + 100
    cache = ResponseCache(lambda p: True, max_bytes=entry * 1000 * 16, max_age=30, clock=now)
    for second in range(120):  # 10 new URLs a second for two minutes, none asked again
        now.t += 1
        for key in range(10):
            cache.put((second, key), [], b"y" * 100, b"", complete())
    assert len(cache) == 300 and cache.bytes_held == 300 * entry  # the last 30 s only
    assert cache.get((89, 0)) is None and cache.get((90, 0)) is not None
    now.t += 31
    cache.put("fresh", [], b"y" * 100, b"", complete())
    assert len(cache) == 1 and cache.bytes_held == entry
