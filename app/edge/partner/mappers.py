"""Creator aggregates to the Partner API's representations (pure: the request only gives the
absolute URIs), and the collection envelope with its next page."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from app.edge.kit.links import Links, next_href
from app.edge.partner.representations import (
    AuditApp,
    AuditedEntity,
    Collection,
    FieldChange,
    InsightRowOut,
    InsightTotalsOut,
    ItemT,
    PartnerAuditEntry,
    PartnerCreator,
    PartnerInsights,
    PartnerMedia,
    PartnerPlaylist,
    PartnerTrack,
)
from app.value_added.creator import AuditEntry, CreatorPlaylist, CreatorTrack, Insights
from app.value_added.users import User


def uri(request: Request[Any, Any, Any], path: str) -> str:
    """The absolute URI of a partner resource (`/tracks/1` → `https://host/partner/tracks/1`)."""
    return Links(request).api(path)


def collection(
    request: Request[Any, Any, Any], items: list[ItemT], cursor: str | None = None
) -> Collection[ItemT]:
    return Collection(collection=items, next_href=next_href(request, cursor))


def track_at(
    request: Request[Any, Any, Any], aggregate: CreatorTrack, media_state: str
) -> PartnerTrack:
    """A managed track as the partner sees it, with its absolute URI and media state."""
    return track(aggregate, uri(request, f"/tracks/{aggregate.id}"), media_state)


def playlist_at(request: Request[Any, Any, Any], aggregate: CreatorPlaylist) -> PartnerPlaylist:
    """A managed playlist as the partner sees it, with its absolute URI."""
    return playlist(aggregate, uri(request, f"/playlists/{aggregate.id}"))


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


def track(aggregate: CreatorTrack, uri: str, media_state: str) -> PartnerTrack:
    return PartnerTrack(
        uri=uri, media=PartnerMedia(state=media_state), **_pick(aggregate, PartnerTrack)
    )


def playlist(aggregate: CreatorPlaylist, uri: str) -> PartnerPlaylist:
    return PartnerPlaylist(uri=uri, **_pick(aggregate, PartnerPlaylist))


def audit_entry(entry: AuditEntry) -> PartnerAuditEntry:
    return PartnerAuditEntry(
        id=entry.id,
        app=AuditApp(id=entry.app_id, name=entry.app_name),
        actor_user_id=entry.actor_user_id,
        creator_id=entry.creator_id,
        entity=AuditedEntity(kind=entry.entity_kind, id=entry.entity_id),  # type: ignore[arg-type]
        action=entry.action,  # type: ignore[arg-type]
        changes={name: FieldChange(**change) for name, change in entry.changes.items()},
        request_id=entry.request_id,
        created_at=entry.created_at,
    )


def insights(result: Insights) -> PartnerInsights:
    return PartnerInsights(
        creator_id=result.owner_id,
        from_=result.start,
        to=result.end,
        totals=InsightTotalsOut(**msgspec.structs.asdict(result.totals)),
        collection=[InsightRowOut(**msgspec.structs.asdict(r)) for r in result.rows],
    )


def insight_csv_rows(result: Insights) -> list[tuple[Any, ...]]:
    """One tuple per row in CSV_COLUMNS order (unknown territory as an empty cell)."""
    return [
        (r.track_id, r.day.isoformat(), r.territory or "", r.plays, r.likes, r.reposts, r.downloads)
        for r in result.rows
    ]
