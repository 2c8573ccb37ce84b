"""The Mobile API's external representations: large documents with embedded entities.

Parts a `fields=` mask did not ask for are UNSET and left out of the JSON. Timestamps are
ISO-8601 UTC; ids are numbers; every list is `{"collection": [...], "next_href": ...}`.
"""

from app.edge.mobile.representations.base import (
    EngagementState,
    FollowState,
    LikeState,
    PlayCount,
    Rep,
    RepostState,
)
from app.edge.mobile.representations.pages import (
    ProfileRep,
    SearchResults,
)
from app.edge.mobile.representations.playlists import (
    PlaylistCollection,
    PlaylistPolicyRep,
    PlaylistRep,
    PlaylistStatsRep,
)
from app.edge.mobile.representations.tracks import (
    CommentCollection,
    CommentRep,
    DownloadGrantRep,
    MediaRep,
    OwnTrackCollection,
    OwnTrackRep,
    StreamRep,
    TrackCollection,
    TrackPolicyRep,
    TrackRep,
    TrackStatsRep,
    TranscodingRep,
)
from app.edge.mobile.representations.users import (
    UserCard,
    UserCollection,
    UserCounts,
    UserRelation,
)

__all__ = [
    "CommentCollection",
    "CommentRep",
    "DownloadGrantRep",
    "EngagementState",
    "FollowState",
    "LikeState",
    "MediaRep",
    "OwnTrackCollection",
    "OwnTrackRep",
    "PlayCount",
    "PlaylistCollection",
    "PlaylistPolicyRep",
    "PlaylistRep",
    "PlaylistStatsRep",
    "ProfileRep",
    "Rep",
    "RepostState",
    "SearchResults",
    "StreamRep",
    "TrackCollection",
    "TrackPolicyRep",
    "TrackRep",
    "TrackStatsRep",
    "TranscodingRep",
    "UserCard",
    "UserCollection",
    "UserCounts",
    "UserRelation",
]
