"""End-to-end harness: the whole app (every BFF) over HTTP on a fresh database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import msgspec
import pytest
from litestar import Litestar
from opentelemetry.sdk.trace import TracerProvider

from app.edge.kit.context import EdgeContext
from app.edge.kit.dispatch import PrefixDispatcher
from app.edge.kit.ratelimit_store import MemoryStore
from app.main import create_app
from app.settings import ALL_BFFS, DEFAULT_ALLOWED_HOSTS, Settings
from app.value_added.access import Viewer
from app.value_added.identity import BFFS, AppInfo
from app.value_added.registry import Services
from tests.conftest import CHEAP_PASSWORDS, MediaStore

SECRET = "e2e-secret-key-0123456789abcdef"
BASE_URL = "http://testserver.local"


class Harness(msgspec.Struct):
    """An HTTP client on the app plus the services behind it, for arranging data."""

    client: httpx.AsyncClient
    app: Litestar

    @property
    def services(self) -> Services:
        return EdgeContext.of(self.app.state).services

    async def new_app(
        self,
        name: str,
        bffs: tuple[str, ...] = tuple(sorted(BFFS)),
        entitlements: tuple[str, ...] = ("read", "write"),
        redirect_uris: tuple[str, ...] = ("http://localhost:9999/callback",),
        *,
        public: bool = False,
    ) -> tuple[AppInfo, str]:
        """A registered app and its client secret ("" for a public app, which has none)."""
        created = await self.services.identity.create_app(
            name, list(bffs), list(entitlements), list(redirect_uris), public=public
        )
        info = await self.services.identity.app_by_client_id(created.client_id)
        assert info is not None
        return info, created.client_secret or ""

    async def new_user(
        self, username: str, password: str = "correct horse battery", **kw: str
    ) -> int:
        return (await self.services.identity.create_user(username, password, **kw)).id

    async def user_token(self, app: AppInfo, user_id: int) -> str:
        return (await self.services.identity.issue_for_user(app, user_id)).access_token

    async def app_token(self, app: AppInfo) -> str:
        return (await self.services.identity.issue_client_credentials(app)).access_token

    def freeze_rate_limit_clock(self, at: float = 1_800_000_030.0) -> None:
        """Count attempts and requests in one fixed window from now on: a test that makes N
        attempts and expects the next to be refused must not see a window end between them."""
        EdgeContext.of(self.app.state).limits = MemoryStore(clock=lambda: at)

    def viewer(self, user_id: int | None, app: AppInfo | None = None) -> Viewer:
        return Viewer(user_id=user_id, app_id=app.id if app else None, territory="DE", plan="free")


def settings_for(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "secret_key": SECRET,
        "bffs": ALL_BFFS,
        "media_dir": str(tmp_path / "media"),
        "allowed_hosts": ("testserver.local", *DEFAULT_ALLOWED_HOSTS),  # (BASE_URL's host)
        **CHEAP_PASSWORDS,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def in_process(
    settings: Settings, tracer_provider: TracerProvider | None = None
) -> PrefixDispatcher:
    """The whole app for one test: each BFF built on its first request (a test uses one or two,
    and building every BFF's routes was most of a test's own CPU)."""
    return create_app(
        settings, tracer_provider, build_bffs_on_first_request=True, freeze_heap=False
    )


@asynccontextmanager
async def serving(app: Litestar | PrefixDispatcher) -> AsyncIterator[Harness]:
    """The app with its lifespan, served in THIS event loop (asyncpg connections are bound to
    the loop that opened them, so tests arrange data and make requests on one loop)."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:
        # entered and exited in one task, as anyio's cancel scopes require
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_lifespan())
    await started.wait()
    try:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield Harness(client=client, app=app)
    finally:
        stop.set()
        await task


@pytest.fixture
async def harness(database_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    async with serving(in_process(settings_for(database_url, tmp_path))) as h:
        yield h


@pytest.fixture
async def sqlite_harness(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    async with serving(in_process(settings_for(sqlite_url, tmp_path))) as h:
        yield h


@pytest.fixture
async def media_harness(
    sqlite_url: str, tmp_path: Path, media_store: MediaStore
) -> AsyncIterator[Harness]:
    """The whole app on SQLite, its media on each storage adapter in turn (media_store)."""
    settings = settings_for(sqlite_url, tmp_path, **media_store.settings())
    async with serving(in_process(settings)) as h:
        yield h
