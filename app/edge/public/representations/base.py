"""The base of every public representation, the shared field types, and the status bodies."""

from __future__ import annotations

from typing import Annotated

import msgspec

Stamp = Annotated[
    str, msgspec.Meta(description="SoundCloud's timestamp, `2019/01/15 15:40:49 +0000` (UTC)")
]
Urn = Annotated[str, msgspec.Meta(description="Identifier, `soundcloud:<kind>:<id>`")]
Url = Annotated[str, msgspec.Meta(description="An absolute URL")]


class Rep(msgspec.Struct, kw_only=True, omit_defaults=True, gc=False):
    """Base of every public representation: an absent value (UNSET) is left out of the JSON,
    as SoundCloud's document describes it (its strings and numbers are not nullable). A
    representation is a tree of values, never a cycle, so the garbage collector skips it."""


class Status(Rep, kw_only=True):
    """The body of a command without a representation to answer with."""

    status: Annotated[str, msgspec.Meta(description="`200 - OK` or `201 - Created`")]


class Found(Rep, kw_only=True):
    """A redirect's body, naming where `Location` leads."""

    status: Annotated[str, msgspec.Meta(description="`302 - Found`")]
    location: Annotated[str, msgspec.Meta(description="Location URL of the resource")]


OK = Status(status="200 - OK")
CREATED = Status(status="201 - Created")
