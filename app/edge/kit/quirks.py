"""Client quirks: a BFF registers response fixes for specific client app versions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec

_UA = re.compile(r"(?P<name>[A-Za-z][\w.-]*)/(?P<version>\d+(?:\.\d+)*)")

Fix = Callable[[Any], Any]
"""Takes the decoded JSON body and returns the body the old client needs."""


class ClientVersion(msgspec.Struct, frozen=True):
    name: str
    version: tuple[int, ...]


def parse_user_agent(user_agent: str | None) -> list[ClientVersion]:
    """Every `Name/1.2.3` product token of a User-Agent header."""
    if not user_agent:
        return []
    return [
        ClientVersion(m["name"], tuple(int(p) for p in m["version"].split(".")))
        for m in _UA.finditer(user_agent)
    ]


class Quirk(msgspec.Struct, frozen=True):
    """Apply `fix` to responses for client `name` with version in [since, before)."""

    name: str
    before: tuple[int, ...]
    fix: Fix
    since: tuple[int, ...] = (0,)
    description: str = ""

    def applies(self, clients: list[ClientVersion]) -> bool:
        return any(c.name == self.name and self.since <= c.version < self.before for c in clients)


class Quirks:
    """The quirks registered by one BFF."""

    def __init__(self, quirks: list[Quirk] | None = None) -> None:
        self._quirks = list(quirks or [])

    def register(self, quirk: Quirk) -> None:
        self._quirks.append(quirk)

    def __bool__(self) -> bool:
        return bool(self._quirks)

    def fixes_for(self, user_agent: str | None) -> list[Fix]:
        if not self._quirks:
            return []
        clients = parse_user_agent(user_agent)
        return [q.fix for q in self._quirks if q.applies(clients)]
