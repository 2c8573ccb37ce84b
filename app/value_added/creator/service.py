"""The Creator domain gateway: one object for upload-side track and playlist work and insights."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.creator.artwork import CreatorArtwork
from app.value_added.creator.audit import CreatorAuditTrail
from app.value_added.creator.audited_upload import CreatorAuditedUploads
from app.value_added.creator.catalog import CreatorCatalog
from app.value_added.creator.insights import CreatorInsights
from app.value_added.creator.playlist_commands import CreatorPlaylistCommands
from app.value_added.creator.track_commands import CreatorTrackCommands
from app.value_added.media import MediaService


class CreatorService(
    CreatorTrackCommands,
    CreatorPlaylistCommands,
    CreatorInsights,
    CreatorCatalog,
    CreatorAuditTrail,
    CreatorAuditedUploads,
    CreatorArtwork,
):
    """What the creator-facing BFFs (web upload, partner API) call; every method takes a Viewer."""

    def __init__(self, deps: Deps, media: MediaService | None = None) -> None:
        self._deps = deps
        self._media = media
