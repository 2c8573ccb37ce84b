"""Creator domain gateway: upload-side track and playlist commands, policies and insights."""

from app.value_added.creator.aggregates import (
    CreatorPlaylist,
    CreatorTrack,
    InsightRow,
    Insights,
    InsightTotals,
)
from app.value_added.creator.audit import AuditContext, AuditEntry
from app.value_added.creator.requests import (
    PlaylistChanges,
    PlaylistDraft,
    TrackChanges,
    TrackDraft,
)
from app.value_added.creator.service import CreatorService
from app.value_added.creator.validation import LICENSES, MONETIZATION, SET_TYPES, SHARING

__all__ = [
    "LICENSES",
    "MONETIZATION",
    "SET_TYPES",
    "SHARING",
    "AuditContext",
    "AuditEntry",
    "CreatorPlaylist",
    "CreatorService",
    "CreatorTrack",
    "InsightRow",
    "InsightTotals",
    "Insights",
    "PlaylistChanges",
    "PlaylistDraft",
    "TrackChanges",
    "TrackDraft",
]
