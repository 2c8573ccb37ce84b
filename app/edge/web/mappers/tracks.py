"""The api-v2 track (BasicTrack, or Track with the full user), its media and access policy."""

from __future__ import annotations

from typing import Any

from app.edge.web.mappers.shapes import Field, Render, Shape, iso, iso_date, urn
from app.edge.web.mappers.users import BASIC_USER, USER, owner
from app.edge.web.representations import tracks as v2
from app.value_added.media import RENDITIONS, Rendition
from app.value_added.tracks import Track, Transcoding
from app.value_added.users import User

POLICY_BY_ACCESS = {"playable": "ALLOW", "preview": "SNIP", "blocked": "BLOCK"}
MONETIZATION_MODEL = {"none": "NOT_APPLICABLE", "ad": "MONETIZE", "premium": "SUB_HIGH_TIER"}
PREVIEW_MS = 30_000


def policy_of(track: Track) -> str:
    """api-v2 `policy` from the VAS's access decision (an ad-monetized full play: MONETIZE)."""
    policy = POLICY_BY_ACCESS.get(track.policy.access, "BLOCK")  # type: ignore[union-attr]
    if policy == "ALLOW" and track.policy.monetization == "ad":  # type: ignore[union-attr]
        return "MONETIZE"
    return policy


def monetization_model(track: Track) -> str:
    return MONETIZATION_MODEL.get(track.policy.monetization, "NOT_APPLICABLE")  # type: ignore[union-attr]


def _token(track: Track, r: Render) -> str | None:
    own = track.policy.secret_token  # type: ignore[union-attr]
    return own or r.secret_tokens.get(track.id)


def permalink_url(track: Track, r: Render) -> str:
    owner = r.users.get(track.user_id)
    path = f"/{owner.permalink if owner else track.user_id}/{track.permalink}"
    token = _token(track, r) if track.policy.sharing == "private" else None  # type: ignore[union-attr]
    return r.page(f"{path}/{token}" if token else path)


RENDITION = {r.kind: r for r in RENDITIONS}
MIME_TYPES = {
    "libmp3lame": "audio/mpeg",
    "aac": 'audio/mp4; codecs="mp4a.40.2"',
    "libopus": 'audio/ogg; codecs="opus"',
}
"""The codec's MIME type as api-v2 names a transcoding's format (for HLS too: what the
segments carry, not the playlist's type)."""


def preset(rendition: Rendition) -> str:
    """api-v2's preset name: `mp3_1_0` (MP3, progressive and HLS), `aac_160k`, `opus_0_0`."""
    if rendition.codec == "aac":
        return f"aac_{rendition.bitrate // 1000}k"
    if rendition.codec == "libopus":
        return "opus_0_0"
    return "mp3_1_0"


def _listed(t: Transcoding, snipped: bool) -> bool:
    """Stream renditions only (not the waveform); previews exactly when access is a preview."""
    rendition = RENDITION.get(t.kind)
    return rendition is not None and rendition.preview == snipped


def media(track: Track, r: Render) -> v2.Media:
    """api-v2's `media.transcodings`: each `url` is this BFF's stream-URL endpoint (the path
    names our rendition, `/preview/` for a snippet as api-v2's do), which asks the VAS for a
    grant and answers `{"url": …}`."""
    state = track.media.state  # type: ignore[union-attr]
    if track.policy.access == "blocked":  # type: ignore[union-attr]
        return v2.Media(transcodings=[], state=state)
    snipped = track.policy.access == "preview"  # type: ignore[union-attr]
    token = r.secret_tokens.get(track.id)
    params = {"secret_token": token} if token else None
    items = []
    for t in track.media.transcodings:  # type: ignore[union-attr]
        if not _listed(t, snipped):
            continue
        rendition = RENDITION[t.kind]
        stage = "preview" if snipped else "stream"
        path = f"/media/{urn('tracks', track.id)}/{t.kind}/{stage}/{rendition.protocol}"
        items.append(
            v2.Transcoding(
                url=r.url(path, params),
                preset=preset(rendition),
                duration=min(t.duration_ms, PREVIEW_MS) if snipped else t.duration_ms,
                snipped=snipped,
                format=v2.Format(
                    protocol=rendition.protocol,
                    mime_type=MIME_TYPES.get(rendition.codec, t.content_type),
                ),
                quality="sq",
            )
        )
    return v2.Media(transcodings=items, state=state)


def _f(paths: tuple[str, ...], get: Any, users: bool = False) -> Field[Track]:
    return Field(paths, get, users)


def _const(value: Any) -> Field[Track]:
    return Field((), lambda _t, _r: value)


def _user(shape: Shape[User, Any]) -> Field[Track]:
    """The owner as `shape` renders it (only its id where the Users VAS did not answer)."""
    return Field(("user_id",), lambda t, r: owner(shape, t.user_id, r), True)


