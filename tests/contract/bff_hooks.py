"""Schemathesis hooks of the BFF fuzzing (tests/contract/test_bff_schemathesis.py): what only a
real client can bring.

An audio part of a multipart body (a property with `contentMediaType: audio/*`) gets a real,
tiny WAV file instead of the bytes the fuzzer draws for it, and goes after the fields (in cases
meant to be valid): the server decodes every upload and refuses what is not audio, and reads the
fields before the file it streams, neither of which a schema can say. Every other value, and
every negative case, stays as generated.

A part whose encoding names an audio media type (`encoding: {file: {contentType: audio/*}}`)
is drawn as that audio by schemathesis itself (the media type strategy registered here), so the
case is generated valid and stays so.
"""

from __future__ import annotations

import io
import wave
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation


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
    """In the cases meant to be valid, real audio in every audio part the fuzzer filled with a
    file's bytes, and the audio parts last, after the fields, as the document says a client
    sends them (the server streams the file, so a field after it is refused). A negative case
    stays as generated: its file or its order may be what is broken.

    A body holding bytes is one schemathesis cannot validate (JSON Schema has no bytes), so it
    would judge invalid the body it re-checks after this edit, and then the valid upload
    accepted a "schema-violating request". The parts swapped are as valid as the ones
    generated: the case keeps the mode it was generated with."""
    meta = case.meta
    if meta is not None and not meta.generation.mode.is_positive:
        return case
    if not isinstance(case.body, dict):
        return case
    audio = {
        name: AUDIO if isinstance(value, bytes) else type(value)(AUDIO)
        for name, value in case.body.items()
        if name in _audio_parts(case.operation) and _file(value) not in (None, AUDIO)
    }
    if audio:
        fields = {name: value for name, value in case.body.items() if name not in audio}
        case.body = {**fields, **audio}
        if meta is not None:
            meta.clear_dirty(ParameterLocation.BODY)
    return case


# The Subsonic protocol's own hooks and checks (its failures are HTTP 200), registered here too.
from tests.contract import subsonic_hooks  # noqa: E402, F401
