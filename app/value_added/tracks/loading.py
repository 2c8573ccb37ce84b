"""Assemble aggregates of visible tracks with only the parts the field mask asks for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.foundation.tracks.records import TrackRecord
from app.foundation.unit_of_work import UnitOfWork
from app.value_added import access
from app.value_added.access import Viewer
from app.value_added.catalog import Loaded
from app.value_added.catalog.aggregates import media_state
from app.value_added.common.fieldmask import FieldMask
from app.value_added.tracks.aggregates import (
    METADATA_FIELDS,
    Track,
    TrackMedia,
    TrackPolicy,
    TrackStats,
    Transcoding,
    ViewerState,
)


def policy_view(viewer: Viewer, item: Loaded, now: dt.datetime, token: str | None) -> TrackPolicy:
    """The policy part of a visible track, with the viewer's decisions (one policy pass)."""
    track, policy = item
    decided = access.decisions_for_visible(viewer, track.user_id, policy, now)
    return TrackPolicy(
        sharing=policy.sharing,
        access=decided.access,
        streamable=policy.streamable,
        downloadable=policy.downloadable,
        commentable=policy.commentable,
        monetization=policy.monetization,
        release_at=policy.release_at,
        can_download=decided.can_download,
        can_comment=decided.can_comment,
        can_edit=decided.can_edit,
        secret_token=policy.secret_token if decided.can_edit else None,
        territories=policy.territories if decided.can_edit else None,
        taken_down=policy.taken_down_at is not None,
    )


async def assemble(
    uow: UnitOfWork,
    viewer: Viewer,
    items: Sequence[Loaded],
    mask: FieldMask,
    now: dt.datetime,
    secret_tokens: Mapping[int, str] | None = None,
) -> list[Track]:
    """Build aggregates; each optional part costs one batched read, and only when asked for."""
    if not items:
        return []
    ids = [item.track.id for item in items]
    stats = await _stats(uow, ids) if mask.wants("stats") else {}
    media = await _media(uow, ids) if mask.wants("media") else {}
    state = await _viewer_state(uow, viewer, items) if mask.wants("viewer") else {}
    tokens = secret_tokens or {}
    wanted = [f for f in METADATA_FIELDS if mask.wants(f)]
    result = []
    for item in items:
        track = item.track
        parts: dict[str, Any] = {f: getattr(track, f) for f in wanted}
        if mask.wants("policy"):
            parts["policy"] = policy_view(viewer, item, now, tokens.get(track.id))
        if mask.wants("stats"):
            parts["stats"] = stats[track.id]
        if mask.wants("media"):
            parts["media"] = media.get(track.id) or _no_media(track)
        if mask.wants("viewer"):
            parts["viewer"] = state.get(track.id, ViewerState(liked=False, reposted=False))
        result.append(Track(id=track.id, user_id=track.user_id, **parts))
    return result


async def _stats(uow: UnitOfWork, ids: list[int]) -> dict[int, TrackStats]:
    counts = await uow.counters.track_counts(ids)
    return {
        c.track_id: TrackStats(
            likes=c.likes,
            reposts=c.reposts,
            plays=c.plays,
            comments=c.comments,
            downloads=c.downloads,
        )
        for c in counts
    }


async def _media(uow: UnitOfWork, ids: list[int]) -> dict[int, TrackMedia]:
    media = await uow.media.for_tracks(ids)
    transcodings = await uow.media.transcodings_of([m.id for m in media])
    by_media: dict[int, list[Transcoding]] = {}
    for t in transcodings:
        by_media.setdefault(t.media_id, []).append(
            Transcoding(kind=t.kind, content_type=t.content_type, duration_ms=t.duration_ms)
        )
    return {
        m.track_id: TrackMedia(
            status=m.status,
            status_reason=m.status_reason,
            format=m.format,
            duration_ms=m.duration_ms,
            size_bytes=m.size_bytes,
            transcodings=by_media.get(m.id, []),
            state=media_state(m.status),
        )
        for m in media
    }


def _no_media(track: TrackRecord) -> TrackMedia:
    """A track created from metadata whose audio has not arrived yet."""
    return TrackMedia(
        status="processing",
        status_reason="",
        format="",
        duration_ms=track.duration_ms,
        size_bytes=0,
        transcodings=[],
        state="none",
    )


async def _viewer_state(
    uow: UnitOfWork, viewer: Viewer, items: Sequence[Loaded]
) -> dict[int, ViewerState]:
    """The viewer's likes and reposts of the tracks. A new viewer's whole sets are read in one
    statement, with whom the viewer follows and which of the owners follow the viewer: what the
    owners' cards ask next (the Users VAS then finds them in the record cache)."""
    if viewer.user_id is None:
        return {}
    ids = [item.track.id for item in items]
    social = uow.social
    await social.load_target_sets(
        viewer.user_id,
        (social.track_likes, social.track_reposts, social.follows),
        incoming=social.follows,
        among=[item.track.user_id for item in items],
    )
    liked = await social.track_likes.which(viewer.user_id, ids)
    reposted = await social.track_reposts.which(viewer.user_id, ids)
    return {i: ViewerState(liked=i in liked, reposted=i in reposted) for i in ids}
