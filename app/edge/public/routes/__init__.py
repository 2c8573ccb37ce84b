"""The Public API's route handlers, one module per resource, and the JSON response they share."""

from __future__ import annotations

from typing import Any

from litestar import Response


def json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    """A JSON response with this status and headers (SoundCloud's statuses vary per outcome)."""
    return Response(body, status_code=status, headers=headers, media_type="application/json")
