"""Schemathesis hooks of the BFF fuzzing (tests/contract/test_bff_schemathesis.py): what only a
real client can bring.

An audio part of a multipart body (a property with `contentMediaType: audio/*`) gets a real,
tiny WAV file instead of the bytes the fuzzer draws for it (in cases meant to be valid): the
server decodes every upload and refuses what is not audio, which no schema can say. Every other
value, and every negative case, stays as generated.

A part whose encoding names an audio media type (`encoding: {file: {contentType: audio/*}}`)
is drawn as that audio by schemathesis itself (the media type strategy registered here), so the
case is generated valid and stays so: a file a hook puts in afterwards is a change schemathesis
cannot validate (binary), which relabels a valid case as a negative one.
"""

from __future__ import annotations

import io
import wave
from typing import Any

import schemathesis
from hypothesis import strategies as st


def _silence(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A mono 16-bit PCM WAV file of silence."""
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x00" * int(rate * seconds))
    return out.getvalue()


AUDIO = _silence()
schemathesis.openapi.media_type("audio/wav", st.just(AUDIO), aliases=("audio/x-wav",))


def _audio_parts(operation: Any) -> set[str]:
    """The names of the audio parts of the operation's multipart bodies."""
    content = operation.definition.raw.get("requestBody", {}).get("content", {})
    return {
        name
        for media_type, body in content.items()
        if media_type.startswith("multipart/")
        for name, schema in body.get("schema", {}).get("properties", {}).items()
        if str(schema.get("contentMediaType", "")).startswith("audio/")
    }


def _file(value: Any) -> bytes | None:
    """The bytes of a generated file value (bytes, or schemathesis' wrapper holding them)."""
    data = getattr(value, "data", value)
    return data if isinstance(data, bytes) else None


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Real audio in every audio part the fuzzer filled with a file's bytes, in the cases meant
    to be valid (a negative case's file may be its broken part: it stays)."""
    positive = case.meta is None or case.meta.generation.mode.is_positive
    if positive and isinstance(case.body, dict):
        for name in _audio_parts(case.operation):
            value = case.body.get(name)
            data = _file(value)
            if data is not None and data != AUDIO:  # not drawn as audio already
                audio = AUDIO if isinstance(value, bytes) else type(value)(AUDIO)
                case.body = {**case.body, name: audio}
    return case
