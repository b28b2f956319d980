"""Pictures for the image tests, made by Pillow, and hostile ones made from them."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def picture(kind: str = "PNG", size: tuple[int, int] = (64, 32), colour: str = "#3080c0") -> bytes:
    """A real image file: ``colour`` on the left half, white on the right."""
    image = Image.new("RGB", size, colour)
    image.paste((255, 255, 255), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    if kind == "GIF":
        frames = [image, Image.new("RGB", size, "#ff0000")]
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    else:
        image.save(out, kind)
    return out.getvalue()


def bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""
    data = bytearray(picture("PNG", (16, 16)))
    # IHDR: length (4), type (4), then width and height, then the rest, then its CRC.
    start = 8
    length = struct.unpack(">I", data[start : start + 4])[0]
    body = bytearray(data[start + 4 : start + 8 + length])
    body[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(body)) & 0xFFFFFFFF)
    data[start + 4 : start + 8 + length] = body
    data[start + 8 + length : start + 12 + length] = crc
    return bytes(data)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(1)</script><rect width="100" height="100"/></svg>'
)
