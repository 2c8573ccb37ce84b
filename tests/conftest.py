"""Fixtures shared by the whole suite: migrated databases (SQLite and PostgreSQL) and Redis.

Database fixtures
-----------------
- ``database_url``: parametrized over ``sqlite`` and ``postgresql``; the URL of an EMPTY database
  migrated to head.  SQLite: a copy of a template migrated once per session.  PostgreSQL: one
  database per session, emptied before each test (rows deleted, sequences restarted).
- ``sqlite_url``: the SQLite variant only.
- ``empty_database_url``: parametrized like ``database_url``; a brand-new database with NO schema
  (for migration tests).  PostgreSQL ones are dropped after the test.
- ``alembic_config``: a callable ``(url) -> alembic.config.Config`` targeting ``url``.  Alembic
  commands run the async engine with ``asyncio.run``, so call them off the event loop's thread
  (``await asyncio.to_thread(command.upgrade, alembic_config(url), "head")``).

Services
--------
- ``pg_available()``: whether PostgreSQL answers at ``TEST_POSTGRES_URL``.
- ``redis_url``: the Redis database tests may use (``TEST_REDIS_URL``, default
  ``redis://127.0.0.1:6379/15``); never flushed.
- ``redis_prefix``: a key and channel prefix of the test's own (pass it as ``redis_prefix`` /
  ``REDIS_PREFIX``); the keys under it are deleted after the test, nothing else is touched.

Media storage
-------------
- ``s3_endpoint``: a real S3 protocol server (moto in server mode, a subprocess on 127.0.0.1 and
  a free port), started once per session (per xdist worker) with the bucket ``S3_BUCKET``.
- ``media_store``: parametrized over ``local`` and ``s3``; a ``MediaStore`` with the settings,
  environment and MediaConfig selecting that adapter (S3: a prefix of the test's own) and
  ``keys()`` listing what is stored. Use it to run a media test on both adapters.

Passwords
---------
- ``CHEAP_PASSWORDS``: argon2id parameters for test apps (settings and, through the
  environment, every subprocess): hashing at production cost dominated the suite's CPU.

Process
-------
- ``NO_PROXY`` names the local hosts (every test server is one), for this process and every
  client it starts; the heap collection built is frozen before the first test (``_frozen_heap``).

When a server is unreachable the test is skipped locally but FAILS in CI (``CI=true``).
PostgreSQL-backed params carry the ``postgres`` marker, so ``-m "not postgres"`` deselects them.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import asyncpg
import pytest
import redis
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from app.foundation.migrations_state import script_location
from app.foundation.tables import metadata

T = TypeVar("T")

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"),
)
"""A PostgreSQL server URL whose user may CREATE DATABASE (TEST_DATABASE_URL; the database named
is only used to connect: tests create, use and drop databases of their own)."""
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
"""The Redis database tests use (TEST_REDIS_URL). Tests write only under prefixes of their own
and delete only those keys: nothing else in that database is ever touched."""

CHEAP_PASSWORDS = {"password_time_cost": 1, "password_memory_kib": 1024, "password_parallelism": 1}
"""argon2id at its cheapest for the apps tests build (a hash in ~1 ms instead of ~270 ms of CPU
over 4 threads): hundreds of accounts are created and signed into; the production parameters
have their own test (tests/unit/test_identity_units.py)."""


LOCAL_HOSTS = ("127.0.0.1", "localhost")
"""Where every server a test talks to listens: never through a proxy (NO_PROXY)."""


def pytest_configure(config: pytest.Config) -> None:
    """Every server and command a test starts (they inherit this environment) hashes passwords
    as cheaply as the in-process apps (CHEAP_PASSWORDS), unless the caller set otherwise.

    Local hosts bypass any proxy (NO_PROXY, for this process and every client it starts): the
    test servers are all local, and requests (schemathesis' client, the SDKs) otherwise reads
    every environment variable twice per request looking for proxies (~0.15 ms a request)."""
    for name, value in CHEAP_PASSWORDS.items():
        os.environ.setdefault(name.upper(), str(value))
    bypassed = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    missing = [host for host in LOCAL_HOSTS if host not in bypassed.split(",")]
    if missing:
        os.environ["no_proxy"] = os.environ["NO_PROXY"] = ",".join(
            [*bypassed.split(","), *missing]
        ).strip(",")


@pytest.fixture(scope="session", autouse=True)
def _frozen_heap() -> None:
    """Move what collection built (every module imported, every test item) out of the garbage
    collector's way before the first test, as a server does with its start-up heap
    (app.main.freeze_startup_heap): it lives for the whole session, and each full collection
    walked it again (~10% of an e2e worker's CPU). Only the collector's work changes, never
    what a test sees."""
    gc.collect()
    gc.freeze()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


# --------------------------------------------------------------------------- helpers


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip locally; fail in CI, where every service must be up."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required services must be reachable)", pytrace=False)
    pytest.skip(reason)


def run_in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn`` in a fresh thread: its ``asyncio.run`` never meets pytest-asyncio's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def run_async(coro_fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    return run_in_thread(lambda: asyncio.run(coro_fn(*args)))


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _database_url(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


async def _pg_execute(sql: str, url: str = POSTGRES_ADMIN_URL) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(url), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@functools.cache
def pg_available() -> bool:
    """Whether the PostgreSQL server answers (checked once per session)."""
    try:
        run_async(_pg_execute, "SELECT 1")
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


def make_alembic_config(url: str) -> Config:
    """An alembic Config for the repository's migrations, pointed at ``url``."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["url"] = url
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` in-process (safe to call from sync fixtures)."""
    run_in_thread(command.upgrade, make_alembic_config(url), revision)


def _create_pg_database(prefix: str) -> str:
    if not pg_available():
        admin = make_url(POSTGRES_ADMIN_URL)
        unavailable(f"PostgreSQL is not reachable at {admin.host}:{admin.port or 5432}")
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    run_async(_pg_execute, f'CREATE DATABASE "{name}"')
    return name


def _drop_pg_database(name: str) -> None:
    run_async(_pg_execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- session templates


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[str]:
    """One PostgreSQL database per session, migrated once and dropped at the end."""
    name = _create_pg_database("soundstack_test")
    url = _database_url(POSTGRES_ADMIN_URL, name)
    try:
        migrate(url)
        yield url
    finally:
        _drop_pg_database(name)


@functools.cache
def _truncate_sql() -> str:
    """Empty every table and restart every sequence, as a freshly migrated database has them:
    DELETE, children before parents (PostgreSQL has no triggers here), not TRUNCATE, which
    makes new files for each of the ~30 tables (~150 ms of the server's CPU a test, ~10 here)."""
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(metadata.sorted_tables)]
    restart = (
        "DO $$ DECLARE s record; BEGIN FOR s IN SELECT schemaname, sequencename FROM pg_sequences"
        " WHERE schemaname = current_schema() LOOP"
        " EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.schemaname, s.sequencename);"
        " END LOOP; END $$"
    )
    return "; ".join([*deletes, restart])


# --------------------------------------------------------------------------- public fixtures


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    """The URL of a fresh, empty SQLite database migrated to head (a copy of the template)."""
    path = tmp_path / "soundstack.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database migrated to head, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
        return url
    url = request.getfixturevalue("_postgres_database")
    run_async(_pg_execute, _truncate_sql(), url)
    return url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a brand-new database without any schema, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    name = _create_pg_database("soundstack_test_empty")
    try:
        yield _database_url(POSTGRES_ADMIN_URL, name)
    finally:
        _drop_pg_database(name)


@pytest.fixture
def alembic_config() -> Callable[[str], Config]:
    """``alembic_config(url)`` -> an alembic Config for the repository's migrations."""
    return make_alembic_config


@pytest.fixture
def redis_url() -> str:
    """The test Redis database (TEST_REDIS_URL), checked to answer; never flushed."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key and channel prefix owned by this test; its keys are deleted afterwards."""
    prefix = f"soundstack-test-{secrets.token_hex(6)}"
    yield prefix
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # (unreachable now: nothing of ours can be left to delete)
    finally:
        client.close()


# --------------------------------------------------------------------------- S3 (moto server)

S3_ACCESS_KEY = "soundstack-test"
S3_SECRET_KEY = "soundstack-test-secret"
S3_REGION = "us-east-1"
S3_BUCKET = "soundstack-media"
STORAGES = [pytest.param("local", id="local"), pytest.param("s3", id="s3")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3 protocol server (moto in server mode) on 127.0.0.1, one per session (and xdist
    worker), with the bucket S3_BUCKET; tests use prefixes of their own in it."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                unavailable(f"the moto S3 server exited ({proc.returncode}); see {log.name}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    unavailable("the moto S3 server did not start within 30 s")
                time.sleep(0.1)
        s3_client(url).create_bucket(Bucket=S3_BUCKET)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def s3_client(endpoint: str) -> Any:
    """A plain (synchronous) boto3 client on the test server, for arranging and inspecting."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )


def unreachable_s3() -> Any:
    """S3Options of a store that is down (nothing listens on port 9; one attempt, fast)."""
    from app.value_added.media import S3Options

    return S3Options(
        endpoint_url="http://127.0.0.1:9",
        region=S3_REGION,
        max_attempts=1,
        access_key_id=S3_ACCESS_KEY,
        secret_access_key=S3_SECRET_KEY,
        connect_timeout=0.5,
    )


class MediaStore:
    """Where a test's media goes: `local` (files under media_dir) or `s3` (a prefix of its own
    in the test server's bucket), with the settings that select it."""

    def __init__(self, kind: str, media_dir: Path, endpoint: str | None) -> None:
        self.kind = kind
        self.media_dir = media_dir
        self.endpoint = endpoint
        self.prefix = f"t-{secrets.token_hex(6)}"

    @property
    def url(self) -> str | None:
        return f"s3://{S3_BUCKET}/{self.prefix}" if self.kind == "s3" else None

    def settings(self) -> dict[str, Any]:
        """Settings fields (app.settings.Settings) for this store."""
        if self.kind == "local":
            return {"media_dir": str(self.media_dir)}
        return {
            "media_dir": str(self.media_dir),
            "media_storage_url": self.url,
            "aws_endpoint_url": self.endpoint,
            "aws_region": S3_REGION,
            "aws_access_key_id": S3_ACCESS_KEY,
            "aws_secret_access_key": S3_SECRET_KEY,
        }

    def env(self) -> dict[str, str]:
        """The same as environment variables (for server and worker processes)."""
        names = {
            "media_dir": "MEDIA_DIR",
            "media_storage_url": "MEDIA_STORAGE_URL",
            "aws_endpoint_url": "AWS_ENDPOINT_URL",
            "aws_region": "AWS_REGION",
            "aws_access_key_id": "AWS_ACCESS_KEY_ID",
            "aws_secret_access_key": "AWS_SECRET_ACCESS_KEY",
        }
        return {names[k]: str(v) for k, v in self.settings().items()}

    def config(self, **overrides: Any) -> Any:
        """A MediaConfig for this store."""
        from app.value_added.media import MediaConfig, S3Options

        s3 = overrides.pop("s3", None) or S3Options(
            endpoint_url=self.endpoint,
            region=S3_REGION,
            access_key_id=S3_ACCESS_KEY,
            secret_access_key=S3_SECRET_KEY,
        )
        return MediaConfig(media_dir=str(self.media_dir), storage_url=self.url, s3=s3, **overrides)

    def keys(self) -> list[str]:
        """Every stored object's key (what a deleted track must not leave behind)."""
        if self.kind == "local":
            objects = self.media_dir / "objects"
            return sorted(
                p.relative_to(objects).as_posix()[3:].removesuffix(".obj")
                for p in objects.rglob("*.obj")
            )
        assert self.endpoint is not None
        pages = s3_client(self.endpoint).get_paginator("list_objects_v2")
        found = []
        for page in pages.paginate(Bucket=S3_BUCKET, Prefix=f"{self.prefix}/"):
            found += [o["Key"].removeprefix(f"{self.prefix}/") for o in page.get("Contents", [])]
        return sorted(found)


@pytest.fixture(params=STORAGES)
def media_store(request: pytest.FixtureRequest, tmp_path: Path) -> MediaStore:
    """The media storage adapters: parametrized over the local filesystem and S3 (moto)."""
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    return MediaStore(request.param, tmp_path / "media", endpoint)
