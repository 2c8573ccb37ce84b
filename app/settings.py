"""Typed settings read from the environment when the app is created, never at import."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ALL_BFFS = ("mobile", "web", "public", "partner", "subsonic")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/soundstack.db"
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
MEDIA_DELIVERIES = ("proxy", "redirect")
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "::1")
"""The hosts answered when neither ALLOWED_HOSTS nor BASE_URL is set (a local install)."""
_ALLOWED_HOST = re.compile(r"^(\*|\.?[a-z0-9-]+(\.[a-z0-9-]+)*|[0-9a-f:.]*:[0-9a-f:.]+)$")
_SITE_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
_S3_URL = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._/-]*)?$")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what is wrong."""


PASSWORD_MEMORY_KIB = 64 * 1024
PASSWORD_PARALLELISM = 4


class Settings(msgspec.Struct, frozen=True):
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    redis_prefix: str = "soundstack"
    """Namespace of every Redis key and channel (REDIS_PREFIX): installations or test runs
    sharing one Redis database never see each other's counters or messages."""
    bffs: tuple[str, ...] = ALL_BFFS
    secret_key: str = ""
    """Signs cursors, grants and stream URLs; from SECRET_KEY, else a generated file in var/."""
    base_url: str | None = None
    allowed_hosts: tuple[str, ...] | None = None
    """ALLOWED_HOSTS: the names a request's `Host` may carry (comma-separated; `.example.org`
    also matches its subdomains, `*` any); another Host is a 400 `invalid_host`. Unset: any
    Host when BASE_URL is set (links never use it), else DEFAULT_ALLOWED_HOSTS."""
    site_url: str | None = None
    """SITE_URL: the root of the permalink pages every `permalink_url` names
    (`<SITE_URL>/<user>/<track>`); default: this server's own pages (BASE_URL or the request's)."""
    trusted_proxies: tuple[str, ...] = ()
    media_dir: str = "var/media"
    """Uploaded and transcoded media (local storage), or only temporary files (with S3)."""
    media_storage_url: str | None = None
    """MEDIA_STORAGE_URL: unset for files under media_dir, `s3://bucket/prefix` for S3."""
    media_delivery: Literal["proxy", "redirect"] = "proxy"
    """MEDIA_DELIVERY: `proxy` (the media edge streams objects) or `redirect` (to a short-lived
    presigned URL of the object store; with local storage the edge always proxies)."""
    aws_endpoint_url: str | None = None
    aws_region: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    max_upload_bytes: int = 200 * 1024 * 1024
    """MAX_UPLOAD_BYTES: the largest media file an upload route takes (413 beyond it)."""
    max_body_bytes: int = 1024 * 1024
    """MAX_BODY_BYTES: the largest request body of every other route (413 beyond it)."""
    in_process_workers: bool = True
    media_job_lease_seconds: int = 60
    """MEDIA_JOB_LEASE_SECONDS: how long a media job stays with a worker that stopped
    answering (killed, partitioned) before another worker takes it over."""
    password_time_cost: int = 3
    password_memory_kib: int = PASSWORD_MEMORY_KIB
    password_parallelism: int = PASSWORD_PARALLELISM
    """PASSWORD_TIME_COST, PASSWORD_MEMORY_KIB, PASSWORD_PARALLELISM: argon2id's parameters for
    new password hashes (default: RFC 9106's second recommendation; OWASP's floor is
    1 pass over 46 MiB, or 2 over 19 MiB, with 1 lane). Lower only on very small hardware."""
    cache_ttl_seconds: float = 600.0
    """Upper bound on cross-process staleness of cached records without REDIS_URL."""
    cache_max_bytes: int = 256 * 1024 * 1024
    """CACHE_MAX_BYTES: the one budget of every cache of a process, shared in fixed parts
    (docs/architecture.md, "Caches")."""
    response_cache: bool = True
    """RESPONSE_CACHE: keep finished catalogue representations (off: every GET is built
    again from the record cache; the benchmark measures both)."""
    db_connect_timeout_seconds: float = 1.0
    """DB_CONNECT_TIMEOUT_SECONDS: how long opening a PostgreSQL connection may take."""
    db_statement_timeout_seconds: float = 1.5
    """DB_STATEMENT_TIMEOUT_SECONDS: how long a request's statement may run on PostgreSQL
    (server side, and the client's wait: a black-holed database costs a request this much)."""
    debug: bool = False
    seed_demo: bool = True
    log_format: Literal["json", "console"] | None = None
    """LOG_FORMAT: `json` or `console`; unset: json unless stderr is a terminal."""
    metrics_token: str | None = None
    """METRICS_TOKEN: /metrics answers a scraper sending `Authorization: Bearer <token>`."""
    metrics_allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    """METRICS_ALLOW: without METRICS_TOKEN, the networks /metrics answers (comma-separated)."""
    """SEED_DEMO: `make run` seeds the demo catalog into an empty database unless `false`."""
    var_dir: str = "var"
    """VAR_DIR: the generated secret key and the demo credentials file live here."""
    rate_limit_app_per_minute: int | None = None
    """Overrides every BFF's per-app budget (RATE_LIMIT_APP_PER_MINUTE)."""
    rate_limit_user_per_minute: int | None = None
    """Overrides every BFF's per-user budget (RATE_LIMIT_USER_PER_MINUTE)."""
    rate_limit_writes_per_minute: int | None = None
    """Overrides every BFF's per-user write budget (RATE_LIMIT_WRITES_PER_MINUTE)."""
    rate_limit_media_per_minute: int | None = None
    """Overrides the media edge's per-client-address budget (RATE_LIMIT_MEDIA_PER_MINUTE)."""
    rate_limit_site_per_minute: int | None = None
    """Overrides the site's per-client-address budget (RATE_LIMIT_SITE_PER_MINUTE): pages,
    oEmbed, the player and sign-in."""
    rate_limit_anonymous_per_minute: int | None = None
    """RATE_LIMIT_ANONYMOUS_PER_MINUTE: requests one client address may make per minute with
    a bare client_id (no token), per BFF (default 600)."""
    cors_origins: dict[str, tuple[str, ...]] = {}
    """Browser origins allowed to read each BFF's responses, by BFF name (`*`: any): from
    CORS_ORIGINS (every BFF) and CORS_ORIGINS_<BFF> (that one, e.g. CORS_ORIGINS_WEB)."""

    def cors_for(self, bff: str) -> tuple[str, ...]:
        return self.cors_origins.get(bff, self.cors_origins.get("*", ()))

    @property
    def hosts_answered(self) -> tuple[str, ...] | None:
        """The Host names requests may carry (None: any, links come from BASE_URL)."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        return None if self.base_url else DEFAULT_ALLOWED_HOSTS

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _database_url(raw: str) -> str:
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise SettingsError(f"DATABASE_URL is malformed: {raw!r} is not a database URL") from exc
    if url.drivername not in SUPPORTED_DRIVERS:
        raise SettingsError(
            f"DATABASE_URL uses driver {url.drivername!r}; "
            f"supported: {', '.join(SUPPORTED_DRIVERS)}"
        )
    return raw


def _bffs(raw: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in raw.split(",") if n.strip())
    unknown = [n for n in names if n not in ALL_BFFS]
    if unknown or not names:
        raise SettingsError(f"BFFS must list some of {', '.join(ALL_BFFS)}; got {raw!r}")
    return names


def _int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer; got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive; got {raw!r}")
    return value


def _password_cost(env: Mapping[str, str]) -> dict[str, int]:
    """argon2id's parameters from the environment (argon2 needs 8 KiB of memory per lane)."""
    values = {
        name.lower(): _int(name, raw)
        for name in ("PASSWORD_TIME_COST", "PASSWORD_MEMORY_KIB", "PASSWORD_PARALLELISM")
        if (raw := env.get(name))
    }
    lanes = values.get("password_parallelism", PASSWORD_PARALLELISM)
    memory = values.get("password_memory_kib", PASSWORD_MEMORY_KIB)
    if lanes > 64:
        raise SettingsError(f"PASSWORD_PARALLELISM must be at most 64; got {lanes}")
    if memory < 8 * lanes:
        raise SettingsError(
            f"PASSWORD_MEMORY_KIB must be at least 8 per lane (PASSWORD_PARALLELISM={lanes}); "
            f"got {memory}"
        )
    return values


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise SettingsError(f"{name} must be seconds above 0, at most 3600; got {raw!r}")
    return value


