"""What the document says the bodies are: each field once, in SoundCloud's JSON encoding
(`{"track": {...}}`, where a text field may be a number or a boolean, taken as its text, and
null is absent) and in its form encoding (`track[title]=...`, every value text)."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Parameter,
    Reference,
    RequestBody,
    Schema,
)

from app.edge.kit.oauth_forms import AUTHORIZE_FIELDS, FORM, JSON
from app.edge.public.params.bodies import STOREFRONT_LIMITS, STOREFRONT_TYPES

MULTIPART = "multipart/form-data"
MAX_TRACK_MS = 6 * 3600 * 1000
"""No track is longer (the media pipeline refuses longer audio): a comment's furthest place."""
STRING, NUMBER, BOOLEAN, NULL = (
    OpenAPIType.STRING,
    OpenAPIType.NUMBER,
    OpenAPIType.BOOLEAN,
    OpenAPIType.NULL,
)


def _not_blank(limit: int) -> str:
    """Text that, stripped of surrounding whitespace, has 1 to `limit` characters."""
    return rf"^\s*\S([\s\S]{{0,{limit - 2}}}\S)?\s*$"


class Field:
    """One field of a body: its schema in JSON and in a form (where its name is
    `root[name]`, or `root` followed by `form_path`)."""

    def __init__(self, json: Schema, form: Schema, form_path: str | None = None) -> None:
        self.json, self.form, self.form_path = json, form, form_path

    def form_name(self, root: str, name: str) -> str:
        return root + (self.form_path or f"[{name}]")


def text(limit: int | None, description: str | None = None) -> Field:
    """Free text of at most `limit` characters (None: unbounded)."""
    return Field(
        Schema(type=[STRING, NUMBER, BOOLEAN, NULL], max_length=limit, description=description),
        Schema(type=STRING, max_length=limit, description=description),
    )


def title(limit: int = 255, *, nullable: bool) -> Field:
    """Text that is not blank: 1 to `limit` characters once stripped."""
    kinds = [STRING, NUMBER, BOOLEAN, NULL] if nullable else [STRING, NUMBER, BOOLEAN]
    description = f"1 to {limit} characters, not blank"
    return Field(
        Schema(type=kinds, pattern=_not_blank(limit), description=description),
        Schema(type=STRING, pattern=_not_blank(limit), description=description),
    )


def strict_text(limit: int, *, nullable: bool = True) -> Field:
    """Text that must be a string in JSON too."""
    return Field(
        Schema(type=[STRING, NULL] if nullable else STRING, max_length=limit),
        Schema(type=STRING, max_length=limit),
    )


def choice(values: Sequence[str], description: str | None = None) -> Field:
    return Field(
        Schema(type=[STRING, NULL], enum=[*values, None], description=description),
        Schema(type=STRING, enum=list(values), description=description),
    )


def pattern(regex: str, description: str, max_length: int | None = None) -> Field:
    """Text matching `regex` (empty when the regex allows it)."""
    return Field(
        Schema(type=[STRING, NULL], pattern=regex, max_length=max_length, description=description),
        Schema(type=STRING, pattern=regex, max_length=max_length, description=description),
    )


