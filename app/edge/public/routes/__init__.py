"""The Public API's route handlers, one module per resource, and the JSON response they share."""

from __future__ import annotations

from typing import TypeVar

from litestar import Response

BodyT = TypeVar("BodyT")


def json(body: BodyT, status: int = 200, headers: dict[str, str] | None = None) -> Response[BodyT]:
    """A JSON response with this status and headers (SoundCloud's statuses vary per outcome);
    the handler's annotation, `Response[<representation>]`, documents the body."""
    return Response(body, status_code=status, headers=headers, media_type="application/json")
