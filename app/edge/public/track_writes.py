"""Track writes: upload, update (JSON or form), delete, storefront, and posting comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Request, Response, delete, post, put
from litestar.datastructures import UploadFile

from app.edge.kit.context import EdgeContext
from app.edge.kit.errors import EdgeError
from app.edge.public import bodies, ids
from app.edge.public.errors import unprocessable
from app.edge.public.views import TRACK_MASK, View, json
from app.value_added.access import Viewer
from app.value_added.common.errors import InvalidArgument, Unprocessable, UnsupportedMediaType
from app.value_added.creator import TrackChanges, TrackDraft

Req = Request[Any, Any, Any]
CHUNK = 1 << 20
TEXT_FIELDS = (
    "title",
    "description",
    "genre",
    "tag_list",
    "label_name",
    "purchase_url",
    "purchase_title",
    "license",
    "sharing",
    "key_signature",
)
FLAGS = ("streamable", "downloadable", "commentable")
STOREFRONT_TYPES = frozenset(
    {"digital", "vinyl", "cd", "cassette", "apparel", "sample_pack", "subscription"}
    | {"live_event", "live_stream", "other"}
)


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise InvalidArgument(f"{name} must be true or false", field=name)


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidArgument(
            "release_date must be formatted yyyy-mm-dd", field="release_date"
        ) from None


def track_values(raw: dict[str, Any]) -> dict[str, Any]:
    """SoundCloud's track fields mapped onto the Creator gateway's (unknown ones ignored)."""
    values = bodies.texts(raw, TEXT_FIELDS)
    for name in FLAGS:
        if raw.get(name) is not None:
            values[name] = _flag(name, raw[name])
    isrc = bodies.text(raw, "isrc")
    if isrc is not None:
        values["isrc"] = isrc or None
    if "release_date" in raw:
        values["release_date"] = _date(bodies.text(raw, "release_date"))
    if raw.get("bpm") not in (None, ""):
        try:
            values["bpm"] = float(str(raw["bpm"]))
        except ValueError:
            raise InvalidArgument("bpm must be a number", field="bpm") from None
    return values


@asynccontextmanager
async def as_unprocessable() -> AsyncIterator[None]:
    """An asset the media pipeline cannot take is SoundCloud's 422 on upload."""
    try:
        yield
    except (UnsupportedMediaType, Unprocessable) as exc:
        raise EdgeError(422, exc.reason, exc.message) from exc


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK):
        yield chunk


@post("/tracks", request_max_body_size=None)
async def upload_track(request: Req, edge: EdgeContext, viewer: Viewer) -> Response[Any]:
    view = View(request, edge, viewer)
    owner_id = view.user_id()
    raw = await bodies.fields(request, "track")
    values = track_values(raw)
    if "title" not in values:
        raise InvalidArgument("track[title] is required", field="track[title]")
    draft = bodies.convert(values, TrackDraft)
    creator = view.services.creator
    asset = bodies.upload_of(raw.get("asset_data"))
    upload: Any = getattr(creator, "upload_track", None)
    if upload is not None:
        if asset is None:
            raise EdgeError(422, "asset_required", "track[asset_data] must be an audio file part")
        async with as_unprocessable():
            created = await upload(
                viewer,
                owner_id,
                draft,
                _chunks(asset),
                asset.filename or "upload",
                asset.content_type or "application/octet-stream",
            )
    else:
        # Without the media pipeline's upload: the track is created from its metadata only.
        created = await creator.create_track(viewer, owner_id, draft)
    track = await view.services.tracks.get(viewer, created.id, TRACK_MASK)
    return json(await view.track(track), status=201)


@put("/tracks/{track_urn:str}", request_max_body_size=None)
async def update_track(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    track_id = ids.parse(track_urn, "tracks")
    changes = bodies.convert(track_values(await bodies.fields(request, "track")), TrackChanges)
    await view.services.creator.update_track(viewer, track_id, changes)
    track = await view.services.tracks.get(viewer, track_id, TRACK_MASK)
    return json(await view.track(track))


@delete("/tracks/{track_urn:str}", status_code=200)
async def delete_track(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    await edge.services.creator.delete_track(viewer, ids.parse(track_urn, "tracks"))
    return json({"status": "200 - OK"})


def _storefront(raw: dict[str, Any]) -> dict[str, Any]:
    limits = {"title": 100, "link": 255, "link_title": 50, "description": 500, "price": 20}
    out: dict[str, Any] = {}
    for name, limit in limits.items():
        value = raw.get(name)
        if value is None:
            if name in ("title", "link"):
                raise InvalidArgument(f"{name} is required", field=name)
            out[name] = None
            continue
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidArgument(f"{name} must be a string of at most {limit}", field=name)
        out[name] = value
    if raw.get("type") not in STOREFRONT_TYPES:
        raise InvalidArgument("type must be one of " + ", ".join(sorted(STOREFRONT_TYPES)))
    out["type"] = raw["type"]
    return out


@put("/tracks/{track_urn:str}/storefront")
async def put_storefront(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    """The storefront button maps onto the track's purchase link and title."""
    track_id = ids.parse(track_urn, "tracks")
    store = _storefront(await bodies.fields(request, "storefront"))
    changes = TrackChanges(purchase_url=store["link"], purchase_title=store["link_title"] or "")
    await edge.services.creator.update_track(viewer, track_id, changes)
    return json({"track_urn": ids.urn("tracks", track_id), **store, "image_url": None})


def _timestamp(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(float(str(value)))
    except (ValueError, OverflowError):
        raise InvalidArgument("timestamp must be a number of milliseconds") from None


@post("/tracks/{track_urn:str}/comments")
async def post_comment(
    request: Req, edge: EdgeContext, viewer: Viewer, track_urn: str
) -> Response[Any]:
    view = View(request, edge, viewer)
    track_id = ids.parse(track_urn, "tracks")
    async with unprocessable():
        raw = await bodies.fields(request, "comment")
        body = bodies.text(raw, "body")
        if body is None:
            raise InvalidArgument("comment[body] is required", field="body")
        created = await view.services.tracks.comment(
            viewer, track_id, body, _timestamp(raw.get("timestamp")), view.secret_token
        )
    return json((await view.comments([created]))[0], status=201)


ROUTES = [upload_track, update_track, delete_track, put_storefront, post_comment]
