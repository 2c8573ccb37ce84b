"""AIP-161 field masks: which parts of an aggregate a caller asked for."""

from __future__ import annotations

from collections.abc import Iterable

from app.value_added.common.errors import InvalidArgument


class FieldMask:
    """A set of dotted paths (`title`, `stats.likes`); `FieldMask.all()` asks for everything."""

    __slots__ = ("_checked", "_everything", "_paths", "_tops")

    def __init__(self, paths: Iterable[str] = (), *, everything: bool = False) -> None:
        self._paths = frozenset(p.strip() for p in paths if p.strip())
        self._tops = frozenset(p.split(".", 1)[0] for p in self._paths)
        self._everything = everything or "*" in self._paths
        self._checked: tuple[str, ...] | frozenset[str] | None = None
        """The (immutable) paths this mask last passed `validate` against."""

    @classmethod
    def all(cls) -> FieldMask:
        return cls(everything=True)

    @classmethod
    def parse(cls, raw: str | None) -> FieldMask:
        """Parse `a,b.c`; an empty or missing mask means everything (the default view)."""
        if raw is None or not raw.strip():
            return cls.all()
        return cls(raw.split(","))

    @property
    def paths(self) -> frozenset[str]:
        return self._paths

    @property
    def is_everything(self) -> bool:
        return self._everything

    def wants(self, top: str) -> bool:
        """Does the mask ask for `top` or anything below it?"""
        return self._everything or top in self._tops

    def sub(self, top: str) -> FieldMask:
        """The part of the mask below `top` (`stats.likes` → `likes`); all if `top` was whole."""
        if self._everything or top in self._paths:
            return FieldMask.all()
        prefix = top + "."
        return FieldMask(p[len(prefix) :] for p in self._paths if p.startswith(prefix))

    def validate(self, allowed: Iterable[str], entity: str) -> FieldMask:
        """Raise InvalidArgument naming the first path that is not in `allowed` (dotted). A
        mask checked once against the same immutable paths (a service's constant) is not
        checked again: the BFFs' common masks are module constants, asked on every read."""
        if allowed is self._checked:
            return self
        known = frozenset(allowed)
        for path in sorted(self._paths):
            if path == "*":
                continue
            if path not in known:
                raise InvalidArgument(
                    f"unknown field {path!r} for {entity}", reason="unknown_field", field=path
                )
        if isinstance(allowed, tuple | frozenset):
            self._checked = allowed
        return self

    def __repr__(self) -> str:
        return "FieldMask(*)" if self._everything else f"FieldMask({sorted(self._paths)})"
