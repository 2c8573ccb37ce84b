"""The Subsonic BFF's declaration for the kit: its routes at /rest, its error envelope, limits."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from app.edge.kit.bff import BFFSpec
from app.edge.kit.errors import ErrorInfo, unavailable_info
from app.edge.subsonic import document, errors
from app.edge.subsonic import representations as rep
from app.edge.subsonic.dependencies import SUBSONIC_LIMITS, provide_call, provide_player
from app.edge.subsonic.params import call_of
from app.edge.subsonic.representations.encoding import envelope
from app.edge.subsonic.routes import (
    annotation,
    browsing,
    lists,
    media,
    playlists,
    queue,
    search,
    system,
)
from app.faults import DependencyUnavailable

DESCRIPTION = """The Subsonic API (1.16.1) with OpenSubsonic extensions, so the music players
people already use (Symfonium, Feishin, Supersonic, DSub, Amperfy …) connect to Soundstack.

Every endpoint answers at `/rest/<name>` and `/rest/<name>.view` (the same operation, documented
once, at `/<name>`), by GET or form POST (the same parameters in the body), in XML
(default), JSON (`f=json`) or JSONP (`f=jsonp&callback=…`), inside the `subsonic-response`
envelope; failures carry a Subsonic error code (HTTP 200). Authenticate with `apiKey` (an API key
made in the Mobile/Web API or with `litestar users api-key create`), or with `u` and your
*player password* (never the account password) as `t`+`s` (t = md5(password + salt)) or `p`.
Ids: `tr-` songs, `al-` albums, `al-s-<artist>` an artist's singles, `ar-` artists, `pl-`
playlists."""


def subsonic_error(info: ErrorInfo, request: Request[Any, Any, Any]) -> Any:
    """Errors raised before a Subsonic route runs (e.g. an unsupported HTTP method)."""
    error = {"code": errors.GENERIC, "message": info.message}
    return {"subsonic-response": envelope("failed", {"error": error})}


def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Every exception of a Subsonic route, answered in the envelope and format it asked for."""
    call = call_of(request)
    if isinstance(exc, DependencyUnavailable):  # (an outage, not the client's error: HTTP 503)
        request.logger.warning("answered 503: %s", exc)
        info = unavailable_info(exc)
        return rep.failed(
            call.format,
            call.callback,
            errors.GENERIC,
            info.message,
            status_code=503,
            headers={"Retry-After": str(exc.retry_after)},
        )
    found = errors.translated(exc)
    if found is None:
        request.logger.exception("unhandled error", exc_info=exc)
        return rep.failed(
            call.format, call.callback, errors.GENERIC, "internal server error", status_code=500
        )
    return rep.failed(
        call.format,
        call.callback,
        found.code,
        found.message,
        status_code=found.status_code,
        headers=found.headers,
    )


def spec() -> BFFSpec:
    return BFFSpec(
        name="subsonic",
        prefix="rest",
        title="Soundstack Subsonic API (OpenSubsonic)",
        description=DESCRIPTION,
        route_handlers=[
            *system.ROUTES,
            *browsing.ROUTES,
            *lists.ROUTES,
            *search.ROUTES,
            *playlists.ROUTES,
            *annotation.ROUTES,
            *media.ROUTES,
            *queue.ROUTES,
        ],
        dependencies={"call": provide_call, "player": provide_player},
        error_format=subsonic_error,
        error_schema=document.ERROR_SCHEMA,
        document=document.finish,
        exception_handler=handle,
        rate_limits=SUBSONIC_LIMITS,
    )
