"""The Creator domain gateway: one object for the creator side of the catalog, upload included."""

from __future__ import annotations

from app.value_added.catalog import CatalogService
from app.value_added.common.deps import Deps
from app.value_added.creator.commands import MediaCommands
from app.value_added.creator.queries import AuditTrail, CatalogReads, CreatorInsights
from app.value_added.media import MediaService


class CreatorService:
    """What the creator-facing BFFs (track writes, partner API) call; every method takes a Viewer.

    Track and playlist writes are the catalog's commands, exposed as they are (they validate,
    authorize and audit); this gateway adds the reads of managed catalogs, insights, the audit
    trail, and the commands that involve media files.
    """

    def __init__(
        self, deps: Deps, catalog: CatalogService, media: MediaService | None = None
    ) -> None:
        reads = CatalogReads(deps)
        files = MediaCommands(deps, catalog, media)
        # catalog commands
        self.create_track = catalog.tracks.create
        self.update_track = catalog.tracks.update
        self.create_playlist = catalog.playlists.create
        self.update_playlist = catalog.playlists.update
        self.delete_playlist = catalog.playlists.delete
        # an operator's: take a track down (a copyright claim) and restore it
        self.take_down_track = catalog.tracks.take_down
        self.restore_track = catalog.tracks.restore
        self.settle_releases = catalog.tracks.settle_releases
        # commands with media files
        self.upload_track = files.upload_track
        self.delete_track = files.delete_track
        self.set_track_artwork = files.set_track_artwork
        self.set_playlist_artwork = files.set_playlist_artwork
        self.set_avatar = files.set_avatar
        # the partner BFF's names for the same two commands (its uploads and deletes pass an
        # AuditContext); kept until app/edge/partner calls upload_track / delete_track
        self.upload_audited = files.upload_track
        self.delete_audited = files.delete_track
        # reads
        self.managed_creator_ids = reads.managed_creator_ids
        self.require_catalog = reads.require_catalog
        self.catalog_track = reads.catalog_track
        self.catalog_tracks = reads.catalog_tracks
        self.catalog_tracks_by_isrc = reads.catalog_tracks_by_isrc
        self.media_states = reads.media_states
        self.catalog_playlists = reads.catalog_playlists
        self.catalog_playlist = reads.catalog_playlist
        self.my_tracks = reads.my_tracks
        self.insights = CreatorInsights(deps).insights
        self.audit_trail = AuditTrail(deps).audit_trail
