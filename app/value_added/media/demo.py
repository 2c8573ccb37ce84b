"""Demo media: short, distinct clips synthesised with FFmpeg's expression source and artwork
drawn with Pillow, transcoded once like an upload and stored for every demo track."""

from __future__ import annotations

import asyncio
import colorsys
import io
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import cast

import av
import msgspec
from PIL import Image, ImageDraw, ImageOps

from app.foundation.media.storage import Storage, new_key
from app.foundation.unit_of_work import UnitOfWork
from app.value_added.common.deps import Deps
from app.value_added.media import artwork as images
from app.value_added.media.formats import WAVEFORM_KIND
from app.value_added.media.processing import derived_key
from app.value_added.media.transcode import Output, transcode_all

CLIPS = 6
"""Distinct melodies; demo track n plays clip n % CLIPS."""
CLIP_SECONDS = 5
_RATE = 22_050
"""Synthesis rate (transcoding resamples to 44.1 kHz); half the samples to evaluate."""


class Melody(msgspec.Struct, frozen=True):
    """A pentatonic melody: root pitch, notes per second and how the steps wander."""

    root_hz: float
    notes_per_second: float
    stride: int
    turn: int
    hue: float


def melodies() -> list[Melody]:
    """CLIPS melodies at different pitches and tempos (the same on every install)."""
    roots = (220.0, 293.66, 174.61, 329.63, 246.94, 392.0)
    return [
        Melody(roots[i], 2.0 + 0.5 * (i % 5), 1 + (i * 3) % 4, 1 + i % 3, i / CLIPS)
        for i in range(CLIPS)
    ]


def _expression(m: Melody) -> str:
    """One sample at time t: a decaying two-partial note per step, a low thump every other."""
    b = m.notes_per_second
    n = f"floor(t*{b})"
    step = f"mod({n}*{m.stride}+floor({n}/4)*{m.turn},5)"
    semis = f"(2*{step}+gte({step},3))"
    freq = f"({m.root_hz}*pow(2,{semis}/12))"
    env = f"exp(-5*(t*{b}-{n}))"
    tone = f"0.45*{env}*(sin(2*PI*{freq}*t)+0.3*sin(4*PI*{freq}*t))"
    thump = f"0.35*exp(-25*mod(t,{2 / b}))*sin(2*PI*55*t)"
    return f"{tone}+{thump}"


def synthesise(m: Melody, dst: Path) -> None:
    """Write the melody as a FLAC file (what a creator would upload)."""
    source = f"aevalsrc=exprs='{_expression(m)}':s={_RATE}:d={CLIP_SECONDS}"
    with av.open(source, format="lavfi") as inp, av.open(str(dst), "w", format="flac") as out:
        ost = out.add_stream("flac", rate=_RATE, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=_RATE)
        for frame in inp.decode(audio=0):
            for converted in resampler.resample(frame):
                converted.pts = None
                for packet in ost.encode(converted):
                    out.mux(packet)
        for packet in ost.encode(None):
            out.mux(packet)


def artwork(m: Melody) -> bytes:
    """A 500x500 JPEG: a diagonal gradient in the melody's hue with rings, one per note step."""
    dark = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(m.hue, 0.8, 0.35))
    light = tuple(int(c * 255) for c in colorsys.hsv_to_rgb((m.hue + 0.12) % 1, 0.55, 0.95))
    ramp = Image.linear_gradient("L").rotate(45, expand=True).resize((500, 500))
    image = ImageOps.colorize(ramp, cast(tuple[int, int, int], dark), light)
    draw = ImageDraw.Draw(image)
    for ring in range(5):
        radius = 40 + ring * (20 + 6 * m.stride)
        box = (250 - radius, 250 - radius, 250 + radius, 250 + radius)
        draw.ellipse(box, outline=light, width=4)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


class Clip(msgspec.Struct, frozen=True):
    """One encoded melody: its original, its transcodings and waveform, its artwork."""

    original: Path
    duration_ms: int
    outputs: list[Output]
    waveform: bytes
    artwork: bytes


def encode(m: Melody, workdir: Path) -> Clip:
    """Synthesise and transcode one melody into `workdir` (runs in a thread: CPU-bound)."""
    workdir.mkdir(parents=True, exist_ok=True)
    original = workdir / "original.flac"
    synthesise(m, original)

    def never_stop() -> None:
        return None

    outputs, wave = transcode_all(original, workdir, never_stop)
    return Clip(original, CLIP_SECONDS * 1000, outputs, wave, artwork(m))


class Furnished(msgspec.Struct, frozen=True):
    """What furnishing wrote: tracks given audio and the seconds it took (encoding included)."""

    tracks: int
    seconds: float


class _Stored(msgspec.Struct, frozen=True):
    """One track's copy of a clip: its original key, transcoding rows and artwork key."""

    original_key: str
    rows: list[dict[str, object]]
    artwork_key: str


