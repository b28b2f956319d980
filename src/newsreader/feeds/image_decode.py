"""Turning an image's bytes into pixels, refusing whatever is not plainly a small picture.

Only PNG, JPEG, GIF (its first frame) and WebP are read; the format is told by the bytes,
never by what the server says. The size in the header is checked before any pixel is
decoded, so a decompression bomb costs a header read. SVG is never rendered: it is a
document, not a picture. Each refusal is one line fit to show a user.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.text.images import MIN_SIDE

if TYPE_CHECKING:
    from PIL import Image as PILImage

MAX_PIXELS = 40_000_000
MAX_ROWS = 48  # terminal lines one picture may take, however tall it is
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


class ImageRefused(Exception):
    """An image that will not be shown; the message is the one-line reason.

    ``permanent`` refusals (a tracking pixel, SVG, a bomb) are remembered, so the same
    address is never fetched again.
    """

    def __init__(self, reason: str, *, permanent: bool = True) -> None:
        super().__init__(reason)
        self.permanent = permanent

    @property
    def reason(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class HalfBlocks:
    """A picture scaled for half-block cells: ``rows`` lines of ``width`` cells, each cell
    an upper and a lower pixel. ``pixels`` is RGB bytes, row after row, 2 × rows high."""

    width: int
    rows: int
    pixels: bytes

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        at = (y * self.width + x) * 3
        return self.pixels[at], self.pixels[at + 1], self.pixels[at + 2]


def sniff_format(data: bytes) -> str:
    """PNG, JPEG, GIF or WEBP by the leading bytes; ImageRefused for anything else."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise ImageRefused("SVG images are never shown")
    if head.startswith((b"<!doctype", b"<html", b"<")):
        raise ImageRefused("not an image: the server sent a page")
    raise ImageRefused("not a PNG, JPEG, GIF or WebP image")


def _too_many(max_pixels: int, size: str = "") -> str:
    return f"too many pixels ({size}more than {max_pixels / 1_000_000:g} megapixels)"


def open_image(data: bytes, max_pixels: int = MAX_PIXELS) -> PILImage.Image:
    """The picture's first frame, opened but not decoded, after the header checks."""
    from PIL import Image, UnidentifiedImageError

    kind = sniff_format(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_too_many(max_pixels)) from None
    except UnidentifiedImageError:
        raise ImageRefused(f"the {kind} image could not be read") from None
    except (OSError, ValueError, SyntaxError):
        raise ImageRefused(f"the {kind} image is damaged") from None
    width, height = image.size
    if width * height > max_pixels:
        raise ImageRefused(_too_many(max_pixels, f"{width}×{height}, "))
    if min(width, height) < MIN_SIDE:
        raise ImageRefused(f"a tracking pixel or spacer ({width}×{height})")
    return image


def rgb_frame(image: PILImage.Image, width_px: int, height_px: int) -> PILImage.Image:
    """The first frame decoded at about the given size, as RGB on black."""
    from PIL import Image

    if image.format == "JPEG":
        image.draft("RGB", (width_px, height_px))  # JPEG decodes at a fraction of its size
    try:
        image.seek(0)
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise ImageRefused(f"the {image.format or 'image'} image is damaged") from None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def cells_for(size: tuple[int, int], columns: int, max_rows: int = MAX_ROWS) -> tuple[int, int]:
    """The cells (columns, rows) a picture of ``size`` pixels takes at most ``columns``
    wide: a half-block cell is two square pixels, and no picture is taller than ``max_rows``.
    Never wider than the picture itself, so a small image is not blown up."""
    width, height = size
    cols = max(1, min(columns, width))
    rows = max(1, round(cols * height / width / 2))
    if rows > max_rows:
        rows = max_rows
        cols = max(1, min(cols, round(rows * 2 * width / height)))
    return cols, rows


def half_blocks(
    data: bytes, columns: int, max_rows: int = MAX_ROWS, max_pixels: int = MAX_PIXELS
) -> HalfBlocks:
    """Decode ``data`` and scale it to at most ``columns`` half-block cells wide and
    ``max_rows`` high."""
    from PIL import Image

    image = open_image(data, max_pixels)
    cols, rows = cells_for(image.size, columns, max_rows)
    frame = rgb_frame(image, cols, rows * 2)
    scaled = frame.resize((cols, rows * 2), Image.Resampling.BOX)
    return HalfBlocks(cols, rows, scaled.tobytes())


def rgb_picture(
    data: bytes, max_width: int, max_height: int, max_pixels: int = MAX_PIXELS
) -> PILImage.Image:
    """Decode ``data`` as RGB, scaled down (never up) to fit ``max_width`` × ``max_height``
    pixels: what a graphics protocol is sent."""
    from PIL import Image

    image = open_image(data, max_pixels)
    frame = rgb_frame(image, max_width, max_height)
    frame.thumbnail((max(1, max_width), max(1, max_height)), Image.Resampling.LANCZOS)
    return frame
