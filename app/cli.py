"""Soundstack's commands on the Litestar CLI (seed, users, apps, tracks, cache).

Every command builds the value-added services from the settings when it runs (nothing happens
at import), checks that the database is migrated, calls value-added services only, and closes
them. Failures print one line on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
import msgspec
from click import Group
from litestar.plugins import CLIPluginProtocol

# Imported for real (not under TYPE_CHECKING): `litestar` autodiscovery evaluates the type hints
# of this module's callables, so every annotation must resolve at runtime. Importing has no
# side effects; settings are read and services built only when a command runs.
from app.edge.kit.context import EdgeContext
from app.settings import Settings
from app.value_added.identity import BFFS
from app.value_added.media import DEMO_CLIP_MS, MediaService
from app.value_added.registry import Services
from app.value_added.seeding import DemoCredentials, SeedingService, SeedReport, SeedSizes

T = TypeVar("T")


class SoundstackCLI(CLIPluginProtocol):
    """Registers Soundstack's commands on `litestar` (and `media` when app.cli_media exists)."""

    def on_cli_init(self, cli: Group) -> None:
        commands = (_seed_command(), _users_group(), _apps_group(), _tracks_group(), _cache_group())
        for command in commands:
            cli.add_command(command)
        try:
            media = importlib.import_module("app.cli_media")
        except ImportError:
            return
        group = getattr(media, "media_group", None)
        if isinstance(group, click.Command):
            cli.add_command(group)


class _Abort(Exception):
    """A one-line failure of a command."""


def _fail(message: str) -> NoReturn:
    first_line = (message.strip().splitlines() or ["failed"])[0]
    click.echo(f"error: {first_line}", err=True)
    sys.exit(1)


def _run(command: Callable[[Services, Settings], Awaitable[T]]) -> T:
    """Run `command` with freshly built services; every expected failure becomes one line."""
    from app.settings import SettingsError
    from app.value_added.common.errors import ServiceError

    try:
        return asyncio.run(_with_services(command))
    except SettingsError as exc:
        _fail(f"configuration error: {exc}")
    except ServiceError as exc:
        _fail(exc.message)
    except _Abort as exc:
        _fail(str(exc))


def _run_wired(command: Callable[[Services, Settings], Awaitable[T]]) -> T:
    """Like _run, wired as an app process is (with REDIS_URL, what the command revokes or
    changes is announced to every app process at once)."""
    return _run_in_context(lambda ctx: command(ctx.services, ctx.settings))


def _run_in_context(command: Callable[[EdgeContext], Awaitable[T]]) -> T:
    """Run `command` in a process context built as an app process's is (services, settings,
    and with REDIS_URL the revocation and record-change buses, subscribed)."""
    from app.settings import SettingsError
    from app.value_added.common.errors import ServiceError

    async def wired() -> T:
        from app.main import build_context
        from app.settings import load_settings

        ctx = build_context(load_settings())
        await ctx.start()
        try:
            return await command(ctx)
        finally:
            await ctx.close()

    try:
        return asyncio.run(wired())
    except SettingsError as exc:
        _fail(f"configuration error: {exc}")
    except ServiceError as exc:
        _fail(exc.message)


async def _with_services(command: Callable[[Services, Settings], Awaitable[T]]) -> T:
    from app.main import media_config, password_cost
    from app.settings import load_settings
    from app.value_added.registry import build_services

    settings = load_settings()
    services = build_services(
        settings.database_url,
        settings.secret_key,
        media=media_config(settings),
        password_cost=password_cost(settings),
    )
    try:
        problem = await services.readiness()
        if problem is not None and "migrations" in problem:
            raise _Abort(f"{problem}: run `alembic upgrade head` first")
        if problem is not None:
            raise _Abort(problem)
        return await command(services, settings)
    finally:
        await services.close()


def _print_json(value: Any) -> None:
    click.echo(msgspec.json.encode(value).decode())


# --------------------------------------------------------------------------------------- seed


async def _seed(
    seeding: SeedingService,
    media: MediaService,
    if_empty: bool,
    sizes: dict[str, int],
    seed_value: int,
    var_dir: Path,
) -> None:
    existing = await seeding.user_count()
    if if_empty and existing:
        click.echo(f"The database has {existing} users; not seeding (--if-empty).")
        if await seeding.demo_present():
            click.echo(f"Demo credentials: {_credentials_file(var_dir)} (printed when seeded).")
        return
    if sizes:
        with _RichProgress() as progress:
            report = await seeding.seed_catalog(SeedSizes(**sizes), seed_value, progress)
        _print_report(report)
        return
    with _RichProgress() as progress:
        outcome = await seeding.seed_demo(progress, track_ms=DEMO_CLIP_MS)
    if outcome.created:
        _print_report(outcome.report)
    furnished = await media.furnish_demo(await seeding.demo_track_ids())
    if furnished.tracks:
        seconds = f"{furnished.seconds:.2f}"
        click.echo(f"Gave {furnished.tracks} demo tracks audio and artwork in {seconds} s")
    elif not outcome.created:
        click.echo("The demo catalog is already seeded; nothing changed.")
    _print_credentials(outcome.credentials)
    path = _write_credentials(var_dir, outcome.credentials)
    click.echo(f"(also written to {path}, readable by its owner only)")