def _display_date(t: Track) -> str | None:
    release_at = t.policy.release_at  # type: ignore[union-attr]
    return iso(release_at or t.created_at)


FIELDS: dict[str, Field[Track]] = {
    "id": _f(("id",), lambda t, _r: t.id),
    "urn": _f(("id",), lambda t, _r: urn("tracks", t.id)),
    "uri": _f(("id",), lambda t, r: r.url(f"/tracks/{t.id}")),
    "user_id": _f(("user_id",), lambda t, _r: t.user_id),
    "title": _f(("title",), lambda t, _r: t.title),
    "permalink": _f(("permalink",), lambda t, _r: t.permalink),
    "permalink_url": _f(("permalink", "policy"), permalink_url, users=True),
    "description": _f(("description",), lambda t, _r: t.description or None),
    "caption": _const(None),
    "genre": _f(("genre",), lambda t, _r: t.genre or None),
    "tag_list": _f(("tag_list",), lambda t, _r: t.tag_list),
    "label_name": _f(("label_name",), lambda t, _r: t.label_name or None),
    "licence": _f(("license",), lambda t, _r: t.license),
    "purchase_title": _f(("purchase_title",), lambda t, _r: t.purchase_title or None),
    "purchase_url": _f(("purchase_url",), lambda t, _r: t.purchase_url or None),
    "release_date": _f(("release_date",), lambda t, _r: iso_date(t.release_date)),
    "bpm": _f(("bpm",), lambda t, _r: t.bpm),
    "key_signature": _f(("key_signature",), lambda t, _r: t.key_signature or None),
    "isrc": _f(("isrc",), lambda t, _r: t.isrc),
    "artwork_url": _f(
        ("artwork_key",),
        lambda t, r: r.site(f"/media/artwork/{t.artwork_key}") if t.artwork_key else None,
    ),
    "waveform_url": _const(""),
    "created_at": _f(("created_at",), lambda t, _r: iso(t.created_at)),
    "last_modified": _f(("updated_at",), lambda t, _r: iso(t.updated_at)),
    "display_date": _f(("created_at", "policy.release_at"), lambda t, _r: _display_date(t)),
    "duration": _f(
        ("duration_ms", "policy.access"),
        lambda t, _r: (
            min(t.duration_ms, PREVIEW_MS) if t.policy.access == "preview" else t.duration_ms
        ),
    ),
    "full_duration": _f(("duration_ms",), lambda t, _r: t.duration_ms),
    "sharing": _f(("policy.sharing",), lambda t, _r: t.policy.sharing),
    "public": _f(("policy.sharing",), lambda t, _r: t.policy.sharing == "public"),
    "secret_token": _f(("policy.secret_token",), _token),
    "embeddable_by": _const("all"),
    "streamable": _f(("policy.streamable",), lambda t, _r: t.policy.streamable),
    "commentable": _f(("policy.commentable",), lambda t, _r: t.policy.commentable),
    "downloadable": _f(("policy.downloadable",), lambda t, _r: t.policy.downloadable),
    "has_downloads_left": _f(("policy.can_download",), lambda t, _r: t.policy.can_download),
    "policy": _f(("policy.access", "policy.monetization"), lambda t, _r: policy_of(t)),
    "monetization_model": _f(("policy.monetization",), lambda t, _r: monetization_model(t)),
    "likes_count": _f(("stats.likes",), lambda t, _r: t.stats.likes),
    "reposts_count": _f(("stats.reposts",), lambda t, _r: t.stats.reposts),
    "playback_count": _f(("stats.plays",), lambda t, _r: t.stats.plays),
    "comment_count": _f(("stats.comments",), lambda t, _r: t.stats.comments),
    "download_count": _f(("stats.downloads",), lambda t, _r: t.stats.downloads),
    "state": _f(("media.status",), lambda t, _r: t.media.status),
    "media": _f(("media", "policy.access"), media),
    "track_authorization": _const(""),
    "station_urn": _f(("id",), lambda t, _r: f"soundcloud:system-playlists:track-stations:{t.id}"),
    "station_permalink": _const(None),
    "visuals": _const(None),
    "user_liked": _f(("viewer.liked",), lambda t, _r: t.viewer.liked),
    "user_reposted": _f(("viewer.reposted",), lambda t, _r: t.viewer.reposted),
}

TRACK = Shape(v2.BasicTrack, {**FIELDS, "user": _user(BASIC_USER)})
"""BasicTrack: the owner as a BasicUser."""
TRACK_FULL = Shape(v2.Track, {**FIELDS, "user": _user(USER)})
"""Track (search results, resolve): the owner with counts."""
