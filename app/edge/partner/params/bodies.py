"""Request bodies of the Partner API: the Creator gateway's drafts and changes, decoded
strictly (an unknown field is a 400 naming it, so a typo never silently does nothing) and
typed with the catalog's rules, so that the document states them and decoding enforces them."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, Union

import msgspec
from litestar import Request
from msgspec import NODEFAULT, UNSET, Meta, UnsetType

from app.edge.kit.bounds import Id
from app.value_added.catalog import validation as rules
from app.value_added.catalog.requests import Territory
from app.value_added.common.errors import InvalidArgument
from app.value_added.creator import PlaylistChanges, PlaylistDraft, TrackChanges, TrackDraft

BodyT = TypeVar("BodyT", bound=msgspec.Struct)
_MEMBER = re.compile(r"at `\$\.([A-Za-z_]+)")

NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"
"""Holds a character that is no white space (as Python, ECMAScript and Rust regexes alike
read it: each engine's `\\s` differs a little, so the differences are named)."""
URL = r"^(https?://[A-Za-z0-9._~%!$&'()*+,;=:@-]+([/?#][!-~]*)?)?$"
"""Empty, or an http(s) URL with a host (printable ASCII, no spaces)."""
FIRST_OR_LAST_DAY = f"^(?!{rules.FIRST_MOMENT_DAY - dt.timedelta(days=1)}|" + (
    f"{rules.LAST_MOMENT_DAY + dt.timedelta(days=1)})"
)


Title = Annotated[
    str,
    Meta(
        max_length=rules.MAX_TITLE,
        pattern=NOT_BLANK,
        description=f"1 to {rules.MAX_TITLE} characters, not blank",
    ),
]
Moment = Annotated[
    dt.datetime,
    Meta(
        tz=True,
        description=f"from {rules.FIRST_MOMENT_DAY} to {rules.LAST_MOMENT_DAY}",
        extra_json_schema={"pattern": FIRST_OR_LAST_DAY},
    ),
]
TRACK_FIELDS: dict[str, Any] = {
    "title": Title,
    **{name: Annotated[str, Meta(max_length=n)] for name, n in rules.TRACK_TEXT.items()},
    "duration_ms": Annotated[int, Meta(ge=0, le=rules.MAX_DURATION_MS)],
    "bpm": Annotated[float, Meta(gt=0, le=999)] | None,
    "isrc": Annotated[str, Meta(pattern=rules.ISRC.pattern)] | None,
    "license": rules.License,
    "purchase_url": Annotated[str, Meta(max_length=rules.MAX_URL, pattern=URL)],
    "sharing": rules.Sharing,
    "release_at": Moment | None,
    "territories": list[Territory] | None,
    "monetization": rules.Monetization,
}
"""Each track field as the catalog's rules (catalog.validation) admit it."""
PLAYLIST_FIELDS: dict[str, Any] = {
    "title": Title,
    **{name: Annotated[str, Meta(max_length=n)] for name, n in rules.PLAYLIST_TEXT.items()},
    "set_type": rules.SetType,
    "sharing": rules.Sharing,
    "track_ids": Annotated[tuple[Id, ...], Meta(max_length=rules.MAX_TRACKS)],
}
POLICY_FIELDS = frozenset(
    {"release_date", "release_at", "territories", "monetization", "sharing"}
    | {"streamable", "downloadable", "commentable"}
)
"""What PATCH …/policy changes; PATCH /tracks/{id} changes every other field of TrackChanges."""


def _strict(
    name: str,
    of: type[msgspec.Struct],
    types: dict[str, Any],
    doc: str,
    *,
    subclass: bool = True,
    only: frozenset[str] | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> type[msgspec.Struct]:
    """`of`'s fields (`only` those, but those in `leave_out`) typed as `types` says, decoded
    strictly; a subclass of `of` unless it has only some of its fields."""
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for field in msgspec.structs.fields(of):
        if (only is not None and field.name not in only) or field.name in leave_out:
            continue
        kind = types.get(field.name, field.type)
        if field.default is UNSET and kind is not field.type:
            kind = Union[kind, UnsetType]  # noqa: UP007 (a runtime union of Annotated types)
        if field.default is NODEFAULT:
            fields.append((field.name, kind))
        else:
            fields.append((field.name, kind, field.default))
    body = msgspec.defstruct(
        name,
        fields,
        bases=(of,) if subclass else None,
        kw_only=True,
        frozen=True,
        forbid_unknown_fields=True,
        module=__name__,
    )
    body.__doc__ = doc
    return body


if TYPE_CHECKING:
    TrackCreate = TrackDraft
    TrackPatch = TrackChanges
    TrackPolicyPatch = TrackChanges
    PlaylistCreate = PlaylistDraft
    PlaylistPatch = PlaylistChanges
else:
    TrackCreate = _strict(
        "TrackCreate", TrackDraft, TRACK_FIELDS, "A new track's metadata and policy."
    )
    TrackPatch = _strict(
        "TrackPatch",
        TrackChanges,
        TRACK_FIELDS,
        "Metadata changes (policies go through PATCH …/policy); fields left out stay.",
        subclass=False,
        leave_out=POLICY_FIELDS,
    )
    TrackPolicyPatch = _strict(
        "TrackPolicyPatch",
        TrackChanges,
        TRACK_FIELDS,
        "Release dates, territories (null: worldwide), monetization and sharing.",
        subclass=False,
        only=POLICY_FIELDS,
    )
    PlaylistCreate = _strict(
        "PlaylistCreate",
        PlaylistDraft,
        PLAYLIST_FIELDS,
        "A playlist, or an album/EP/single with `set_type`.",
    )
    PlaylistPatch = _strict(
        "PlaylistPatch", PlaylistChanges, PLAYLIST_FIELDS, "Only the fields present change."
    )


def _integral(value: Any) -> Any:
    """JSON values with every whole number written as a float (`3.0`) made an int, as JSON
    Schema counts it (an integer field takes it, a number field took it anyway)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    return value


async def strictly(request: Request[Any, Any, Any], data: BodyT) -> BodyT:
    """The body as the document types it: Litestar converts bodies leniently (`0` for false,
    `"1"` for 1), which the document's types do not admit, so they are refused here."""
    try:
        raw = msgspec.json.decode(await request.body())
        return msgspec.convert(_integral(raw), type=type(data), strict=True)
    except msgspec.ValidationError as exc:
        member = _MEMBER.search(str(exc))
        field = member.group(1) if member else "body"
        raise InvalidArgument(f"invalid {field}: {exc}", field=field) from None


def track_changes(body: TrackPatch | TrackPolicyPatch) -> TrackChanges:
    """Either half of a track's changes, as the Creator gateway's input."""
    values = msgspec.structs.asdict(body)
    return TrackChanges(**{k: v for k, v in values.items() if v is not UNSET})