def _credentials_file(var_dir: Path) -> Path:
    return var_dir / "demo-credentials.txt"


def _write_credentials(var_dir: Path, creds: DemoCredentials) -> Path:
    """Keep the demo credentials in VAR_DIR (mode 0600): `make run` prints them only once."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = _credentials_file(var_dir)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(_credential_lines(creds)) + "\n")
    return path


def _seed_command() -> click.Command:
    """`litestar seed` (built when the CLI starts; commands are not module attributes)."""

    @click.command("seed")
    @click.option("--if-empty", is_flag=True, help="Seed only when the database has no users.")
    @click.option("--users", type=click.IntRange(min=0), help="Synthetic users to add.")
    @click.option("--tracks", type=click.IntRange(min=0), help="Synthetic tracks to add.")
    @click.option("--playlists", type=click.IntRange(min=0), help="Synthetic playlists to add.")
    @click.option("--likes", type=click.IntRange(min=0), help="Track likes to add.")
    @click.option("--follows", type=click.IntRange(min=0), help="Follows to add.")
    @click.option("--comments", type=click.IntRange(min=0), help="Timed comments to add.")
    @click.option("--plays", type=click.IntRange(min=0), help="Plays to add.")
    @click.option(
        "--seed", "seed_value", type=int, default=1, show_default=True, help="Random seed."
    )
    @click.option("--batch-size", type=click.IntRange(min=100), default=5_000, show_default=True)
    def seed(if_empty: bool, seed_value: int, batch_size: int, **sizes: int | None) -> None:
        """Seed the demo catalog (idempotent), or a synthetic catalog when sizes are given."""
        wanted = {k: v for k, v in sizes.items() if v is not None}

        async def command(services: Services, settings: Settings) -> None:
            seeding = SeedingService(
                services.deps, services.identity, settings.secret_key, batch_size=batch_size
            )
            if if_empty and not settings.seed_demo:
                click.echo("SEED_DEMO=false: not seeding the demo catalog.")
                return
            await _seed(
                seeding, services.media, if_empty, wanted, seed_value, Path(settings.var_dir)
            )

        _run(command)

    return seed


class _RichProgress:
    """Adapts the seeding Progress callback to rich progress bars (on stderr)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._bars = Progress(console=Console(stderr=True), transient=False)
        self._tasks: dict[str, Any] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        if label not in self._tasks:
            self._tasks[label] = self._bars.add_task(label, total=total)
        self._bars.update(self._tasks[label], completed=done, total=total)

    def __enter__(self) -> _RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()


def _print_report(report: SeedReport) -> None:
    tables = ", ".join(f"{name} {n:,}" for name, n in report.rows.items())
    click.echo(f"Wrote {report.total:,} rows ({tables})")
    click.echo(
        f"in {report.seconds:.2f} s: {report.rows_per_second:,.0f} rows/s",
    )


def _print_credentials(creds: DemoCredentials) -> None:
    for line in _credential_lines(creds):
        click.echo(line)


def _credential_lines(creds: DemoCredentials) -> list[str]:
    lines = ["", f"Demo accounts ({creds.user_count} users share the password {creds.password}):"]
    for a in creds.accounts:
        lines.append(f"  username={a.username:<20} {a.plan:<8} {a.country or '--'}  {a.role}")
    lines.append("Demo apps (one per BFF):")
    for app in creds.apps:
        lines.append(
            f"  {app.bff:<8} client_id={app.client_id} client_secret={app.client_secret}"
            f"  entitlements={','.join(app.entitlements)}"
        )
    return lines


# ------------------------------------------------------------------------------------- tracks


