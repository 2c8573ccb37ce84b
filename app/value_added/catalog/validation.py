"""Input rules of the catalog: every track and playlist field, checked and normalized once.

Each check validates (and normalizes) one value or raises InvalidArgument naming its field;
TRACK_RULES and PLAYLIST_RULES map every field of a draft or change set to its check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

import msgspec

from app.value_added.common.errors import Conflict, InvalidArgument

MAX_TRACKS = 500
"""Entries one playlist may hold."""
MAX_URL = 512
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character `str.strip()` removes (those of `str.isspace()`), spelled out: `\\s` means
other sets in other regex engines."""
NOT_BLANK = f"[^{WHITESPACE}]"
"""A pattern (searched) that a string holding more than whitespace matches."""
URL_PATTERN = r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?"
"""An http(s) URL (whole): a host name or address, an optional port, then printable ASCII."""
MAX_TITLE = 255
MAX_DURATION_MS = 2**31 - 1
"""A track's length in milliseconds is an int32 column (about 24.8 days)."""

_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""

ISO_ALPHA2: frozenset[str] = frozenset(_CODES.split())
FIRST_MOMENT_DAY = dt.date.min + dt.timedelta(days=1)
LAST_MOMENT_DAY = dt.date.max - dt.timedelta(days=1)
"""The days a date and time (`release_at`) may fall on, whatever its UTC offset."""


ISRC_PATTERN = "^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$"
ISRC = re.compile(ISRC_PATTERN)
Check = Callable[[str, Any], Any]


