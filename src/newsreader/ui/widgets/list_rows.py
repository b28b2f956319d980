"""How the article list draws its lines: rows, placeholders and the empty view's notice.

Plain drawing, apart from the widget: each row is a Text from ``render.list_row`` (feed
text as data, never markup) cut to the width, then a Strip. While scrolling, the same
rows are drawn again and again, so the recent strips are kept.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from newsreader.models import ArticleSummary
from newsreader.text.timefmt import LIST_DATE_FORMAT
from newsreader.ui.render import ALSO_IN, Palette, list_row

PENDING = "  ·"
KEPT_STRIPS = 1024


class RowPainter:
    """Draws the list's lines in the current palette."""

    def __init__(self) -> None:
        self.palette = Palette()
        self.date_format = LIST_DATE_FORMAT
        self.also_in = ALSO_IN  # the template naming the other feeds that carry a story
        self._strips: LRUCache[tuple[ArticleSummary, int, Style], Strip] = LRUCache(KEPT_STRIPS)
        self._notice: tuple[tuple[str, int, Palette], list[Strip]] | None = None

    def use_palette(self, palette: Palette) -> None:
        """Rows carry theme colours: a new theme draws them anew."""
        if palette != self.palette:
            self.palette = palette
            self._strips.clear()

    def row(self, summary: ArticleSummary, width: int, style: Style, console: Console) -> Strip:
        """One article's line, on ``style`` (the row's, or the highlight's)."""
        key = (summary, width, style)
        strip = self._strips.get(key)
        if strip is None:
            text = list_row(summary, self.palette, self.date_format, self.also_in)
            text.truncate(width, overflow="ellipsis")
            strip = Strip(text.render(console)).apply_style(style).crop_extend(0, width, style)
            self._strips.set(key, strip)
        return strip

    @staticmethod
    def pending(width: int, style: Style, pending: Style) -> Strip:
        """A row whose page is still being read: a dim dot, until the page arrives."""
        strip = Strip([Segment(PENDING, pending)]).apply_style(style)
        return strip.crop_extend(0, width, style)

    def notice(self, message: str, width: int, console: Console) -> list[Strip]:
        """Why an empty view is empty, wrapped at the width."""
        if not message or width <= 0:
            return []
        key = (message, width, self.palette)
        if self._notice is None or self._notice[0] != key:
            text = Text(message, style=self.palette.muted)
            lines = [
                Strip(line.render(console)).crop_extend(0, width, None)
                for line in text.wrap(console, width)
            ]
            self._notice = (key, lines)
        return self._notice[1]
