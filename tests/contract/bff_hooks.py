"""schemathesis hooks of the BFF fuzzer: what a real client uploads where a document asks for
audio (`audio/*`) is an audio file, here a short WAV tone."""

from __future__ import annotations

import io
import math
import struct
import wave

import schemathesis
from hypothesis import strategies as st

RATE = 8_000


def tone(hertz: int, milliseconds: int) -> bytes:
    """A mono 16-bit WAV file of a sine tone."""
    samples = RATE * milliseconds // 1000
    frames = b"".join(
        struct.pack("<h", int(8_000 * math.sin(2 * math.pi * hertz * n / RATE)))
        for n in range(samples)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(RATE)
        file.writeframes(frames)
    return out.getvalue()


schemathesis.openapi.media_type(
    "audio/wav",
    st.builds(tone, st.integers(110, 880), st.integers(100, 600)),
    aliases=("audio/x-wav",),
)
