"""What a seed run creates (sizes), what it reports, and the demo credentials it prints."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

Progress = Callable[[str, int, int], None]
"""Called as rows are written: (table label, rows written so far, rows expected)."""


class SeedSizes(msgspec.Struct, frozen=True):
    """How many of each entity a catalog run creates (0: none, relations use existing rows)."""

    users: int = 0
    tracks: int = 0
    playlists: int = 0
    likes: int = 0
    reposts: int = 0
    playlist_likes: int = 0
    follows: int = 0
    comments: int = 0
    plays: int = 0

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


DEMO_SIZES = SeedSizes(
    users=50,
    tracks=500,
    playlists=60,
    likes=2500,
    reposts=400,
    playlist_likes=300,
    follows=400,
    comments=600,
    plays=5000,
)


class SeedReport(msgspec.Struct, frozen=True):
    """Rows written per table and how long it took."""

    rows: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total / self.seconds if self.seconds > 0 else 0.0


class DemoAccount(msgspec.Struct, frozen=True):
    id: int
    username: str
    plan: str
    country: str | None
    role: str
    """'listener', 'premium listener' or 'creator (granted partner)'."""


class DemoApp(msgspec.Struct, frozen=True):
    id: int
    bff: str
    name: str
    client_id: str
    client_secret: str
    entitlements: tuple[str, ...]


class DemoCredentials(msgspec.Struct, frozen=True):
    """Everything needed to try the demo: accounts (one shared password) and one app per BFF."""

    password: str
    accounts: tuple[DemoAccount, ...]
    user_count: int
    apps: tuple[DemoApp, ...]


class DemoSeed(msgspec.Struct, frozen=True):
    """The outcome of `seed_demo`: the credentials and what was written (nothing on a re-run)."""

    credentials: DemoCredentials
    report: SeedReport
    created: bool