def _networks(name: str, raw: str) -> tuple[str, ...]:
    networks = tuple(p.strip() for p in raw.split(",") if p.strip())
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise SettingsError(f"{name}: {network!r} is not an address or network") from None
    return networks


def _allowed_hosts(raw: str) -> tuple[str, ...]:
    hosts = tuple(h.strip().lower().strip("[]") for h in raw.split(",") if h.strip())
    bad = [h for h in hosts if not _ALLOWED_HOST.match(h)]
    if bad or not hosts:
        raise SettingsError(
            "ALLOWED_HOSTS must list host names or addresses without scheme or port "
            f"(music.example.org, .example.org, 10.0.0.5, or *); got {raw!r}"
        )
    return hosts


def _bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false; got {raw!r}")


def _media_storage(env: Mapping[str, str]) -> dict[str, object]:
    """MEDIA_STORAGE_URL, MEDIA_DELIVERY and the standard AWS_* variables of the S3 client."""
    values: dict[str, object] = {}
    if url := env.get("MEDIA_STORAGE_URL", "").strip():
        if not _S3_URL.match(url):
            raise SettingsError(
                f"MEDIA_STORAGE_URL must be s3://bucket or s3://bucket/prefix (bucket names: "
                f"3-63 lowercase letters, digits, dots and hyphens); got {url!r}"
            )
        values["media_storage_url"] = url
    if raw := env.get("MEDIA_DELIVERY"):
        if raw not in MEDIA_DELIVERIES:
            raise SettingsError(f"MEDIA_DELIVERY must be proxy or redirect; got {raw!r}")
        values["media_delivery"] = raw
    if raw := env.get("AWS_ENDPOINT_URL"):
        if not raw.startswith(("http://", "https://")):
            raise SettingsError(f"AWS_ENDPOINT_URL must be an http(s) URL; got {raw!r}")
        values["aws_endpoint_url"] = raw.rstrip("/")
    if raw := env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"):
        values["aws_region"] = raw
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if raw := env.get(name):
            values[name.lower()] = raw
    if bool(values.get("aws_access_key_id")) != bool(values.get("aws_secret_access_key")):
        raise SettingsError("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together")
    return values


