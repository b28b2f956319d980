"""Pictures through the Kitty graphics protocol, where the terminal has it (textual-image).

The terminal is only asked where its name says it may be Kitty, and only before the
reader starts: textual-image's questions read the answer from the terminal, which the
running app would otherwise take for keys. Every other terminal is never sent a byte of
the protocol, not even a question. A picture is sent once as the protocol's own encoded
payload; the cells that show it are placeholder characters that scroll like text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from rich.console import Console
from textual.strip import Strip

if TYPE_CHECKING:
    from PIL import Image as PILImage

DEFAULT_CELL = (10, 20)  # pixels of a cell when the terminal does not say


def may_have_graphics(environ: Mapping[str, str]) -> bool:
    """Whether the terminal's name says it may be one that shows Kitty graphics in place."""
    return (
        environ.get("TERM") == "xterm-kitty"
        or bool(environ.get("KITTY_WINDOW_ID"))
        or environ.get("TERM_PROGRAM", "").lower() == "ghostty"
    )


def probe_graphics(mode: str, environ: Mapping[str, str]) -> bool:
    """Whether pictures go through the Kitty graphics protocol. Call before the app starts:
    in a terminal that may have it, this asks it (textual-image does, on import)."""
    stdout = sys.__stdout__
    if mode == "off" or not may_have_graphics(environ) or stdout is None or not stdout.isatty():
        return False
    try:
        import textual_image.renderable as renderable
        from textual_image.renderable.tgp import Image as KittyImage
    except Exception:  # a terminal that answers oddly is a terminal without graphics
        return False
    return renderable.Image is KittyImage


def cell_pixels() -> tuple[int, int]:
    """A terminal cell's width and height in pixels, as the terminal reports them."""
    import fcntl
    import struct
    import termios

    stdout = sys.__stdout__
    try:
        if stdout is None:
            return DEFAULT_CELL
        packed = fcntl.ioctl(stdout.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
        rows, columns, width, height = struct.unpack("HHHH", packed)
    except (OSError, ValueError):
        return DEFAULT_CELL
    if not (rows and columns and width and height):
        return DEFAULT_CELL
    return max(1, width // columns), max(1, height // rows)


def fit(size: tuple[int, int], columns: int, rows: int, cell: tuple[int, int]) -> tuple[int, int]:
    """The cells a picture takes inside a box of ``columns`` × ``rows``, keeping its shape."""
    width, height = size
    cell_width, cell_height = cell
    cols = max(1, columns)
    lines = max(1, round(cols * height * cell_width / (width * cell_height)))
    if lines > rows:
        lines = rows
        cols = max(1, min(columns, round(lines * width * cell_height / (height * cell_width))))
    return cols, lines


def kitty_lines(
    image: PILImage.Image, columns: int, rows: int, console: Console
) -> tuple[list[Strip], Callable[[], None]]:
    """The picture sent to the terminal now, and the lines of cells that show it; the
    function given back frees it in the terminal again."""
    from textual_image.renderable.tgp import Image as KittyImage

    cols, lines = fit(image.size, columns, rows, cell_pixels())
    renderable = KittyImage(image, width=cols, height=lines)
    options = console.options.update(width=cols, height=lines, highlight=False)
    rendered = console.render_lines(renderable, options, pad=False)
    return [Strip(line, cols) for line in rendered], renderable.cleanup