FLAG_TEXT = r"^\s*([tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|[01])\s*$"
FLAG = Field(
    Schema(
        any_of=[
            Schema(type=[BOOLEAN, NULL]),
            Schema(type=OpenAPIType.INTEGER, enum=[0, 1]),
            Schema(type=STRING, pattern=FLAG_TEXT),
        ],
        description="true or false (also `1`/`0`)",
    ),
    Schema(type=STRING, pattern=FLAG_TEXT, description="true or false (also `1`/`0`)"),
)
BPM_TEXT = r"^(([1-9][0-9]?|[1-8][0-9]{2}|9[0-8][0-9]|99[0-8])(\.[0-9]{1,6})?|999(\.0{1,6})?)?$"
BPM = Field(
    Schema(
        any_of=[
            Schema(type=NUMBER, exclusive_minimum=0, maximum=999),
            Schema(type=[STRING, NULL], pattern=BPM_TEXT),
        ],
        description="beats per minute, above 0 and at most 999",
    ),
    Schema(type=STRING, pattern=BPM_TEXT, description="beats per minute, above 0, at most 999"),
)
HTTP_URL = r"^([hH][tT][tT][pP][sS]?://[A-Za-z0-9._~%!$&'()*+,;=:@-]+([/?#][\s\S]*)?)?$"
_YEAR = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
DATE_TEXT = (
    rf"^({_YEAR}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
    r"|(0[13578]|1[02])-31))?$"
)
"""A yyyy-mm-dd date (29 February aside, which leap years have too) or empty."""
DATE = Field(
    Schema(type=[STRING, NULL], pattern=DATE_TEXT, description="yyyy-mm-dd (empty: none)"),
    Schema(type=STRING, pattern=DATE_TEXT, description="yyyy-mm-dd (empty: none)"),
)
TIMESTAMP_TEXT = r"^(0|[1-9][0-9]{0,6})?$"
TIMESTAMP = Field(
    Schema(
        any_of=[
            Schema(type=NUMBER, minimum=0, maximum=MAX_TRACK_MS),
            Schema(type=[STRING, NULL], pattern=TIMESTAMP_TEXT),
        ],
        description="where in the track, in milliseconds (within its duration)",
    ),
    Schema(type=STRING, pattern=TIMESTAMP_TEXT, description="milliseconds into the track"),
)

TRACK_FIELDS = {
    "title": title(nullable=True),
    "description": text(10_000),
    "genre": text(100),
    "tag_list": text(500, "space-separated tags, multi-word ones in double quotes"),
    "label_name": text(255),
    "purchase_url": pattern(HTTP_URL, "an http(s) URL (empty: none)", 512),
    "purchase_title": text(255),
    "license": choice(
        (
            "all-rights-reserved",
            "no-rights-reserved",
            "cc-by",
            "cc-by-nc",
            "cc-by-nd",
            "cc-by-sa",
            "cc-by-nc-nd",
            "cc-by-nc-sa",
        )
    ),
    "sharing": choice(("public", "private")),
    "key_signature": text(16),
    "streamable": FLAG,
    "downloadable": FLAG,
    "commentable": FLAG,
    "isrc": pattern(r"^([A-Z]{2}[A-Z0-9]{3}[0-9]{7})?$", "CCXXXYYNNNNN (empty: none)"),
    "release_date": DATE,
    "bpm": BPM,
}
PLAYLIST_FIELDS = {
    "title": title(nullable=True),
    "description": text(5_000),
    "sharing": choice(("public", "private")),
    "set_type": choice(("playlist", "album", "ep", "single", "compilation")),
    "genre": text(100),
    "tag_list": text(500),
    "label_name": text(255),
}
MAX_PLAYLIST_TRACKS = 500
TRACK_REFS = Field(
    Schema(
        type=[OpenAPIType.ARRAY, NULL],
        max_items=MAX_PLAYLIST_TRACKS,
        items=Schema(
            type=OpenAPIType.OBJECT,
            properties={"urn": Schema(type=STRING, description="soundcloud:tracks:<id>")},
        ),
        description="the playlist's tracks, in order (a missing one is a 404)",
    ),
    Schema(type=STRING, description="comma-separated track URNs"),
    "[tracks][][urn]",
)


def _json(root: str, fields: dict[str, Field], required: Sequence[str]) -> Schema:
    """`{root: {fields}}`, or the fields without the wrapper (a body without `root`)."""
    properties: dict[str, Reference | Schema] = {name: f.json for name, f in fields.items()}
    inner = Schema(type=OpenAPIType.OBJECT, properties=properties, required=list(required) or None)
    bare = Schema(
        type=OpenAPIType.OBJECT,
        properties=properties,
        required=list(required) or None,
        schema_not=Schema(required=[root]),
        description=f"the fields without the `{root}` wrapper",
    )
    wrapped = Schema(type=OpenAPIType.OBJECT, properties={root: inner}, required=[root])
    return Schema(any_of=[wrapped, bare])