def _rows(original_key: str, clip: Clip) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {
            "kind": out.kind,
            "storage_key": derived_key(original_key, out.kind),
            "content_type": out.mime_type,
            "duration_ms": out.duration_ms,
        }
        for out in clip.outputs
    ]
    wave_key = derived_key(original_key, WAVEFORM_KIND)
    rows.append(
        {
            "kind": WAVEFORM_KIND,
            "storage_key": wave_key,
            "content_type": "application/json",
            "duration_ms": 0,
        }
    )
    return rows


async def _put(storage: Storage, data: bytes, key: str) -> None:
    async def once() -> AsyncIterator[bytes]:
        yield data

    await storage.put(once(), key)


async def _store_first(storage: Storage, clip: Clip, art: images.Artwork) -> _Stored:
    """The clip's files moved into storage under a new original key (as a job stores them)."""
    original_key = await storage.put_file(clip.original)
    for out in clip.outputs:
        key = derived_key(original_key, out.kind)
        for n, segment in enumerate(out.segments):
            await storage.put_file(segment, f"{key}/{n:x}")
        await storage.put_file(out.path, key)
    await _put(storage, clip.waveform, derived_key(original_key, WAVEFORM_KIND))
    art_key = new_key()
    for name, body in art.variants.items():
        await _put(storage, body, f"{art_key}/{images.VARIANTS[name][1]}")
    return _Stored(original_key, _rows(original_key, clip), art_key)


def _copy_of(first: _Stored, clip: Clip) -> tuple[_Stored, list[tuple[str, str]]]:
    """New keys for another track's copy of `first`, and the (source, target) pairs to copy."""
    original_key, art_key = new_key(), new_key()
    rows = _rows(original_key, clip)
    pairs = [(first.original_key, original_key), (first.artwork_key, art_key)]
    for theirs, ours in zip(first.rows, rows, strict=True):
        pairs.append((str(theirs["storage_key"]), str(ours["storage_key"])))
    return _Stored(original_key, rows, art_key), pairs


def _encode_all(numbers: list[int], workdir: Path) -> list[tuple[Clip, images.Artwork]]:
    tunes = melodies()
    out = []
    for n in numbers:
        clip = encode(tunes[n], workdir / str(n))
        out.append((clip, images.render(clip.artwork)))
    return out


async def furnish(deps: Deps, storage: Storage, track_ids: Sequence[int]) -> Furnished:
    """Give each track that has no media a clip (track n: clip n % CLIPS) and artwork. Each
    clip is encoded once; every track gets its own copy of the objects inside the store (hard
    links on a local disk), so deleting one track deletes only its own."""
    started = time.perf_counter()
    async with deps.db.read() as uow:
        have = {m.track_id for m in await uow.media.for_tracks(list(track_ids))}
    wanted = [t for t in track_ids if t not in have]
    if not wanted:
        return Furnished(0, time.perf_counter() - started)
    used = sorted({t % CLIPS for t in wanted})
    halves = [used[0::2], used[1::2]]  # two threads: the encoders release the GIL
    workdir = Path(tempfile.mkdtemp(dir=storage.scratch_dir(), prefix="demo-"))
    try:
        encoded = await asyncio.gather(
            *(asyncio.to_thread(_encode_all, half, workdir) for half in halves if half)
        )
        order = [n for half in halves if half for n in half]
        clips = dict(zip(order, [c for part in encoded for c in part], strict=True))
        sizes = {n: clip.original.stat().st_size for n, (clip, _) in clips.items()}
        stored: dict[int, _Stored] = {}
        pairs: list[tuple[str, str]] = []
        for track_id in wanted:
            n = track_id % CLIPS
            clip, art = clips[n]
            first = stored.get(-1 - n)
            if first is None:
                first = stored[-1 - n] = stored[track_id] = await _store_first(storage, clip, art)
            else:
                stored[track_id], copies = _copy_of(first, clip)
                pairs.extend(copies)
        await storage.copy_many(pairs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    async def record(uow: UnitOfWork) -> None:
        media_ids = await uow.media.create_many(
            [
                {
                    "track_id": track_id,
                    "original_key": stored[track_id].original_key,
                    "original_filename": f"demo-{track_id % CLIPS + 1}.flac",
                    "format": "flac",
                    "content_type": "audio/flac",
                    "size_bytes": sizes[track_id % CLIPS],
                    "duration_ms": CLIP_SECONDS * 1000,
                    "bitrate": 0,
                    "sample_rate": _RATE,
                    "channels": 1,
                    "status": "finished",
                    "status_reason": "",
                }
                for track_id in wanted
            ]
        )
        await uow.media.add_transcodings(
            [
                {**row, "media_id": media_ids[track_id]}
                for track_id in wanted
                for row in stored[track_id].rows
            ]
        )
        await uow.media.add_artworks(
            [
                {
                    "key": stored[t].artwork_key,
                    "content_type": "image/jpeg",
                    "width": clips[t % CLIPS][1].width,
                    "height": clips[t % CLIPS][1].height,
                }
                for t in wanted
            ]
        )
        await uow.tracks.set_artwork_keys({t: stored[t].artwork_key for t in wanted})

    await deps.db.transact(record)
    return Furnished(len(wanted), time.perf_counter() - started)
