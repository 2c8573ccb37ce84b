"""Input rules of the Tracks VAS: timed comments, release years, sample sizes, play queues."""

from __future__ import annotations

import msgspec

from app.value_added.catalog.validation import MAX_DURATION_MS
from app.value_added.common.errors import Conflict, InvalidArgument
from app.value_added.tracks.requests import PlayQueueDraft

MAX_COMMENT_LENGTH = 10_000
MAX_SAMPLE = 500
"""Most tracks a random sample or a most-played list returns."""
MAX_QUEUE = 1000
"""Most tracks a saved play queue holds."""
MAX_CLIENT_NAME = 100


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
    """A comment's position is a stored number of milliseconds (an InvalidArgument otherwise)
    within the track when its duration is known (a Conflict with the track otherwise)."""
    if timestamp_ms is None:
        return
    if not 0 <= timestamp_ms <= MAX_DURATION_MS:
        raise InvalidArgument(
            f"timestamp must be 0 to {MAX_DURATION_MS} ms; got {timestamp_ms}",
            reason="timestamp_out_of_range",
            field="timestamp",
        )
    if duration_ms and timestamp_ms > duration_ms:
        raise Conflict(
            f"timestamp {timestamp_ms} ms is beyond the track's end ({duration_ms} ms)",
            reason="timestamp_out_of_range",
            field="timestamp",
        )


def release_year(field: str, year: int | None) -> int | None:
    """A year a track may have been released in (1-9998), or None."""
    if year is not None and not 1 <= year <= 9998:
        raise InvalidArgument(f"{field} must be a year between 1 and 9998", field=field)
    return year


def sample_size(field: str, size: int) -> int:
    """How many tracks a sample or a most-played list may ask for (1-MAX_SAMPLE)."""
    if not 1 <= size <= MAX_SAMPLE:
        raise InvalidArgument(f"{field} must be between 1 and {MAX_SAMPLE}", field=field)
    return size


def play_queue(draft: PlayQueueDraft) -> PlayQueueDraft:
    """At most MAX_QUEUE tracks; the current one among them; a position of 0 or more; the
    client's name cut to MAX_CLIENT_NAME characters (it is only shown)."""
    if len(draft.track_ids) > MAX_QUEUE:
        raise InvalidArgument(
            f"a play queue holds at most {MAX_QUEUE} tracks", reason="too_many", field="id"
        )
    if draft.current is not None and draft.current not in draft.track_ids:
        raise InvalidArgument(
            "the current track must be one of the queue's", reason="not_in_queue", field="current"
        )
    if draft.position_ms < 0:
        raise InvalidArgument("position must be 0 or more", field="position")
    return msgspec.structs.replace(draft, client=draft.client.strip()[:MAX_CLIENT_NAME])
