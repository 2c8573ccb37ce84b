"""Probe an uploaded file by decoding it with PyAV (the extension and the client's claimed
content type are never trusted)."""

from __future__ import annotations

from pathlib import Path

import av
import msgspec

from app.value_added.common.errors import Unprocessable, UnsupportedMediaType
from app.value_added.media.formats import ACCEPTED_FORMATS

MAX_DURATION_MS = 6 * 3600 * 1000
_TAGS = ("title", "artist", "album", "genre", "date", "comment", "composer", "publisher")


class Probe(msgspec.Struct, frozen=True):
    """What the upload really is."""

    format: str
    content_type: str
    codec: str
    duration_ms: int
    bitrate: int
    sample_rate: int
    channels: int
    tags: dict[str, str]


def _tags(*sources: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for source in sources:
        for name, value in source.items():
            key = name.lower()
            if key in _TAGS and value and key not in found:
                found[key] = value.strip()[:255]
    return found


def _why(exc: BaseException) -> str:
    """FFmpeg's reason without the server-side file name."""
    return str(getattr(exc, "strerror", None) or type(exc).__name__)


def probe(path: Path) -> Probe:
    """Open and decode the first audio frames; raises UnsupportedMediaType or Unprocessable."""
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.InvalidDataError as exc:
        raise UnsupportedMediaType(
            "the file is not a recognised audio format", reason="unsupported_format"
        ) from exc
    except (av.error.FFmpegError, OSError) as exc:
        raise Unprocessable(
            f"the file could not be read: {_why(exc)}", reason="unreadable"
        ) from exc
    with container:
        fmt = container.format.name
        if fmt not in ACCEPTED_FORMATS or not container.streams.audio:
            raise UnsupportedMediaType(
                f"{fmt!r} files without an audio stream are not supported"
                if not container.streams.audio
                else f"the {fmt!r} container is not supported",
                reason="unsupported_format",
            )
        stream = container.streams.audio[0]
        try:
            decoded = 0
            for frame in container.decode(stream):
                decoded += frame.samples
                if decoded >= stream.codec_context.sample_rate:
                    break
        except av.error.FFmpegError as exc:
            raise Unprocessable(
                f"the audio could not be decoded: {_why(exc)}", reason="corrupt_audio"
            ) from exc
        if decoded == 0:
            raise Unprocessable("the file contains no decodable audio", reason="corrupt_audio")
        duration_ms = _duration_ms(container, stream)
        if duration_ms <= 0:
            raise Unprocessable("the audio has no duration", reason="corrupt_audio")
        if duration_ms > MAX_DURATION_MS:
            raise Unprocessable("the audio is longer than 6 hours", reason="too_long")
        ctx = stream.codec_context
        return Probe(
            format=fmt.split(",")[0],
            content_type=ACCEPTED_FORMATS[fmt],
            codec=ctx.name,
            duration_ms=duration_ms,
            bitrate=int(container.bit_rate or ctx.bit_rate or 0),
            sample_rate=int(ctx.sample_rate or 0),
            channels=int(ctx.channels or 0),
            tags=_tags(dict(container.metadata), dict(stream.metadata)),
        )


def _duration_ms(container: av.container.InputContainer, stream: av.audio.AudioStream) -> int:
    if stream.duration is not None and stream.time_base is not None:
        return int(stream.duration * stream.time_base * 1000)
    if container.duration is not None:
        return int(container.duration / 1000)  # AV_TIME_BASE is microseconds
    return 0