def _form(root: str, fields: dict[str, Field], required: Sequence[str]) -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        properties={field.form_name(root, name): field.form for name, field in fields.items()},
        required=[fields[name].form_name(root, name) for name in required] or None,
    )


def body(
    root: str,
    fields: dict[str, Field],
    required: Sequence[str] = (),
    *,
    description: str,
    optional: bool = False,
) -> RequestBody:
    """A body in SoundCloud's JSON encoding and as form fields; an `optional` one may be left
    out (changes: none is no change)."""
    return RequestBody(
        description=description + " (JSON may also send the fields without the wrapper)",
        required=not optional,
        content={
            JSON: OpenAPIMediaType(schema=_json(root, fields, required)),
            FORM: OpenAPIMediaType(schema=_form(root, fields, required)),
        },
    )


NEW_PLAYLIST = body(
    "playlist",
    {**PLAYLIST_FIELDS, "title": title(nullable=False), "tracks": TRACK_REFS},
    ["title"],
    description="The new playlist",
)
PLAYLIST_CHANGES = body(
    "playlist",
    {**PLAYLIST_FIELDS, "tracks": TRACK_REFS},
    description="The fields to change; `tracks` replaces the playlist's tracks",
    optional=True,
)
TRACK_CHANGES = body("track", TRACK_FIELDS, description="The fields to change", optional=True)
NEW_COMMENT = body(
    "comment",
    {"body": title(10_000, nullable=False), "timestamp": TIMESTAMP},
    ["body"],
    description="The comment",
)
STOREFRONT = body(
    "storefront",
    {
        "title": strict_text(STOREFRONT_LIMITS["title"], nullable=False),
        "link": Field(
            Schema(type=STRING, pattern=HTTP_URL, max_length=STOREFRONT_LIMITS["link"]),
            Schema(type=STRING, pattern=HTTP_URL, max_length=STOREFRONT_LIMITS["link"]),
        ),
        "link_title": strict_text(STOREFRONT_LIMITS["link_title"]),
        "description": strict_text(STOREFRONT_LIMITS["description"]),
        "price": strict_text(STOREFRONT_LIMITS["price"]),
        "type": Field(
            Schema(type=STRING, enum=sorted(STOREFRONT_TYPES)),
            Schema(type=STRING, enum=sorted(STOREFRONT_TYPES)),
        ),
    },
    ["title", "link", "type"],
    description="The track's storefront button (its link becomes the track's purchase link)",
)
UPLOAD = RequestBody(
    description="The new track: its fields, then the audio file (streamed to storage; a field "
    "after the file part is refused)",
    required=True,
    content={
        MULTIPART: OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.OBJECT,
                properties={
                    **{f"track[{name}]": field.form for name, field in TRACK_FIELDS.items()},
                    "track[title]": Schema(
                        type=STRING,
                        description="the title (blank: the file's title tag, else its name; "
                        "cut to 255 characters)",
                    ),
                    "track[asset_data]": Schema(
                        type=STRING,
                        format=OpenAPIFormat.BINARY,
                        content_media_type="audio/*",
                        description="the audio file (a part with a filename)",
                    ),
                },
                required=["track[title]", "track[asset_data]"],
            )
        )
    },
)
SIGN_OUT = RequestBody(
    description="The token to sign out when it is not in the Authorization header or the query",
    required=False,
    content={
        JSON: OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.OBJECT,
                properties={"access_token": text(None, "the access token to revoke").json},
            )
        ),
        FORM: OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.OBJECT,
                properties={"access_token": text(None, "the access token to revoke").form},
            )
        ),
    },
)
CONNECT_QUERY = [
    Parameter(
        name=name,
        param_in="query",
        required=False,
        schema=Schema(type=STRING),
        description=f"{schema.description} (handed to /auth/authorize as sent)",
    )
    for name, schema in AUTHORIZE_FIELDS.items()
]
"""`/connect` takes /auth/authorize's query and hands it on unread, whatever it holds."""
