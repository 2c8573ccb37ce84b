"""Request inputs of the Partner API: query parameters (id lists, dates, VAS field names to
parameter names), request bodies (decoded strictly: an unknown field is a 400 naming it, so a
typo never silently does nothing), streamed multipart uploads, and the audit context."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import msgspec
import multipart  # type: ignore[import-untyped]
from litestar import Request
from msgspec import UNSET

from app.edge.kit import bounds
from app.edge.kit.caller import Caller
from app.value_added.common.errors import InvalidArgument, UnsupportedMediaType
from app.value_added.creator import (
    AuditContext,
    PlaylistChanges,
    PlaylistDraft,
    TrackChanges,
    TrackDraft,
)

MAX_LIST = 200
RANGE_NAMES = {"start": "from", "end": "to", "since": "from", "until": "to"}
"""The VAS's names of a date range's ends, as this API's parameters name them."""
MAX_FIELD_BYTES = 64 * 1024
UploadEvent = Any
"""A multipart parser event: a segment header, a bytes chunk of its body, or None at its end."""


def bad(param: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{param}: {message}", reason="invalid_parameter", field=param)


def csv_list(param: str, raw: str | None) -> list[str]:
    """`a,b,c` → ['a', 'b', 'c'] (blanks dropped); at most 200 items."""
    items = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if len(items) > MAX_LIST:
        raise bad(param, f"at most {MAX_LIST} values; got {len(items)}")
    return items


def int_list(param: str, raw: str | None) -> list[int]:
    values = []
    for item in csv_list(param, raw):
        value = bounds.identifier(item, param)
        if value is None:
            raise bad(param, f"{item[:40]!r} is not a positive integer id")
        values.append(value)
    return values


def day(param: str, raw: str | None) -> dt.date:
    """A required YYYY-MM-DD date."""
    if raw is None or not raw.strip():
        raise bad(param, "is required (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise bad(param, f"must be a date YYYY-MM-DD; got {raw!r}") from None


def moment(param: str, raw: str | None, *, end_of_day: bool = False) -> dt.datetime | None:
    """An optional date or date-time (naive ones are UTC); a bare `to` date includes that day."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad(param, f"must be a date or an ISO 8601 date-time; got {raw!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if end_of_day and len(text) == len("YYYY-MM-DD"):
        value += dt.timedelta(days=1)
    return value


@contextmanager
def parameter_names(names: Mapping[str, str]) -> Iterator[None]:
    """Re-label a VAS error's field with this API's parameter name (`end` → `to`)."""
    try:
        yield
    except InvalidArgument as exc:
        renamed = names.get(exc.field or "")
        if renamed is not None:
            exc.field = renamed
            exc.message = f"{renamed}: {exc.message}"
        raise


def audit_context(request: Request[Any, Any, Any], caller: Caller) -> AuditContext:
    """Who is writing: the calling app, the token's user if any, and this request's id."""
    state = request.scope.get("state") or {}
    request_id = state.get("request_id")
    return AuditContext(
        app_id=caller.app.id,
        app_name=caller.app.name,
        actor_user_id=caller.user_id,
        request_id=str(request_id)[:64] if request_id else None,
    )


class TrackCreate(TrackDraft, frozen=True, forbid_unknown_fields=True):
    """A new track's metadata and policy (the Creator gateway's draft, decoded strictly)."""


POLICY_FIELDS = frozenset(
    {"release_date", "release_at", "territories", "monetization", "sharing"}
    | {"streamable", "downloadable", "commentable"}
)
"""What PATCH …/policy changes; PATCH /tracks/{id} changes every other field of TrackChanges."""


def _half_of_changes(name: str, policy: bool, doc: str) -> type[msgspec.Struct]:
    """The partner's half of the Creator gateway's TrackChanges, decoded strictly."""
    fields = [
        (f.name, f.type, f.default)
        for f in msgspec.structs.fields(TrackChanges)
        if (f.name in POLICY_FIELDS) is policy
    ]
    half = msgspec.defstruct(
        name, fields, kw_only=True, forbid_unknown_fields=True, module=__name__
    )
    half.__doc__ = doc
    return half


if TYPE_CHECKING:
    TrackPatch = TrackChanges
    TrackPolicyPatch = TrackChanges
else:
    TrackPatch = _half_of_changes(
        "TrackPatch", False, "Metadata changes (policies go through PATCH …/policy)."
    )
    TrackPolicyPatch = _half_of_changes(
        "TrackPolicyPatch",
        True,
        "Release dates, territories (null: worldwide), monetization and sharing.",
    )


class PlaylistCreate(PlaylistDraft, frozen=True, forbid_unknown_fields=True):
    """A playlist, or an album/EP/single with `set_type`."""


class PlaylistPatch(PlaylistChanges, frozen=True, forbid_unknown_fields=True):
    """Only the fields present change."""


def _set(body: msgspec.Struct) -> dict[str, Any]:
    return {k: v for k, v in msgspec.structs.asdict(body).items() if v is not UNSET}


def track_changes(body: TrackPatch | TrackPolicyPatch) -> TrackChanges:
    """Either half of a track's changes, as the Creator gateway's input."""
    return TrackChanges(**_set(body))


def upload_boundary(request: Request[Any, Any, Any]) -> str:
    kind, options = multipart.parse_options_header(request.headers.get("content-type", ""))
    if kind != "multipart/form-data" or not options.get("boundary"):
        raise UnsupportedMediaType(
            "upload as multipart/form-data with a `file` part", reason="multipart_required"
        )
    return str(options["boundary"])


async def upload_events(
    request: Request[Any, Any, Any], boundary: str
) -> AsyncGenerator[UploadEvent, None]:
    try:
        with multipart.PushMultipartParser(boundary, max_segment_count=16) as parser:
            async for chunk in request.stream():
                if chunk:
                    for event in parser.parse(chunk):
                        yield event
            for event in parser.parse(b""):
                yield event
    except multipart.MultipartError as exc:
        raise bad("file", f"malformed multipart body: {exc}") from None


async def fields_until_file(events: AsyncIterator[UploadEvent]) -> tuple[dict[str, bytes], Any]:
    """The form fields before the `file` part, and the `file` part's header."""
    fields: dict[str, bytes] = {}
    name, value = "", bytearray()
    async for event in events:
        if isinstance(event, multipart.MultipartSegment):
            if event.name == "file":
                return fields, event
            name, value = str(event.name or ""), bytearray()
        elif event is None:
            fields[name] = bytes(value)
        else:
            value += event
            if len(value) > MAX_FIELD_BYTES:
                raise bad(name or "metadata", f"form fields are limited to {MAX_FIELD_BYTES} bytes")
    raise bad("file", "a `file` part is required (after the `metadata` part)")


async def file_chunks(events: AsyncIterator[UploadEvent]) -> AsyncIterator[bytes]:
    async for event in events:
        if event is None:
            return
        yield bytes(event)


def upload_draft(fields: dict[str, bytes], filename: str) -> TrackCreate:
    bounds.text(filename, "file")
    raw = fields.get("metadata")
    if raw is None:
        title = (fields.get("title") or b"").decode() or filename.rsplit(".", 1)[0] or "Untitled"
        return TrackCreate(title=bounds.text(title, "title"))
    bounds.json_text(raw, "metadata")
    try:
        return msgspec.json.decode(raw, type=TrackCreate)
    except msgspec.ValidationError as exc:
        raise bad("metadata", str(exc)) from None
    except msgspec.DecodeError:
        raise bad("metadata", "must be a JSON object") from None
