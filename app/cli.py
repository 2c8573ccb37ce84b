"""Soundstack's commands on the Litestar CLI (seed, users, apps)."""

from __future__ import annotations

from click import Group
from litestar.plugins import CLIPluginProtocol


class SoundstackCLI(CLIPluginProtocol):
    """Registers Soundstack's commands on `litestar`."""

    def on_cli_init(self, cli: Group) -> None:
        return None
