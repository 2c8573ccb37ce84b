"""The base of every api-v2 entity: tagged by `kind`, fields in api-v2's order, positional."""

from __future__ import annotations

import msgspec


class Entity(msgspec.Struct, tag_field="kind", gc=False):
    """An api-v2 entity: `kind` names it (the tag, always present), then its fields; every field
    but `id` may be left out by a `fields=` mask (UNSET). Built positionally by `Shape.render`
    (no cycles, so not tracked by the garbage collector).

    A field that is always null when present is `Literal[None] | UnsetType`: the OpenAPI
    document then says `null` (a bare `None | UnsetType` would document "anything or null")."""
