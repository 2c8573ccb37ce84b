"""CPU-bound transcoding with PyAV (FFmpeg): run it in a thread, never on the event loop."""

from __future__ import annotations

import array
import math
from collections.abc import Callable
from pathlib import Path
from typing import cast

import av
import msgspec
from av.audio.stream import AudioStream

from app.value_added.media.formats import (
    HLS_SEGMENT_SECONDS,
    PREVIEW_SECONDS,
    RENDITIONS,
    Rendition,
)

OUTPUT_RATE = 44_100
WAVEFORM_WIDTH = 1800
WAVEFORM_HEIGHT = 140
_WAVE_RATE = 8_000
_WAVE_BLOCK = 80  # 10 ms at 8 kHz


class Output(msgspec.Struct, frozen=True):
    """One produced rendition: a file, or an HLS playlist and its segment files."""

    kind: str
    path: Path
    mime_type: str
    duration_ms: int
    segments: list[Path] = []


Check = Callable[[], None]
"""Called between frames: raises to abort (lease lost, shutdown)."""


def _duration_ms(path: Path) -> int:
    with av.open(str(path)) as c:
        return int((c.duration or 0) / 1000)


def encode(
    src: Path, dst: Path, rendition: Rendition, check: Check, options: dict[str, str] | None = None
) -> None:
    """Decode `src` and encode its first audio stream as `rendition` into `dst`."""
    fmt = "hls" if rendition.protocol == "hls" else "mp3"
    limit = PREVIEW_SECONDS if rendition.preview else None
    with av.open(str(src)) as inp, av.open(str(dst), "w", format=fmt, options=options or {}) as out:
        channels = min(inp.streams.audio[0].codec_context.channels or 2, 2)
        layout = "stereo" if channels == 2 else "mono"
        ost = cast(AudioStream, out.add_stream(rendition.codec, rate=OUTPUT_RATE, layout=layout))
        ost.bit_rate = rendition.bitrate
        for n, frame in enumerate(inp.decode(audio=0)):
            if limit is not None and frame.time is not None and frame.time >= limit:
                break
            if n % 200 == 0:
                check()
            frame.pts = None
            for packet in ost.encode(frame):
                out.mux(packet)
        for packet in ost.encode(None):
            out.mux(packet)


def encode_hls(src: Path, workdir: Path, rendition: Rendition, check: Check) -> Output:
    folder = workdir / rendition.kind
    folder.mkdir()
    playlist = folder / "index.m3u8"
    options = {
        "hls_time": str(HLS_SEGMENT_SECONDS),
        "hls_list_size": "0",
        "hls_playlist_type": "vod",
        "hls_segment_filename": str(folder / "%d.ts"),
    }
    encode(src, playlist, rendition, check, options)
    lines: list[str] = []
    segments: list[Path] = []
    for line in playlist.read_text().splitlines():
        if not line:
            continue
        if line.startswith("#"):
            lines.append(line)
        else:
            lines.append(format(len(segments), "x"))
            segments.append(folder / line)
    playlist.write_text("\n".join(lines) + "\n")
    duration = sum(float(x[8:].split(",")[0]) for x in lines if x.startswith("#EXTINF:"))
    return Output(
        kind=rendition.kind,
        path=playlist,
        mime_type=rendition.mime_type,
        duration_ms=int(duration * 1000),
        segments=segments,
    )


def waveform(src: Path, check: Check) -> dict[str, object]:
    """Peak amplitudes in WAVEFORM_WIDTH columns scaled to 0..WAVEFORM_HEIGHT (SoundCloud's
    waveform JSON shape)."""
    peaks = array.array("i")
    resampler = av.AudioResampler(format="s16", layout="mono", rate=_WAVE_RATE)
    carry = array.array("h")
    with av.open(str(src)) as inp:
        for n, frame in enumerate(inp.decode(audio=0)):
            if n % 200 == 0:
                check()
            frame.pts = None
            for out in resampler.resample(frame):
                samples = array.array("h", bytes(out.planes[0])[: out.samples * 2])
                carry.extend(samples)
                whole = len(carry) - len(carry) % _WAVE_BLOCK
                for i in range(0, whole, _WAVE_BLOCK):
                    block = carry[i : i + _WAVE_BLOCK]
                    peaks.append(max(max(block), -min(block)))
                del carry[:whole]
    if carry:
        peaks.append(max(max(carry), -min(carry)))
    return {"width": WAVEFORM_WIDTH, "height": WAVEFORM_HEIGHT, "samples": _columns(peaks)}


def _columns(peaks: array.array[int]) -> list[int]:
    if not peaks:
        return [0] * WAVEFORM_WIDTH
    loudest = max(peaks) or 1
    columns = []
    for c in range(WAVEFORM_WIDTH):
        lo = c * len(peaks) // WAVEFORM_WIDTH
        hi = max(lo + 1, (c + 1) * len(peaks) // WAVEFORM_WIDTH)
        peak = max(peaks[lo : min(hi, len(peaks))] or array.array("i", [0]))
        columns.append(math.ceil(peak * WAVEFORM_HEIGHT / loudest))
    return columns


def transcode_all(src: Path, workdir: Path, check: Check) -> tuple[list[Output], bytes]:
    """Every rendition of `src` into `workdir`, and the waveform JSON."""
    outputs: list[Output] = []
    for rendition in RENDITIONS:
        check()
        if rendition.protocol == "hls":
            outputs.append(encode_hls(src, workdir, rendition, check))
            continue
        dst = workdir / f"{rendition.kind}.mp3"
        encode(src, dst, rendition, check)
        outputs.append(Output(rendition.kind, dst, rendition.mime_type, _duration_ms(dst)))
    return outputs, msgspec.json.encode(waveform(src, check))
