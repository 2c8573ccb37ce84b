"""The production recipe (compose.yaml, Dockerfile, deploy/) agrees with the code it runs:
its settings load, its commands exist, its server flags parse, its proxy reaches the app."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from granian.cli import cli as granian_cli

from app.cli import SoundstackCLI
from app.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
SOUNDSTACK_SERVICES = ("migrate", "app", "media-worker")
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::?[-?](?P<default>[^}]*))?\}")
LIBRARY_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR"}  # read by prometheus_client itself
SAMPLE = {"POSTGRES_PASSWORD": "pw", "SECRET_KEY": "s" * 48, "BASE_URL": "https://m.example"}


def _interpolate(value: str) -> str:
    """Compose's `${NAME}`, `${NAME:-default}`, `${NAME:?error}` with SAMPLE's values."""

    def one(m: re.Match[str]) -> str:
        if m.group("name") in SAMPLE:
            return SAMPLE[m.group("name")]
        assert "?" not in m.group(0), f"{m.group('name')} is required but has no sample"
        return m.group("default") or ""

    return _VARIABLE.sub(one, value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {k: _interpolate(str(v)) for k, v in service["environment"].items()}


def _command(service: dict[str, Any]) -> list[str]:
    """The service's argv; for `sh -c "… exec granian \"$@\"" granian …`, granian's."""
    argv = [_interpolate(str(part)) for part in service["command"]]
    if argv[:2] == ["sh", "-c"] and 'exec granian "$$@"' in argv[2]:
        return argv[3:]
    return argv


def test_every_variable_is_a_setting_and_the_settings_load(compose: dict[str, Any]) -> None:
    source = (ROOT / "app" / "settings.py").read_text()
    for name in SOUNDSTACK_SERVICES:
        env = _environment(compose["services"][name])
        unknown = [
            key
            for key in env
            if f'"{key}"' not in source and f"{key}_" not in source and key not in LIBRARY_VARIABLES
        ]
        assert not unknown, f"{name}: not settings Soundstack reads: {unknown}"
        settings = load_settings(env)
        assert settings.database_url.startswith("postgresql+asyncpg://")
        assert settings.redis_url == "redis://redis:6379/0"
        assert settings.in_process_workers is False and settings.seed_demo is False
        assert settings.base_url == "https://m.example"


def test_granian_accepts_the_app_command_and_the_image_command(compose: dict[str, Any]) -> None:
    app = _command(compose["services"]["app"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*?\])$", dockerfile, re.S | re.M)
    assert cmd is not None
    image = yaml.safe_load(cmd.group(1).replace("\\\n", " "))
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"\$\(BIN\)/granian (.*?)\n\n", makefile, re.S)
    assert run is not None
    for argv in (app, image):
        assert argv[0] == "granian" and "app.main:create_app" in argv
        granian_cli.make_context("granian", argv[1:])  # raises on an unknown or bad flag
    make_flags = {a for a in shlex.split(run.group(1).replace("\\\n", " ")) if a.startswith("--")}
    assert make_flags - {"--host", "--port", "--workers"} <= set(app), "make run serves unlike prod"


def test_the_other_commands_exist(compose: dict[str, Any]) -> None:
    group = click.Group("litestar")
    SoundstackCLI().on_cli_init(group)
    worker = _command(compose["services"]["media-worker"])
    assert worker[:3] == ["litestar", "media", "worker"]
    assert "media" in group.commands and "seed" in group.commands
    migrate = " ".join(_command(compose["services"]["migrate"]))
    assert "alembic upgrade head" in migrate and "litestar seed --if-empty" in migrate
    assert (ROOT / "alembic.ini").is_file()


def test_the_proxy_reaches_the_app_and_is_trusted(compose: dict[str, Any]) -> None:
    caddy = (ROOT / "deploy" / "Caddyfile").read_text()
    app = _command(compose["services"]["app"])
    port = app[app.index("--port") + 1]
    assert f"reverse_proxy app:{port}" in caddy
    assert "caddy" in compose["services"]
    trusted = _environment(compose["services"]["app"])["TRUSTED_PROXIES"]
    assert trusted, "the proxy's X-Forwarded-For would be ignored"