def fail(field: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{field} {message}", reason="invalid_field", field=field)


def title(field: str, value: Any) -> Any:
    cleaned = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(cleaned) <= MAX_TITLE:
        raise fail(field, "must be 1 to 255 characters (not blank)")
    return cleaned


def text(limit: int) -> Callable[[str, Any], Any]:
    def check(field: str, value: Any) -> Any:
        if not isinstance(value, str):
            raise fail(field, "must be a string")
        if len(value) > limit:
            raise fail(field, f"must be at most {limit} characters; got {len(value)}")
        return value

    return check


def one_of(choices: tuple[str, ...]) -> Callable[[str, Any], Any]:
    def check(field: str, value: Any) -> Any:
        if value not in choices:
            raise fail(field, f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    return check


def flag(field: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise fail(field, "must be true or false")
    return value


def duration(field: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DURATION_MS:
        raise fail(
            field, f"must be a whole number of milliseconds, 0 to {MAX_DURATION_MS}; got {value!r}"
        )
    return value


def bpm(field: str, value: Any) -> Any:
    if value is None:
        return None
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or not math.isfinite(number) or not 0 < number <= 999:
        raise fail(field, f"must be greater than 0 and at most 999; got {value!r}")
    return float(number)


def isrc(field: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str) or not ISRC.fullmatch(value):
        raise fail(field, f"must look like CCXXXYYNNNNN (e.g. USRC17607839); got {value!r}")
    return value


def url(field: str, value: Any) -> Any:
    text(MAX_URL)(field, value)
    if value == "":
        return value
    try:
        parts = urlsplit(value)
    except ValueError:  # an unbalanced IPv6 bracket, a host that NFKC would change
        parts = None
    spaced = any(c.isspace() or not c.isprintable() for c in value)
    if spaced or parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail(field, f"must be an http(s) URL; got {value!r}")
    return value


def date(field: str, value: Any) -> Any:
    if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
        raise fail(field, "must be a date")
    return value


def moment(field: str, value: Any) -> Any:
    """A timezone-aware date and time, in UTC; on the first or last day a date may name, its
    UTC value may lie beyond them, so those two days are refused whatever the offset."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise fail(field, "must be a timezone-aware date and time")
    if value.date() in (dt.date.min, dt.date.max):
        raise fail(field, f"must be between {FIRST_MOMENT_DAY} and {LAST_MOMENT_DAY}")
    return value.astimezone(dt.UTC)


def territories(field: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise fail(field, "must be a list of ISO 3166-1 alpha-2 codes, or null (worldwide)")
    codes: list[str] = []
    for code in value:
        upper = code.upper() if isinstance(code, str) and code.isascii() else ""
        if upper not in ISO_ALPHA2:
            raise fail(field, f"must hold ISO 3166-1 alpha-2 codes; {code!r} is not one")
        if upper not in codes:
            codes.append(upper)
    return codes


License = Literal[
    "all-rights-reserved",
    "no-rights-reserved",
    "cc-by",
    "cc-by-nc",
    "cc-by-nd",
    "cc-by-sa",
    "cc-by-nc-nd",
    "cc-by-nc-sa",
]
Sharing = Literal["public", "private"]
Monetization = Literal["none", "premium", "ad"]
SetType = Literal["playlist", "album", "ep", "single", "compilation"]
"""The choices of the enumerated fields, as types (a BFF's body Structs may use them)."""
LICENSES: tuple[str, ...] = get_args(License)
SHARING: tuple[str, ...] = get_args(Sharing)
MONETIZATION: tuple[str, ...] = get_args(Monetization)
SET_TYPES: tuple[str, ...] = get_args(SetType)
TRACK_TEXT = {
    "description": 10_000,
    "genre": 100,
    "tag_list": 500,
    "key_signature": 16,
    "label_name": 255,
    "purchase_title": 255,
}
PLAYLIST_TEXT = {"description": 5_000, "genre": 100, "tag_list": 500, "label_name": 255}
"""The longest each free-text field may be, in characters."""

TRACK_POLICY_FIELDS = frozenset(
    {"sharing", "release_at", "territories", "streamable", "downloadable", "commentable"}
    | {"monetization"}
)


def check_track_count(count: int) -> None:
    """A playlist holds at most MAX_TRACKS entries."""
    if count > MAX_TRACKS:
        raise InvalidArgument(
            f"a playlist holds at most {MAX_TRACKS} tracks", reason="too_many", field="tracks"
        )


def check_room(held: int, adding: int) -> None:
    """Entries added to a playlist holding `held` fit (a conflict with its state otherwise)."""
    if held + adding > MAX_TRACKS:
        raise Conflict(
            f"a playlist holds at most {MAX_TRACKS} tracks; this one holds {held}",
            reason="playlist_full",
            field="track_ids",
        )


def entries(field: str, value: Any) -> Any:
    """Track ids to put into a playlist, in order (at most MAX_TRACKS)."""
    ids = list(value)
    check_track_count(len(ids))
    return ids


TRACK_RULES: dict[str, Check] = {
    "title": title,
    **{name: text(limit) for name, limit in TRACK_TEXT.items()},
    "duration_ms": duration,
    "bpm": bpm,
    "isrc": isrc,
    "license": one_of(LICENSES),
    "purchase_url": url,
    "release_date": date,
    "sharing": one_of(SHARING),
    "release_at": moment,
    "territories": territories,
    "streamable": flag,
    "downloadable": flag,
    "commentable": flag,
    "monetization": one_of(MONETIZATION),
}

PLAYLIST_RULES: dict[str, Check] = {
    "title": title,
    **{name: text(limit) for name, limit in PLAYLIST_TEXT.items()},
    "set_type": one_of(SET_TYPES),
    "sharing": one_of(SHARING),
    "release_date": date,
    "track_ids": entries,
}


def checked(struct: msgspec.Struct, rules: dict[str, Check]) -> dict[str, Any]:
    """The struct's set (non-UNSET) fields, validated and normalized, in declaration order."""
    values = msgspec.structs.asdict(struct)
    return {k: rules[k](k, v) for k, v in values.items() if v is not msgspec.UNSET}


def split_track_fields(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split validated track fields into (tracks table metadata, track_policies columns)."""
    meta = {k: v for k, v in values.items() if k not in TRACK_POLICY_FIELDS}
    policy = {k: v for k, v in values.items() if k in TRACK_POLICY_FIELDS}
    return meta, policy
