"""The article's pictures among its text: where each goes, and how it is drawn.

A picture takes a box of fixed height at the width of the text column, reserved before it
is fetched, so a picture that arrives later fills its box and moves nothing. It is drawn
as half-block cells ("▀" with a foreground and a background colour): nothing of an
image's bytes reaches the terminal except as colours. Alt text, captions and hosts are
feed words; they only ever become ``Text`` and plain segments, never markup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from rich.cells import cell_len, set_cell_size
from rich.color import Color
from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from newsreader.feeds.image_decode import HalfBlocks
from newsreader.models import Article, Block, ImageRef
from newsreader.text.images import image_host
from newsreader.text.sanitize import clean_line
from newsreader.text.timefmt import STAMP_FORMAT
from newsreader.ui.labels import Labels
from newsreader.ui.link_text import links_section
from newsreader.ui.render import (
    ALSO_IN,
    Palette,
    article_head,
    block_renderable,
    one_line,
)

MAX_BOX_ROWS: Final = 20
MIN_BOX_ROWS: Final = 4
HALF_BLOCK: Final = "▀"


@dataclass(frozen=True, slots=True, eq=False)
class Picture:
    """A picture among the article's text, with its caption (or alt text) to go beneath."""

    ref: ImageRef
    caption: RenderableType | None


Chunk = RenderableType | Picture
# How pictures are shown: through the Kitty graphics protocol, as half-block cells, or as
# one-line placeholders.
Renderer = Literal["graphics", "halfblocks", "placeholders"]


def box_rows(width: int) -> int:
    """The lines a picture's box takes at ``width`` columns: room for a 16:9 picture."""
    return max(MIN_BOX_ROWS, min(MAX_BOX_ROWS, round(width * 9 / 32)))


@lru_cache(maxsize=64)
def article_chunks(
    article: Article,
    palette: Palette,
    date_format: str = STAMP_FORMAT,
    links_heading: str = "Links",
    also_in: str = ALSO_IN,
) -> tuple[Chunk, ...]:
    """The article as runs of text (each one Group) with its pictures between them, each
    after the body block it follows. Cached, since articles are immutable values."""
    by_position: dict[int, list[ImageRef]] = defaultdict(list)
    last = len(article.blocks)
    for ref in article.images:
        by_position[min(ref.position, last)].append(ref)
    parts: list[Chunk] = list(article_head(article, palette, date_format, also_in))

    def add_pictures(position: int) -> None:
        for ref in by_position.get(position, ()):
            words = clean_line(one_line(ref.caption or ref.alt), limit=300)
            caption = Text(words, style=f"italic {palette.muted}") if words else None
            parts.extend((Text(), Picture(ref, caption)))

    markers = [image_marker(ref.alt) for ref in article.images if not ref.lead]
    for position, block in enumerate(article.blocks):
        add_pictures(position)
        shown = without_markers(block, markers)
        if shown is not None:
            parts += [Text(), block_renderable(shown, palette)]
    add_pictures(last)
    parts += links_section(article.links, links_heading, palette.accent, palette.muted)
    chunks: list[Chunk] = []
    run: list[RenderableType] = []
    for part in parts:
        if isinstance(part, Picture):
            if run:
                chunks.append(Group(*run))
                run = []
            chunks.append(part)
        else:
            run.append(part)
    if run:
        chunks.append(Group(*run))
    return tuple(chunks)


def choose_renderer(mode: str, graphics: bool, color_system: str | None) -> Renderer:
    """How pictures are shown: "off" never (placeholders); "on" and "auto" through the
    graphics protocol where the terminal has it (``graphics.probe_graphics``), else "on" as
    half-blocks and "auto" as half-blocks where the terminal shows true colour."""
    if mode == "off":
        return "placeholders"
    if graphics:
        return "graphics"
    if mode == "on" or color_system == "truecolor":
        return "halfblocks"
    return "placeholders"


def image_marker(alt: str) -> str:
    """What the stored text has where a picture was: "[image: alt]", or "[image]" (as
    ``feeds.entries.image_marker`` writes it; that module is not needed to start the reader)."""
    text = clean_line(alt, limit=200)
    return f"[image: {text}]" if text else "[image]"


def without_markers(block: Block, markers: list[str]) -> Block | None:
    """The block without the "[image: alt]" markers of pictures shown in their own place
    (None when nothing else is left of it)."""
    if not markers or "[image" not in block.text:
        return block
    text = block.text
    for marker in markers:
        text = text.replace(marker, "")
    if text == block.text:
        return block
    text = " ".join(text.split())
    return Block(block.kind, text) if text else None


def placeholder(ref: ImageRef, labels: Labels, width: int = 300) -> str:
    """``[image: alt text · host]``, one clean line; the words are shortened to fit
    ``width`` columns, so the host stays in sight."""
    words = clean_line(one_line(ref.caption or ref.alt or ref.title), limit=300)
    host = image_host(ref.url)
    if not words:
        return clean_line(labels.image_placeholder_bare.format(host=host), limit=300)
    room = width - cell_len(labels.image_placeholder.format(text="", host=host))
    if cell_len(words) > room:
        words = set_cell_size(words, max(1, room - 1)).rstrip() + "…"
    return clean_line(labels.image_placeholder.format(text=words, host=host), limit=300)


@dataclass(frozen=True, slots=True)
class Slot:
    """A picture's place among the article's lines: its box from ``start``, ``rows``
    lines, then ``span - rows`` lines of caption."""

    ref: ImageRef
    start: int
    rows: int
    span: int

    def covers(self, top: int, bottom: int) -> bool:
        return self.start < bottom and self.start + self.rows > top


def picture_lines(cells: HalfBlocks) -> list[Strip]:
    """The picture's lines of half-block cells, each cell's colours its own; runs of
    cells alike are one segment."""
    lines = []
    colours: dict[tuple[int, int, int], Color] = {}

    def colour(rgb: tuple[int, int, int]) -> Color:
        known = colours.get(rgb)
        if known is None:
            known = colours[rgb] = Color.from_rgb(*rgb)
        return known

    for row in range(cells.rows):
        segments: list[Segment] = []
        run, count = None, 0
        for x in range(cells.width):
            pair = (cells.pixel(x, 2 * row), cells.pixel(x, 2 * row + 1))
            if pair != run:
                if run is not None:
                    segments.append(_cells(run, count, colour))
                run, count = pair, 0
            count += 1
        if run is not None:
            segments.append(_cells(run, count, colour))
        lines.append(Strip(segments, cells.width))
    return lines


def _cells(
    pair: tuple[tuple[int, int, int], tuple[int, int, int]],
    count: int,
    colour: Callable[[tuple[int, int, int]], Color],
) -> Segment:
    top, bottom = pair
    return Segment(HALF_BLOCK * count, Style(color=colour(top), bgcolor=colour(bottom)))


def box_message(text: str, width: int, style: str) -> list[Segment]:
    """One line of words centred in a picture's box (loading, or why it is not shown)."""
    words = clean_line(text, limit=max(1, width))
    offset = max(0, (width - len(words)) // 2)
    return [Segment(" " * offset), Segment(words, Style.parse(style))]
