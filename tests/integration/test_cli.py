"""`litestar seed`, `litestar users create` and `litestar apps create` on a migrated SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from app.cli import SoundstackCLI

SECRET = "cli-test-secret-key-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli() -> click.Group:
    group = click.Group("litestar")
    SoundstackCLI().on_cli_init(group)
    return group


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": SECRET,
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_DIR": str(tmp_path / "m"),
    }


def _invoke(cli: click.Group, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _one_line_error(code: int, stderr: str) -> None:
    assert code == 1
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("error: ") and "Traceback" not in stderr


def test_users_create_prints_json_and_rejects_duplicates(cli: click.Group, env: dict[str, str]):
    code, out, _ = _invoke(
        cli, env, "users", "create", "--username", "alice", "--password", "long enough pw",
        "--country", "de", "--plan", "premium",
    )  # fmt: skip
    assert code == 0, out
    user = json.loads(out)
    assert user["username"] == "alice" and user["country"] == "DE" and user["plan"] == "premium"
    code, _, err = _invoke(
        cli, env, "users", "create", "--username", "ALICE", "--password", "long enough pw"
    )
    _one_line_error(code, err)
    assert "taken" in err
    code, _, err = _invoke(cli, env, "users", "create", "--username", "bob", "--password", "x")
    _one_line_error(code, err)
    assert "password" in err


def test_apps_create_prints_credentials_and_rejects_bad_values(
    cli: click.Group, env: dict[str, str]
) -> None:
    args = ["apps", "create", "--name", "Partner One", "--bff", "partner", "--bff", "public"]
    extra = ["--entitlement", "read", "--entitlement", "partner:catalog"]
    code, out, err = _invoke(cli, env, *args, *extra, "--redirect-uri", "https://p.example/cb")
    assert code == 0, err
    app = json.loads(out)
    assert app["client_id"] and app["client_secret"] and app["id"] > 0
    assert app["bffs"] == ["partner", "public"]
    assert app["entitlements"] == ["partner:catalog", "read"]
    assert app["client_type"] == "confidential"
    public = ["apps", "create", "--name", "SPA", "--bff", "web", "--public"]
    code, out, err = _invoke(cli, env, *public, "--redirect-uri", "https://spa.example/cb")
    assert code == 0, err
    spa = json.loads(out)
    assert spa["client_type"] == "public" and spa["client_secret"] is None and spa["client_id"]
    _one_line_error(*_invoke(cli, env, *args)[::2])  # duplicate name
    code, _, err = _invoke(cli, env, "apps", "create", "--name", "X", "--bff", "web",
                           "--entitlement", "root")  # fmt: skip
    _one_line_error(code, err)
    code, _, err = _invoke(cli, env, "apps", "create", "--name", "Y", "--bff", "web",
                           "--redirect-uri", "not a url")  # fmt: skip
    _one_line_error(code, err)


def test_demo_seed_respects_seed_demo_then_seeds_once_and_is_idempotent(
    cli: click.Group, env: dict[str, str]
) -> None:
    """One demo seeding (its 500 tracks' media are most of this file's CPU) walked through every
    case: SEED_DEMO=false leaves an empty database empty, `make run`'s `seed --if-empty` seeds it
    and shows the credentials once, and `seed` again changes nothing and prints the same ones."""
    saved = Path(env["VAR_DIR"]) / "demo-credentials.txt"
    # SEED_DEMO=false: an empty database stays empty; a bad value is a one-line error
    code, out, _ = _invoke(cli, {**env, "SEED_DEMO": "false"}, "seed", "--if-empty")
    assert code == 0 and "SEED_DEMO=false" in out and "client_secret" not in out
    assert not saved.exists()
    code, _, err = _invoke(cli, {**env, "SEED_DEMO": "maybe"}, "seed", "--if-empty")
    _one_line_error(code, err)
    assert "SEED_DEMO" in err

    # still empty: `make run`'s seed --if-empty seeds now (the same path as `seed`)
    code, first, err = _invoke(cli, env, "seed", "--if-empty")
    assert code == 0, err
    assert "rows/s" in first and "client_secret=" in first and "demo_premium" in first
    assert "password" in first
    assert "Gave 500 demo tracks audio and artwork" in first  # every demo track plays
    assert len(list((Path(env["MEDIA_DIR"]) / "objects").rglob("*.obj"))) > 500 * 7
    assert str(saved) in first and "client_secret=" in saved.read_text()

    # `make run` starting again: only the first start shows secrets
    code, again, _ = _invoke(cli, env, "seed", "--if-empty")
    assert code == 0 and "not seeding" in again and str(saved) in again
    assert "client_secret" not in again and "share the password" not in again

    # `seed` is idempotent and prints the same credentials
    code, second, _ = _invoke(cli, env, "seed")
    assert code == 0 and "nothing changed" in second

    def credentials(out: str) -> list[str]:
        return [line for line in out.splitlines() if "client_id=" in line or "password" in line]

    assert credentials(first) == credentials(second) and len(credentials(first)) == 5
    assert SECRET not in first
    assert credentials(saved.read_text()) == credentials(first)
    assert saved.stat().st_mode & 0o777 == 0o600


def test_seed_if_empty_leaves_a_used_database_alone(cli: click.Group, env: dict[str, str]):
    _invoke(cli, env, "users", "create", "--username", "carol", "--password", "long enough pw")
    code, out, _ = _invoke(cli, env, "seed", "--if-empty")
    assert code == 0 and "not seeding" in out and "client_id" not in out


def test_synthetic_seed_reports_rows_per_second(cli: click.Group, env: dict[str, str]) -> None:
    sizes = ["--users", "50", "--tracks", "300", "--playlists", "10", "--likes", "500"]
    more = ["--follows", "100", "--comments", "100", "--plays", "300"]
    code, out, err = _invoke(cli, env, "seed", *sizes, *more)
    assert code == 0, err
    assert "rows/s" in out and "track_likes 500" in out


def test_unmigrated_database_names_the_fix(cli: click.Group, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", "SECRET_KEY": SECRET}
    code, _, err = _invoke(cli, env, "seed")
    _one_line_error(code, err)
    assert "alembic upgrade head" in err


def test_media_group_is_optional(cli: click.Group) -> None:
    try:
        import app.cli_media  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        assert "media" not in cli.commands
    else:
        assert "media" in cli.commands


def test_real_entry_point_creates_a_user(sqlite_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": sqlite_url, "SECRET_KEY": SECRET}
    env.pop("LITESTAR_APP", None)
    litestar = Path(sys.executable).parent / "litestar"
    args = [str(litestar), "users", "create", "--username", "dave", "--password", "long enough"]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["username"] == "dave"


def test_users_manage_api_keys_and_player_passwords(cli: click.Group, env: dict[str, str]):
    code, out, _ = _invoke(
        cli, env, "users", "create", "--username", "dora", "--password", "long enough pw"
    )
    assert code == 0, out
    code, out, _ = _invoke(cli, env, "users", "api-key", "create", "--username", "dora")
    assert code == 0, out
    created = json.loads(out)
    assert created["name"] == "music player" and created["api_key"].startswith("ssk_")
    code, out, _ = _invoke(cli, env, "users", "api-key", "list", "--username", "dora")
    listed = json.loads(out)
    assert [k["id"] for k in listed] == [created["id"]] and "api_key" not in listed[0]
    code, out, _ = _invoke(
        cli, env, "users", "api-key", "revoke", "--username", "dora", "--id", str(created["id"])
    )
    assert code == 0 and json.loads(out) == {"revoked": created["id"]}
    code, _, err = _invoke(
        cli, env, "users", "api-key", "revoke", "--username", "dora", "--id", str(created["id"])
    )
    _one_line_error(code, err)
    code, out, _ = _invoke(cli, env, "users", "player-password", "create", "--username", "dora")
    assert code == 0 and len(json.loads(out)["password"]) == 24
    code, out, _ = _invoke(cli, env, "users", "player-password", "revoke", "--username", "dora")
    assert code == 0 and json.loads(out) == {"revoked": True}
    code, _, err = _invoke(cli, env, "users", "api-key", "list", "--username", "nobody")
    _one_line_error(code, err)
    assert "nobody" in err


def test_tracks_take_down_restore_and_settle_releases(
    cli: click.Group, env: dict[str, str], sqlite_url: str
) -> None:
    import asyncio

    from app.value_added.access import Viewer
    from app.value_added.catalog import TrackDraft
    from app.value_added.common.fieldmask import FieldMask
    from app.value_added.registry import build_services
    from tests.factories import make_user

    async def arrange() -> tuple[int, int]:
        services = build_services(sqlite_url, SECRET)
        try:
            owner = await make_user(services.deps.db)
            me = Viewer(user_id=owner, app_id=None, territory="DE", plan="free")
            track = await services.creator.create_track(me, owner, TrackDraft(title="claimed"))
            return owner, track.id
        finally:
            await services.close()

    async def public_tracks(owner: int) -> int:
        services = build_services(sqlite_url, SECRET)
        try:
            user = await services.users.get(Viewer.anonymous(), owner, FieldMask.parse("stats"))
            return user.stats.tracks  # type: ignore[union-attr]
        finally:
            await services.close()

    owner, track = asyncio.run(arrange())
    code, out, _ = _invoke(cli, env, "tracks", "take-down", "--id", str(track), "--reason", "x")
    assert code == 0 and json.loads(out) == {"id": track, "taken_down": True}, out
    assert asyncio.run(public_tracks(owner)) == 0
    code, out, _ = _invoke(cli, env, "tracks", "restore", "--id", str(track))
    assert code == 0 and json.loads(out) == {"id": track, "taken_down": False}, out
    assert asyncio.run(public_tracks(owner)) == 1
    code, out, _ = _invoke(cli, env, "tracks", "settle-releases")
    assert code == 0 and json.loads(out) == {"settled": 0}, out
    code, _, err = _invoke(cli, env, "tracks", "take-down", "--id", "424242", "--reason", "x")
    _one_line_error(code, err)
    assert "track not found" in err
