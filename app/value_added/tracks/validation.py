"""Input rules of the Tracks VAS: timed comments."""

from __future__ import annotations

from app.value_added.common.errors import InvalidArgument

MAX_COMMENT_LENGTH = 10_000


def comment_body(body: str) -> str:
    """The stripped body: not empty, at most MAX_COMMENT_LENGTH characters."""
    text = body.strip()
    if not text:
        raise InvalidArgument("comment body must not be empty", reason="empty", field="body")
    if len(text) > MAX_COMMENT_LENGTH:
        raise InvalidArgument(
            f"comment body is longer than {MAX_COMMENT_LENGTH} characters",
            reason="too_long",
            field="body",
        )
    return text


def comment_timestamp(timestamp_ms: int | None, duration_ms: int) -> None:
    """A comment's position lies within the track (when the track's duration is known)."""
    if timestamp_ms is not None and (
        timestamp_ms < 0 or (duration_ms and timestamp_ms > duration_ms)
    ):
        raise InvalidArgument(
            f"timestamp {timestamp_ms} ms is outside the track (0..{duration_ms})",
            reason="timestamp_out_of_range",
            field="timestamp",
        )
