"""Tracks as SoundCloud's document describes them, with their comments, streams and storefront."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from app.edge.public.representations.base import Rep, Stamp, Url, Urn
from app.edge.public.representations.users import User
from app.value_added.access import Access
from app.value_added.catalog.aggregates import MediaState

Count = int | UnsetType
Text = str | UnsetType


class TrackMedia(Rep, kw_only=True):
    """Whether the track's audio can be played."""

    state: Annotated[
        MediaState, msgspec.Meta(description="`none` (no audio), `processing`, `ready`, `failed`")
    ]


class Track(Rep, kw_only=True, tag_field="kind", tag="track"):
    """SoundCloud Track object."""

    id: int
    urn: Urn
    user_id: int
    user_urn: Urn
    uri: Annotated[str, msgspec.Meta(description="Track URI")]
    embeddable_by: Annotated[str, msgspec.Meta(description="Embeddable by (always `all`)")]
    reveal_stats: bool
    reveal_comments: bool
    user: User | UnsetType = UNSET
    permalink_url: Url | UnsetType = UNSET
    title: Text = UNSET
    permalink: Text = UNSET
    description: Text = UNSET
    genre: Text = UNSET
    tag_list: Text = UNSET
    duration: Annotated[int, msgspec.Meta(description="Duration in milliseconds")] | UnsetType = (
        UNSET
    )
    bpm: float | UnsetType = UNSET
    key_signature: Text = UNSET
    isrc: Text = UNSET
    license: Text = UNSET
    label_name: Text = UNSET
    purchase_url: Text = UNSET
    purchase_title: Text = UNSET
    artwork_url: Url | UnsetType = UNSET
    created_at: Stamp | UnsetType = UNSET
    last_modified: Stamp | UnsetType = UNSET
    release_day: Count = UNSET
    release_month: Count = UNSET
    release_year: Count = UNSET
    sharing: Annotated[str, msgspec.Meta(description="`public` or `private`")] | UnsetType = UNSET
    access: Access | UnsetType = UNSET
    streamable: bool | UnsetType = UNSET
    downloadable: bool | UnsetType = UNSET
    commentable: bool | UnsetType = UNSET
    download_url: str | UnsetType | None = UNSET
    secret_token: Text = UNSET
    secret_uri: Annotated[str, msgspec.Meta(description="Secret URL")] | UnsetType = UNSET
    available_country_codes: (
        Annotated[str, msgspec.Meta(description="Country codes where it is available, `DE,FR`")]
        | UnsetType
    ) = UNSET
    playback_count: Count = UNSET
    favoritings_count: Count = UNSET
    likes_count: Count = UNSET
    reposts_count: Count = UNSET
    comment_count: Count = UNSET
    download_count: Count = UNSET
    user_favorite: bool | UnsetType = UNSET
    user_reposted: bool | UnsetType = UNSET
    media: TrackMedia | UnsetType = UNSET


class Comment(Rep, kw_only=True, tag_field="kind", tag="comment"):
    """A user's (timed) comment on a track."""

    id: int
    urn: Urn
    body: str
    created_at: Stamp
    track_id: int
    track_urn: Urn
    user_id: int
    user_urn: Urn
    uri: Annotated[str, msgspec.Meta(description="Comment's URL")]
    timestamp: (
        Annotated[str, msgspec.Meta(description="Position in the track, in milliseconds")]
        | UnsetType
    ) = UNSET
    user: User | UnsetType = UNSET


class Streams(Rep, kw_only=True):
    """The track's stream URLs the caller may play, one per kind of stream."""

    hls_aac_160_url: Text = UNSET
    http_aac_160_url: Text = UNSET
    hls_mp3_128_url: Text = UNSET
    http_mp3_128_url: Text = UNSET
    preview_mp3_128_url: Text = UNSET


StorefrontType = Literal[
    "digital",
    "vinyl",
    "cd",
    "cassette",
    "apparel",
    "sample_pack",
    "subscription",
    "live_event",
    "live_stream",
    "other",
]


class Storefront(Rep, kw_only=True):
    """A track's storefront (the buy module on the track's page)."""

    track_urn: Urn
    title: str
    type: StorefrontType
    link: Annotated[str, msgspec.Meta(description="External URL the button opens")]
    link_title: str | None
    description: str | None
    price: str | None
    image_url: str | None