def _tracks_group() -> click.Group:
    """`litestar tracks take-down|takedown|restore|settle-releases`: an operator's track
    commands."""

    @click.group("tracks")
    def tracks() -> None:
        """An operator's commands on tracks (takedowns) and their counts."""

    @tracks.command("take-down")
    @click.option("--id", "track_id", type=int, required=True, help="The track's id.")
    @click.option("--reason", required=True, help="Why, e.g. the claim (shown to the owner).")
    def take_down(track_id: int, reason: str) -> None:
        """Take a track down: only its owner sees it; every count leaves it out at once."""

        async def command(services: Services, _settings: Settings) -> None:
            done = await services.creator.take_down_track(track_id, reason)
            _print_json({"id": done.id, "taken_down": done.taken_down})

        _run(command)

    @tracks.command("takedown")
    @click.argument("track_id", type=int)
    @click.option(
        "--reason",
        default="taken down by an operator",
        show_default=True,
        help="Why, e.g. the claim (shown to the owner).",
    )
    @click.pass_context
    def takedown(context: click.Context, track_id: int, reason: str) -> None:
        """Take track TRACK_ID down (`take-down --id TRACK_ID` with a default reason)."""
        context.invoke(take_down, track_id=track_id, reason=reason)

    @tracks.command("restore")
    @click.option("--id", "track_id", type=int, required=True, help="The track's id.")
    def restore(track_id: int) -> None:
        """Undo a takedown."""

        async def command(services: Services, _settings: Settings) -> None:
            done = await services.creator.restore_track(track_id)
            _print_json({"id": done.id, "taken_down": done.taken_down})

        _run(command)

    @tracks.command("settle-releases")
    def settle_releases() -> None:
        """Fold passed scheduled releases into the counters (counts are right without it; run
        it now and then, e.g. daily, to keep counter reads to one query)."""

        async def command(services: Services, _settings: Settings) -> None:
            _print_json({"settled": await services.creator.settle_releases()})

        _run(command)

    return tracks


# -------------------------------------------------------------------------------- users, apps


def _users_group() -> click.Group:
    """`litestar users create`, `litestar users api-key …`, `litestar users player-password …`."""

    @click.group("users")
    def users() -> None:
        """Manage user accounts."""

    @users.command("create")
    @click.option("--username", required=True)
    @click.option("--password", required=True)
    @click.option("--country", default=None, help="ISO 3166-1 alpha-2 code, e.g. DE.")
    @click.option(
        "--plan", type=click.Choice(["free", "premium"]), default="free", show_default=True
    )
    def users_create(username: str, password: str, country: str | None, plan: str) -> None:
        """Create a user; prints one JSON object."""

        async def command(services: Services, _settings: Settings) -> None:
            created = await services.identity.create_user(username, password, country, plan)
            _print_json(created)

        _run(command)

    @users.command("disable")
    @click.option("--username", required=True)
    def users_disable(username: str) -> None:
        """Disable an account at once: sign-in refused, every token revoked (in every process,
        with REDIS_URL), player credentials deleted; its data stays."""

        async def command(services: Services, _settings: Settings) -> None:
            user_id = await _user_id(services, username)
            revoked = await services.identity.disable_user(user_id)
            _print_json({"disabled": username, "tokens_revoked": revoked})

        _run_wired(command)

    @users.command("enable")
    @click.option("--username", required=True)
    def users_enable(username: str) -> None:
        """Re-enable a disabled account (the same password signs in again)."""

        async def command(services: Services, _settings: Settings) -> None:
            enabled = await services.identity.enable_user(await _user_id(services, username))
            _print_json({"enabled": username, "was_disabled": enabled})

        _run_wired(command)

    users.add_command(_api_key_group())
    users.add_command(_player_password_group())
    return users


def _user_id(services: Services, username: str) -> Awaitable[int]:
    return services.identity.user_id_of(username)


def _api_key_group() -> click.Group:
    """`litestar users api-key create|list|revoke`: API keys for music players (Subsonic)."""

    @click.group("api-key")
    def api_key() -> None:
        """Manage a user's API keys for music players (the Subsonic API at /rest)."""

    @api_key.command("create")
    @click.option("--username", required=True)
    @click.option("--name", default="music player", show_default=True, help="What it is for.")
    def api_key_create(username: str, name: str) -> None:
        """Create an API key; prints one JSON object with the key (shown only now)."""

        async def command(services: Services, _settings: Settings) -> None:
            identity = services.identity
            _print_json(await identity.create_api_key(await _user_id(services, username), name))

        _run(command)

    @api_key.command("list")
    @click.option("--username", required=True)
    def api_key_list(username: str) -> None:
        """List the user's API keys (ids, names, creation times; never the keys)."""

        async def command(services: Services, _settings: Settings) -> None:
            identity = services.identity
            _print_json(await identity.api_keys(await _user_id(services, username)))

        _run(command)

    @api_key.command("revoke")
    @click.option("--username", required=True)
    @click.option("--id", "key_id", type=int, required=True, help="The key's id (see list).")
    def api_key_revoke(username: str, key_id: int) -> None:
        """Revoke one API key: players using it stop working at once."""

        async def command(services: Services, _settings: Settings) -> None:
            identity = services.identity
            await identity.revoke_api_key(await _user_id(services, username), key_id)
            _print_json({"revoked": key_id})

        _run(command)

    return api_key


