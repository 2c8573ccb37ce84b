"""`stream` chooses among the transcodings the VAS granted by `format` and `maxBitRate`."""

from __future__ import annotations

import datetime as dt

import pytest

from app.edge.subsonic.routes.media import choose_stream
from app.value_added.media import StreamGrant

AT = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def grant(fmt: str, kind: str = "progressive") -> StreamGrant:
    return StreamGrant(
        kind="hls" if kind == "hls" else "progressive",
        format=fmt,
        mime_type="audio/mpeg",
        url=f"/media/{kind}/{fmt}",
        expires_at=AT,
        preview=False,
        duration_ms=1000,
    )


GRANTS = [grant("mp3_128"), grant("mp3_320"), grant("opus_96"), grant("aac_160", "hls")]


@pytest.mark.parametrize(
    ("wanted", "max_kbps", "chosen"),
    [
        ("", 0, "mp3_320"),  # no wish: the best there is
        ("mp3", 0, "mp3_320"),
        ("mp3", 192, "mp3_128"),  # the highest at most maxBitRate
        ("mp3", 64, "mp3_128"),  # nothing that low: the lowest of the codec
        ("opus", 0, "opus_96"),
        ("opus", 320, "opus_96"),
        ("flac", 0, "mp3_320"),  # a codec we lack: any, Soundstack does not transcode on request
        ("raw", 100, "opus_96"),  # raw is a download; among all files, the best under 100
        ("aac", 0, "mp3_320"),  # aac is HLS only: never a stream's file
    ],
)
def test_format_then_bitrate(wanted: str, max_kbps: int, chosen: str) -> None:
    found = choose_stream(GRANTS, wanted, max_kbps)
    assert found is not None and found.format == chosen


def test_nothing_playable_as_a_file() -> None:
    assert choose_stream([grant("aac_160", "hls")], "mp3", 0) is None
    assert choose_stream([], "", 0) is None
