"""`/resolve`: the API resource a soundcloud.com-style URL names, as a 302 to it."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from litestar import Response, get
from litestar.di import NamedDependency

from app.edge.kit.openapi import described
from app.edge.kit.routes import READ
from app.edge.public import mappers
from app.edge.public import representations as rep
from app.edge.public.embedding import Embedder
from app.edge.public.mappers import USER_MASK
from app.edge.public.params import ids
from app.edge.public.params.query_schemas import URL
from app.edge.public.routes import json
from app.value_added.common.errors import NotFound
from app.value_added.common.fieldmask import FieldMask

ID_ONLY = FieldMask(["id"])


async def _resolve_path(embed: Embedder, segments: list[str]) -> tuple[str, str | None]:
    """The API path of the resource a soundcloud.com-style URL names, and its secret token."""
    if not segments:
        raise NotFound("nothing to resolve")
    secret = segments[2] if len(segments) >= 3 and segments[2].startswith("s-") else None
    user, rest = segments[0], segments[1:]
    services, viewer = embed.services, embed.viewer
    if len(rest) >= 2 and rest[0] == "sets":
        playlist = await services.playlists.resolve(viewer, user, rest[1], ID_ONLY, secret)
        return f"/playlists/{ids.urn('playlists', playlist.id)}", secret
    if rest and rest[0] not in ("tracks", "sets", "likes", "reposts", "followers", "following"):
        track = await services.tracks.resolve(viewer, user, rest[0], ID_ONLY, secret)
        return f"/tracks/{ids.urn('tracks', track.id)}", secret
    found = await services.users.resolve(viewer, user, USER_MASK)
    return f"/users/{ids.urn('users', found.id)}", None


@get(
    "/resolve",
    opt=READ,
    status_code=302,
    operation_class=described(parameters=(URL,)),
    description="Redirects (302, `Location`) to the API resource (track, playlist or user) the "
    "soundcloud.com-style URL names.",
)
async def resolve(embed: NamedDependency[Embedder]) -> Response[rep.Found]:
    query = embed.query
    raw = (query.param("url") or "").strip()
    try:
        parts = urlsplit(raw if "//" in raw else f"//{raw}")
    except ValueError:  # not a URL (`[` in its host): it names nothing
        raise NotFound("nothing to resolve") from None
    segments = [s for s in parts.path.split("/") if s]
    path, secret = await _resolve_path(embed, segments)
    params: dict[str, str] = {}
    if secret:
        params["secret_token"] = secret
    client_id = query.param("client_id")
    if client_id:
        params["client_id"] = client_id
    location = embed.links.api(path) + (f"?{urlencode(params)}" if params else "")
    return json(mappers.found(location), status=302, headers={"Location": location})


ROUTES = [resolve]