def _player_password_group() -> click.Group:
    """`litestar users player-password create|revoke`."""

    @click.group("player-password")
    def player_password() -> None:
        """Manage a user's player password (for players using Subsonic token authentication)."""

    @player_password.command("create")
    @click.option("--username", required=True)
    def player_password_create(username: str) -> None:
        """Generate a new player password (replacing any previous one); shown only now."""

        async def command(services: Services, _settings: Settings) -> None:
            identity = services.identity
            user_id = await _user_id(services, username)
            _print_json(await identity.create_player_password(user_id))

        _run(command)

    @player_password.command("revoke")
    @click.option("--username", required=True)
    def player_password_revoke(username: str) -> None:
        """Remove the player password: players using it stop working at once."""

        async def command(services: Services, _settings: Settings) -> None:
            identity = services.identity
            revoked = await identity.revoke_player_password(await _user_id(services, username))
            _print_json({"revoked": revoked})

        _run(command)

    return player_password


def _apps_group() -> click.Group:
    """`litestar apps create|revoke|enable`."""

    @click.group("apps")
    def apps() -> None:
        """Manage client apps."""

    @apps.command("create")
    @click.option("--name", required=True)
    @click.option(
        "--bff",
        "bffs",
        multiple=True,
        required=True,
        type=click.Choice(sorted(BFFS)),
    )
    @click.option("--entitlement", "entitlements", multiple=True, help="Default: read, write.")
    @click.option("--redirect-uri", "redirect_uris", multiple=True)
    @click.option(
        "--public",
        is_flag=True,
        help="A public client (browser or mobile app): no secret, PKCE only, no "
        "client_credentials. Default: confidential.",
    )
    def apps_create(
        name: str,
        bffs: tuple[str, ...],
        entitlements: tuple[str, ...],
        redirect_uris: tuple[str, ...],
        public: bool,
    ) -> None:
        """Register a client app; prints one JSON object with its client_id, its client_secret
        (null for a public app) and its client_type."""

        async def command(services: Services, _settings: Settings) -> None:
            identity = services.identity
            created = await identity.create_app(
                name, list(bffs), list(entitlements) or None, list(redirect_uris), public=public
            )
            info = await identity.app_by_id(created.id)
            assert info is not None
            _print_json(
                {
                    "id": created.id,
                    "name": info.name,
                    "client_id": created.client_id,
                    "client_secret": created.client_secret,
                    "client_type": "public" if info.public else "confidential",
                    "bffs": sorted(info.bffs),
                    "entitlements": sorted(info.entitlements),
                    "redirect_uris": list(info.redirect_uris),
                }
            )

        _run(command)

    @apps.command("revoke")
    @click.argument("client_id")
    def apps_revoke(client_id: str) -> None:
        """Revoke app CLIENT_ID at once: every token it holds is revoked (in every process,
        with REDIS_URL) and it can get no new one (idempotent; `apps enable` undoes it)."""

        async def command(services: Services, _settings: Settings) -> None:
            revoked = await services.identity.revoke_app(client_id)
            _print_json(
                {
                    "revoked": revoked.client_id,
                    "tokens_revoked": revoked.tokens_revoked,
                    "was_revoked": revoked.was_revoked,
                }
            )

        _run_wired(command)

    @apps.command("enable")
    @click.argument("client_id")
    def apps_enable(client_id: str) -> None:
        """Let a revoked app get tokens again (with the same secret; old tokens stay revoked)."""

        async def command(services: Services, _settings: Settings) -> None:
            enabled = await services.identity.enable_app(client_id)
            _print_json({"enabled": client_id, "was_revoked": enabled})

        _run_wired(command)

    return apps


# -------------------------------------------------------------------------------------- cache


def _cache_group() -> click.Group:
    """`litestar cache clear`."""

    @click.group("cache")
    def cache() -> None:
        """The caches of the app processes."""

    @cache.command("clear")
    def cache_clear() -> None:
        """Clear every cache (records, derived values, principals, representations) of every
        app process: with REDIS_URL, announced on the records bus; without it, each process
        keeps its caches until their TTLs (CACHE_TTL_SECONDS) or a restart."""

        async def command(ctx: EdgeContext) -> None:
            announced = await ctx.clear_all_caches()
            _print_json({"cleared": True, "announced": announced})
            if not announced:
                click.echo(
                    "note: not announced to other processes (no REDIS_URL, or Redis unreachable)"
                    f"; their caches expire within {ctx.settings.cache_ttl_seconds:g} s",
                    err=True,
                )

        _run_in_context(command)

    return cache
