"""How the article list draws its lines: rows, placeholders and the empty view's notice.

Plain drawing, apart from the widget: each row is a Text from ``render.list_row`` (feed
text as data, never markup) cut to the width, then a Strip. While scrolling, the same
rows are drawn again and again, so the recent strips are kept.

A list wide enough (zoomed, ``z``) lays its rows out in columns instead, as a newsboat
reader expects: flags, date, feed, title and the other feeds that carry the story.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from newsreader.models import ArticleSummary
from newsreader.text.timefmt import LIST_DATE_FORMAT, format_listed
from newsreader.ui.render import ALSO_IN, STAR_MARK, UNREAD_MARK, Palette, list_row, one_line

PENDING = "  ·"
KEPT_STRIPS = 1024
COLUMNS_FROM = 100  # a list this wide shows columns
FEED_COLUMN = 20
ALSO_IN_COLUMN = 24
GAP = "  "


def cell(text: str | Text, width: int, style: str = "") -> Text:
    """``text`` cut (with …) or padded to exactly ``width`` cells."""
    cut = text.copy() if isinstance(text, Text) else Text(one_line(text), style=style)
    cut.truncate(width, overflow="ellipsis", pad=True)
    return cut


def column_row(
    summary: ArticleSummary, width: int, palette: Palette, date_format: str, also_in: str
) -> Text:
    """flags · date · feed · title · also in, each column cut to its width."""
    flags = Text.assemble(
        (UNREAD_MARK if not summary.read else " ", palette.accent),
        (STAR_MARK if summary.starred else " ", palette.accent),
    )
    date = ""
    if summary.published is not None:
        date = format_listed(summary.published, date_format, first_seen=summary.first_seen)
    date_width = len(datetime_sample(date_format))
    others = ", ".join(one_line(title) for title in summary.also_in)
    others_text = also_in.format(feeds=others) if others else ""
    fixed = 2 + len(GAP) + date_width + len(GAP) + FEED_COLUMN + len(GAP)
    title_width = max(10, width - fixed - len(GAP) - ALSO_IN_COLUMN)
    return Text.assemble(
        flags,
        GAP,
        cell(date, date_width, palette.muted),
        GAP,
        cell(summary.feed_title, FEED_COLUMN, palette.muted),
        GAP,
        cell(summary.title, title_width),
        GAP,
        cell(others_text, ALSO_IN_COLUMN, palette.muted),
    )


def datetime_sample(date_format: str) -> str:
    """The widest a date in this format gets, near enough (two-digit fields all)."""
    return datetime(2000, 12, 28, 23, 59).strftime(date_format)


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
            if width >= COLUMNS_FROM:
                text = column_row(summary, width, self.palette, self.date_format, self.also_in)
            else:
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
