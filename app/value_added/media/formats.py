"""What the media pipeline produces: transcoding kinds, their MIME types and how they play."""

from __future__ import annotations

from typing import Literal

import msgspec

StreamKind = Literal["progressive", "hls"]


class Rendition(msgspec.Struct, frozen=True):
    """One transcoding the pipeline produces for every finished upload."""

    kind: str
    """The `transcodings.kind` value (e.g. `hls_aac_160`)."""
    protocol: StreamKind
    format: str
    """Codec and bitrate as clients name it (`mp3_128`, `aac_160`)."""
    codec: str
    bitrate: int
    mime_type: str
    preview: bool = False


MP3_128 = Rendition("mp3_128", "progressive", "mp3_128", "libmp3lame", 128_000, "audio/mpeg")
HLS_AAC_160 = Rendition(
    "hls_aac_160", "hls", "aac_160", "aac", 160_000, "application/vnd.apple.mpegurl"
)
HLS_MP3_128 = Rendition(
    "hls_mp3_128", "hls", "mp3_128", "libmp3lame", 128_000, "application/vnd.apple.mpegurl"
)
PREVIEW_MP3 = Rendition(
    "preview_mp3_128", "progressive", "mp3_128", "libmp3lame", 128_000, "audio/mpeg", True
)
RENDITIONS = (MP3_128, HLS_AAC_160, HLS_MP3_128, PREVIEW_MP3)
WAVEFORM_KIND = "waveform"
PREVIEW_SECONDS = 30
HLS_SEGMENT_SECONDS = 10

# Object types a signed URL may name: extension -> MIME type.
MIME_TYPES = {
    "mp3": "audio/mpeg",
    "m3u8": "application/vnd.apple.mpegurl",
    "ts": "video/mp2t",
    "json": "application/json",
    "jpg": "image/jpeg",
}

# Container formats accepted for upload (FFmpeg demuxer names, as probing reports them).
ACCEPTED_FORMATS = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "mov,mp4,m4a,3gp,3g2,mj2": "audio/mp4",
    "aiff": "audio/aiff",
    "aac": "audio/aac",
    "matroska,webm": "audio/webm",
}
