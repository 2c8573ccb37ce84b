"""What the document says each query parameter is, from the rules params/query.py reads it by:
exact where the server is strict (numbers, moments, bounded lists and search words), a plain
string with a description where it is lenient as SoundCloud is (flags, access levels)."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Parameter, Schema

from app.edge.kit import bounds
from app.edge.public.params import moments
from app.edge.public.params.query import ALL_ACCESS, DEFAULT_ACCESS, FALSE, MAX_LIMIT, TRUE
from app.value_added.access import Access

STRING = OpenAPIType.STRING


def query(name: str, schema: Schema, description: str) -> Parameter:
    """An optional query parameter; an empty value is read as its absence (`allowEmptyValue`)."""
    return Parameter(
        name=name,
        param_in="query",
        required=False,
        allow_empty_value=True,
        schema=schema,
        description=description,
    )


def _words(values: frozenset[str]) -> str:
    return "/".join(f"`{v}`" for v in sorted(values))


LIMIT = query(
    "limit",
    Schema(type=OpenAPIType.INTEGER),
    f"items per page: any whole number, clamped to 1..{MAX_LIMIT} as SoundCloud does "
    "(absent or empty: the default)",
)
CURSOR = query(
    "cursor",
    Schema(type=STRING),
    "where the page starts: the `cursor` of the previous page's `next_href` (opaque, signed "
    "by the server; any other is a 400); absent or empty: the first page",
)
LINKED = query(
    "linked_partitioning",
    Schema(type=STRING),
    f"{_words(TRUE)}: a collection `{{collection, next_href}}`; anything else: the bare array "
    "(deprecated)",
)
SHOW_TRACKS = query(
    "show_tracks",
    Schema(type=STRING),
    f"{_words(FALSE)}: playlists without their tracks; anything else: with them",
)
SECRET_TOKEN = query(
    "secret_token",
    Schema(type=STRING),
    "the secret token of a private track or playlist (from its `secret_uri`)",
)
Q = query(
    "q",
    Schema(type=STRING, max_length=bounds.MAX_SEARCH_CHARS),
    f"search words: at most {bounds.MAX_SEARCH_CHARS} characters and "
    f"{bounds.MAX_SEARCH_TERMS} words (a longer search is a 400 `query_too_long`)",
)
URL = query(
    "url",
    Schema(type=STRING),
    "a soundcloud.com URL (or its path) of a user, track or playlist",
)


def access(default: frozenset[Access]) -> Parameter:
    return query(
        "access",
        Schema(type=STRING),
        "the access levels to keep, comma-separated or repeated: "
        f"{_words(ALL_ACCESS)}; other values are ignored; none: {_words(default)}",
    )


def terms(name: str, what: str) -> Parameter:
    return query(
        name,
        Schema(type=STRING, pattern=bounds.TERM_LIST_TEXT),
        f"{what}, comma-separated: at most {bounds.MAX_LIST_ITEMS} entries of at most "
        f"{bounds.MAX_SEARCH_CHARS} characters (blank ones are ignored)",
    )


def id_lists(kind: str) -> tuple[Parameter, ...]:
    """`urns` and its deprecated name `ids`, each bounded like any list."""
    what = f"{kind} urns (`soundcloud:{kind}:1`) or ids; entries naming none match nothing"
    return (terms("urns", what), terms("ids", f"{what} (deprecated: `urns`; `urns` wins)"))


def number(name: str, what: str) -> Parameter:
    limit = bounds.MAX_NUMBER
    return query(
        name,
        Schema(type=OpenAPIType.NUMBER, minimum=-limit, maximum=limit),
        f"{what} (empty: no bound)",
    )


def moment(name: str, what: str) -> Parameter:
    return query(
        name,
        Schema(
            any_of=[
                Schema(type=STRING, format=OpenAPIFormat.DATE_TIME),
                Schema(type=STRING, pattern=moments.SOUNDCLOUD_TEXT),
            ]
        ),
        f"{what}: an RFC 3339 date-time, or `yyyy-mm-dd hh:mm:ss` or `yyyy-mm-dd` in UTC "
        "(empty: no bound)",
    )


PAGE = (LIMIT, CURSOR)
LISTING = (*PAGE, LINKED)
"""A page that is a bare array unless `linked_partitioning` asks for a collection."""
SEARCH_TRACKS = (
    Q,
    *id_lists("tracks"),
    terms("genres", "genres"),
    terms("tags", "tags"),
    number("bpm[from]", "tracks of at least this many beats per minute"),
    number("bpm[to]", "tracks of at most this many beats per minute"),
    number("duration[from]", "tracks at least this long, in milliseconds"),
    number("duration[to]", "tracks at most this long, in milliseconds"),
    moment("created_at[from]", "tracks created at this moment or later"),
    moment("created_at[to]", "tracks created at this moment or earlier"),
    access(DEFAULT_ACCESS),
    *LISTING,
)
SEARCH_USERS = (Q, *id_lists("users"), *PAGE)
SEARCH_PLAYLISTS = (Q, SHOW_TRACKS, *LISTING)
PLAYLIST = (SHOW_TRACKS, SECRET_TOKEN, access(DEFAULT_ACCESS))
"""What answering with one playlist reads."""
SECRET = (SECRET_TOKEN,)


def track_listing(default: frozenset[Access]) -> tuple[Parameter, ...]:
    return (*LISTING, access(default))


def list_of(which: str, kind: str, default: frozenset[Access]) -> Sequence[Parameter]:
    """The parameters of one of a user's lists (routes/users.py `list_of`)."""
    if kind == "tracks":
        return track_listing(default)
    if kind == "playlists":
        return (SHOW_TRACKS, *LISTING) if which == "own" else LISTING
    return PAGE
