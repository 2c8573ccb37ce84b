"""Real audio for the media tests (sine waves encoded by PyAV), and decoding helpers."""

from __future__ import annotations

import array
import fractions
import io
import math
from collections.abc import AsyncIterator
from pathlib import Path

import av

RATE = 44_100
_PERIOD = array.array("h", [int(9000 * math.sin(2 * math.pi * i / 100)) for i in range(100)])


def sine(seconds: float, fmt: str = "mp3", tags: dict[str, str] | None = None) -> bytes:
    """`seconds` of a 441 Hz mono tone as an mp3 (or wav) file."""
    codec = {"mp3": "libmp3lame", "wav": "pcm_s16le"}[fmt]
    buf = io.BytesIO()
    total = int(seconds * RATE)
    with av.open(buf, "w", format=fmt) as out:
        out.metadata.update(tags or {})
        stream = out.add_stream(codec, rate=RATE, layout="mono")
        block = _PERIOD * 44  # 4400 samples
        done = 0
        while done < total:
            n = min(len(block), total - done)
            frame = av.AudioFrame(format="s16", layout="mono", samples=n)
            frame.planes[0].update(block[:n].tobytes())
            frame.sample_rate = RATE
            frame.pts = done
            frame.time_base = fractions.Fraction(1, RATE)
            for packet in stream.encode(frame):  # type: ignore[union-attr]
                out.mux(packet)
            done += n
        for packet in stream.encode(None):  # type: ignore[union-attr]
            out.mux(packet)
    return buf.getvalue()


def decoded_seconds(data: bytes | Path) -> float:
    """Decode every frame and count the samples (never trust container headers)."""
    source = str(data) if isinstance(data, Path) else io.BytesIO(data)
    samples, rate = 0, 1
    with av.open(source) as c:
        for frame in c.decode(audio=0):
            samples += frame.samples
            rate = frame.sample_rate
    return samples / rate


async def chunks_of(data: bytes, size: int = 8192) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]
