"""Artwork images: validated by really decoding them with Pillow, re-encoded as JPEG variants."""

from __future__ import annotations

import functools
import io
import warnings

import msgspec
from PIL import Image, ImageDraw, ImageOps

from app.value_added.common.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
"""Anything larger is refused before decoding (decompression bombs)."""
ACCEPTED = frozenset({"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF"})

# SoundCloud's size names -> (edge in pixels, storage child part).
VARIANTS: dict[str, tuple[int, str]] = {
    "original": (0, "0"),
    "t500x500": (500, "1"),
    "crop": (400, "2"),
    "t300x300": (300, "3"),
    "large": (100, "4"),
    "t67x67": (67, "5"),
    "badge": (47, "6"),
    "small": (32, "7"),
    "tiny": (20, "8"),
}
ORIGINAL_MAX_EDGE = 2000


class Artwork(msgspec.Struct, frozen=True):
    width: int
    height: int
    variants: dict[str, bytes]
    """Size name -> JPEG bytes."""


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=88, optimize=True, progressive=True)
    return buf.getvalue()


def render(data: bytes) -> Artwork:
    """Decode, check and re-encode an image; CPU-bound (run it in a thread)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(
            f"images may be at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB", reason="image_too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                width, height = probe.size
                if fmt not in ACCEPTED:
                    raise UnsupportedMediaType(
                        "artwork must be a JPEG, PNG, GIF, WebP, BMP or TIFF image",
                        reason="unsupported_image",
                    )
                if width * height > MAX_PIXELS:
                    raise Unprocessable("the image has too many pixels", reason="image_too_large")
                probe.load()
                image = ImageOps.exif_transpose(probe).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Unprocessable("the image has too many pixels", reason="image_too_large") from exc
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's "cannot identify"/truncated
        raise UnsupportedMediaType(
            "the file is not a readable image", reason="unsupported_image"
        ) from exc
    if min(width, height) < 1:
        raise Unprocessable("the image is empty", reason="empty_image")
    side = min(image.size)
    square = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    variants: dict[str, bytes] = {}
    for name, (edge, _) in VARIANTS.items():
        if edge == 0:
            original = image.copy()
            original.thumbnail((ORIGINAL_MAX_EDGE, ORIGINAL_MAX_EDGE), Image.Resampling.LANCZOS)
            variants[name] = _jpeg(original)
        else:
            variants[name] = _jpeg(square.resize((edge, edge), Image.Resampling.LANCZOS))
    return Artwork(width=image.width, height=image.height, variants=variants)


DEFAULT_AVATAR_EDGE = 500


@functools.cache
def default_avatar(size: str) -> bytes | None:
    """The avatar of a user who set none, as a JPEG of `size` (a VARIANTS name; None for an
    unknown one): a silhouette on grey, drawn once per size and kept."""
    edge = DEFAULT_AVATAR_EDGE if size == "original" else VARIANTS.get(size, (0, ""))[0]
    if not edge:
        return None
    big = DEFAULT_AVATAR_EDGE
    image = Image.new("RGB", (big, big), (204, 204, 204))
    draw = ImageDraw.Draw(image)
    draw.ellipse((big * 0.32, big * 0.16, big * 0.68, big * 0.52), fill=(242, 242, 242))
    draw.ellipse((big * 0.14, big * 0.58, big * 0.86, big * 1.22), fill=(242, 242, 242))
    return _jpeg(image if edge == big else image.resize((edge, edge), Image.Resampling.LANCZOS))
