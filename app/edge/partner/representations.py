"""The Partner API's external shapes and the mappers from creator aggregates to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from app.value_added.creator import AuditEntry, CreatorPlaylist, CreatorTrack, Insights
from app.value_added.users import User


class PartnerCreator(msgspec.Struct, kw_only=True):
    kind: str = "creator"
    id: int
    uri: str
    username: str | None
    permalink: str | None
    full_name: str | None
    country: str | None
    track_count: int | None
    playlist_count: int | None


class Managed(msgspec.Struct, kw_only=True):
    """What every managed resource starts with: its kind, id, URI, owner and headline."""

    kind: str
    id: int
    uri: str
    user_id: int
    title: str
    permalink: str
    description: str


class PartnerTrack(Managed, kw_only=True):
    """A managed track: metadata and its full policy (secret token included)."""

    kind: str = "track"
    genre: str
    tag_list: str
    duration_ms: int
    bpm: float | None
    key_signature: str
    isrc: str | None
    license: str
    label_name: str
    purchase_url: str
    purchase_title: str
    release_date: dt.date | None
    sharing: str
    secret_token: str
    release_at: dt.datetime | None
    territories: list[str] | None
    streamable: bool
    downloadable: bool
    commentable: bool
    monetization: str
    taken_down: bool
    takedown_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PartnerPlaylist(Managed, kw_only=True):
    kind: str = "playlist"
    set_type: str
    sharing: str
    secret_token: str
    genre: str
    tag_list: str
    label_name: str
    release_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PartnerAuditEntry(msgspec.Struct, kw_only=True):
    id: int
    app: dict[str, Any]
    actor_user_id: int | None
    creator_id: int
    entity: dict[str, Any]
    action: str
    changes: dict[str, Any]
    request_id: str | None
    created_at: dt.datetime


class InsightRowOut(msgspec.Struct, kw_only=True):
    track_id: int
    day: dt.date
    territory: str | None
    plays: int
    likes: int
    reposts: int
    downloads: int


class PartnerInsights(msgspec.Struct, kw_only=True):
    creator_id: int
    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    totals: dict[str, int]
    collection: list[InsightRowOut]


CSV_COLUMNS = ("track_id", "day", "territory", "plays", "likes", "reposts", "downloads")


def _pick(aggregate: msgspec.Struct, shape: type[msgspec.Struct]) -> dict[str, Any]:
    """The aggregate's values of the fields the external shape declares."""
    fields = set(shape.__struct_fields__)
    return {k: v for k, v in msgspec.structs.asdict(aggregate).items() if k in fields}


def creator(user: User, uri: str) -> PartnerCreator:
    def known(value: Any) -> Any:
        return None if value is msgspec.UNSET else value

    stats = known(user.stats)
    return PartnerCreator(
        id=user.id,
        uri=uri,
        username=known(user.username),
        permalink=known(user.permalink),
        full_name=known(user.full_name),
        country=known(user.country),
        track_count=stats.tracks if stats is not None else None,
        playlist_count=stats.playlists if stats is not None else None,
    )


def track(aggregate: CreatorTrack, uri: str) -> PartnerTrack:
    return PartnerTrack(uri=uri, **_pick(aggregate, PartnerTrack))


def playlist(aggregate: CreatorPlaylist, uri: str) -> PartnerPlaylist:
    return PartnerPlaylist(uri=uri, **_pick(aggregate, PartnerPlaylist))


def audit_entry(entry: AuditEntry) -> PartnerAuditEntry:
    return PartnerAuditEntry(
        id=entry.id,
        app={"id": entry.app_id, "name": entry.app_name},
        actor_user_id=entry.actor_user_id,
        creator_id=entry.creator_id,
        entity={"kind": entry.entity_kind, "id": entry.entity_id},
        action=entry.action,
        changes=entry.changes,
        request_id=entry.request_id,
        created_at=entry.created_at,
    )


def insights(result: Insights) -> PartnerInsights:
    return PartnerInsights(
        creator_id=result.owner_id,
        from_=result.start,
        to=result.end,
        totals=msgspec.structs.asdict(result.totals),
        collection=[InsightRowOut(**msgspec.structs.asdict(r)) for r in result.rows],
    )


def insight_csv_rows(result: Insights) -> list[tuple[Any, ...]]:
    """One tuple per row in CSV_COLUMNS order (unknown territory as an empty cell)."""
    return [
        (r.track_id, r.day.isoformat(), r.territory or "", r.plays, r.likes, r.reposts, r.downloads)
        for r in result.rows
    ]
