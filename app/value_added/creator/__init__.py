"""Creator domain gateway: the creator side of the catalog — track and playlist commands (the
catalog's), uploads and artwork, managed-catalog reads, insights and the partner audit trail."""

from app.value_added.catalog import (
    LICENSES,
    MONETIZATION,
    SET_TYPES,
    SHARING,
    AuditContext,
    CreatorPlaylist,
    CreatorTrack,
    PlaylistChanges,
    PlaylistDraft,
    TrackChanges,
    TrackDraft,
)
from app.value_added.creator.aggregates import AuditEntry, InsightRow, Insights, InsightTotals
from app.value_added.creator.service import CreatorService

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
