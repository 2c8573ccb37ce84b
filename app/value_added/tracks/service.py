"""The Tracks VAS: queries and commands over tracks for the consumer domain."""

from __future__ import annotations

from app.value_added.common.deps import Deps
from app.value_added.tracks.commands import TrackCommands
from app.value_added.tracks.queries import (
    CatalogueQueries,
    PlayQueueQueries,
    TrackQueries,
    TrackStreams,
    track_edges,
)


class TracksService:
    """One object a BFF holds for everything about tracks a listener does: read them (filtered
    through the access policy), play and download them, like, repost and comment on them.
    (Creating and changing tracks is the catalog's, reached through the Creator gateway.)"""

    def __init__(self, deps: Deps) -> None:
        edges = track_edges(deps)
        queries = TrackQueries(deps)
        catalogue = CatalogueQueries(deps)
        streams = TrackStreams(deps)
        commands = TrackCommands(deps)
        # queries
        self.get = queries.get
        self.get_many = queries.get_many
        self.resolve = queries.resolve
        self.visible_ids = queries.visible_ids
        self.by_user = queries.by_user
        self.search = queries.search
        self.related = queries.related
        self.feed = queries.feed
        self.recently_played = queries.recently_played
        self.comments = queries.comments
        self.comments_by_user = queries.comments_by_user
        self.get_comment = queries.get_comment
        # the catalogue as music players browse it
        self.random = catalogue.random
        self.genres = catalogue.genres
        self.artist_ids = catalogue.artist_ids
        self.artists_among = catalogue.artists_among
        self.most_played_of = catalogue.most_played_of
        self.most_played_by = catalogue.most_played_by
        self.play_queue = PlayQueueQueries(deps).play_queue
        # playback
        self.streams = streams.streams
        self.waveform_url = streams.waveform_url
        self.authorize_media = streams.authorize_media
        self.authorize_download = streams.authorize_download
        self.redeem_download = streams.redeem_download
        # likes and reposts, listed
        self.liked_by = edges.liked_by
        self.reposted_by = edges.reposted_by
        self.likers = edges.likers
        self.reposters = edges.reposters
        self.liked_at = edges.liked_at
        # commands
        self.like = commands.like
        self.unlike = commands.unlike
        self.repost = commands.repost
        self.unrepost = commands.unrepost
        self.comment = commands.comment
        self.delete_comment = commands.delete_comment
        self.record_play = commands.record_play
        self.download = commands.download
        self.save_play_queue = commands.save_play_queue
