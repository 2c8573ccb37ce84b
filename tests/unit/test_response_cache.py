"""The representation cache's own rules: validity on every hit, age, size bounds, what it keeps."""

from __future__ import annotations

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


def test_incomplete_provenance_is_never_kept() -> None:
    cache = ResponseCache(lambda p: True, max_bytes=1 << 20)
    partial = Provenance()
    partial.complete = False
    cache.put("a", [], b"body", b'"x"', partial)
    assert cache.get("a") is None and len(cache) == 0


def test_least_recently_used_goes_first_by_count_and_by_bytes() -> None:
    cache = ResponseCache(lambda p: True, max_entries=2, max_bytes=1600)
    cache.put("a", [], b"a", b"", complete())
    cache.put("b", [], b"b", b"", complete())
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", [], b"c", b"", complete())
    assert cache.get("b") is None and cache.get("a") is not None and len(cache) == 2

    cache = ResponseCache(lambda p: True, max_entries=100, max_bytes=1600)
    cache.put("big", [], b"x" * 101, b"", complete())  # more than 1/16 of the budget: skipped
    assert cache.get("big") is None
    for key in "abcdefghijklmnopqrstu":
        cache.put(key, [], b"y" * 100, b"", complete())
    assert len(cache) == 16 and cache.get("a") is None and cache.get("u") is not None


def test_replacing_an_entry_keeps_the_byte_count_right() -> None:
    cache = ResponseCache(lambda p: True, max_entries=10, max_bytes=1600)
    for _ in range(50):
        cache.put("same", [], b"z" * 100, b"", complete())
    for key in "abcdefghijklmno":
        cache.put(key, [], b"y" * 100, b"", complete())
    assert len(cache) == 10 and cache.get("same") is None
    cache.clear()
    assert len(cache) == 0
