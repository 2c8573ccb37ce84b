"""Imports every foundation service's tables so the shared metadata knows them all."""

from app.foundation.apps import tables as apps_tables
from app.foundation.audit import tables as audit_tables  # noqa: F401
from app.foundation.counters import tables as counters_tables
from app.foundation.db import Base
from app.foundation.media import tables as media_tables
from app.foundation.player_credentials import tables as player_credentials_tables
from app.foundation.playlists import tables as playlists_tables
from app.foundation.plays import tables as plays_tables
from app.foundation.policies import tables as policies_tables
from app.foundation.social import tables as social_tables
from app.foundation.tracks import tables as tracks_tables
from app.foundation.users import tables as users_tables

metadata = Base.metadata

__all__ = [
    "apps_tables",
    "counters_tables",
    "media_tables",
    "metadata",
    "player_credentials_tables",
    "playlists_tables",
    "plays_tables",
    "policies_tables",
    "social_tables",
    "tracks_tables",
    "users_tables",
]
