"""`cached_property` without Python 3.11's per-access lock, for objects of one task."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Self, TypeVar, overload

T = TypeVar("T")


class once(cached_property[T]):
    """Computed on first access and stored in the instance's `__dict__` (later reads never
    reach the descriptor), as `functools.cached_property` does, but without the RLock it takes
    on every first access in Python 3.11: a unit of work and its repositories belong to one
    task, and a request builds several of them (~1 us per repository saved)."""

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> T | Self:
        if instance is None:
            return self
        value: T = self.func(instance)
        instance.__dict__[self.attrname or self.func.__name__] = value
        return value