CORS_BFFS = (*ALL_BFFS, "auth", "media")
_ORIGIN = re.compile(r"^https?://([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$")


def valid_origin(origin: str) -> bool:
    """`*`, or a scheme, host and optional port without path (how browsers send Origin)."""
    return origin == "*" or bool(_ORIGIN.match(origin))


def _origins(name: str, raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/").lower() for o in re.split(r"[,\s]+", raw) if o.strip())
    bad = [o for o in origins if not valid_origin(o)]
    if bad:
        raise SettingsError(
            f"{name} must list origins like https://app.example or http://localhost:3000 "
            f"(scheme, host, optional port; or *); got {bad[0]!r}"
        )
    return origins


def _cors(env: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    if raw := env.get("CORS_ORIGINS"):
        found["*"] = _origins("CORS_ORIGINS", raw)
    for bff in CORS_BFFS:
        name = f"CORS_ORIGINS_{bff.upper()}"
        if (raw := env.get(name)) is not None:
            found[bff] = _origins(name, raw)
    return found


def _local_secret(var_dir: Path) -> str:
    """The embedded default: a random key kept in var/secret_key (0600), shared by local workers."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if raw := env.get("DATABASE_URL"):
        values["database_url"] = _database_url(raw)
    if raw := env.get("REDIS_URL"):
        if not raw.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError(f"REDIS_URL must start with redis:// or rediss://; got {raw!r}")
        values["redis_url"] = raw
    if raw := env.get("REDIS_PREFIX"):
        values["redis_prefix"] = raw
    if raw := env.get("BFFS"):
        values["bffs"] = _bffs(raw)
    if raw := env.get("SECRET_KEY"):
        if len(raw) < 16:
            raise SettingsError("SECRET_KEY must be at least 16 characters long")
        values["secret_key"] = raw
    else:
        values["secret_key"] = _local_secret(Path(env.get("VAR_DIR", "var")))
    if raw := env.get("VAR_DIR"):
        values["var_dir"] = raw
    if raw := env.get("BASE_URL"):
        values["base_url"] = raw.rstrip("/")
    if raw := env.get("ALLOWED_HOSTS"):
        values["allowed_hosts"] = _allowed_hosts(raw)
    if raw := env.get("SITE_URL"):
        if not _SITE_URL.match(raw):
            raise SettingsError(
                f"SITE_URL must be an http(s) URL such as https://music.example; got {raw!r}"
            )
        values["site_url"] = raw.rstrip("/")
    if raw := env.get("TRUSTED_PROXIES"):
        values["trusted_proxies"] = tuple(p.strip() for p in raw.split(",") if p.strip())
    if raw := env.get("MEDIA_DIR"):
        values["media_dir"] = raw
    values.update(_media_storage(env))
    if raw := env.get("MAX_UPLOAD_BYTES"):
        values["max_upload_bytes"] = _int("MAX_UPLOAD_BYTES", raw)
    if raw := env.get("MAX_BODY_BYTES"):
        values["max_body_bytes"] = _int("MAX_BODY_BYTES", raw)
    if raw := env.get("MEDIA_JOB_LEASE_SECONDS"):
        values["media_job_lease_seconds"] = _int("MEDIA_JOB_LEASE_SECONDS", raw)
    if raw := env.get("IN_PROCESS_WORKERS"):
        values["in_process_workers"] = _bool("IN_PROCESS_WORKERS", raw)
    for name in ("APP", "USER", "WRITES", "MEDIA", "SITE", "ANONYMOUS"):
        if raw := env.get(f"RATE_LIMIT_{name}_PER_MINUTE"):
            values[f"rate_limit_{name.lower()}_per_minute"] = _int(
                f"RATE_LIMIT_{name}_PER_MINUTE", raw
            )
    for name in ("DB_CONNECT_TIMEOUT_SECONDS", "DB_STATEMENT_TIMEOUT_SECONDS"):
        if raw := env.get(name):
            values[name.lower()] = _seconds(name, raw)
    values.update(_password_cost(env))
    if raw := env.get("CACHE_MAX_BYTES"):
        values["cache_max_bytes"] = _int("CACHE_MAX_BYTES", raw)
    if raw := env.get("RESPONSE_CACHE"):
        values["response_cache"] = _bool("RESPONSE_CACHE", raw)
    if raw := env.get("CACHE_TTL_SECONDS"):
        values["cache_ttl_seconds"] = float(_int("CACHE_TTL_SECONDS", raw))
    if raw := env.get("DEBUG"):
        values["debug"] = _bool("DEBUG", raw)
    if cors := _cors(env):
        values["cors_origins"] = cors
    if raw := env.get("METRICS_TOKEN"):
        if len(raw) < 16:
            raise SettingsError("METRICS_TOKEN must be at least 16 characters long")
        values["metrics_token"] = raw
    if raw := env.get("METRICS_ALLOW"):
        values["metrics_allow"] = _networks("METRICS_ALLOW", raw)
    if raw := env.get("LOG_FORMAT"):
        if raw not in ("json", "console"):
            raise SettingsError(f"LOG_FORMAT must be json or console; got {raw!r}")
        values["log_format"] = raw
    if raw := env.get("SEED_DEMO"):
        values["seed_demo"] = _bool("SEED_DEMO", raw)
    return Settings(**values)  # type: ignore[arg-type]
