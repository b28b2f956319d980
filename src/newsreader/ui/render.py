"""Feed text turned into Rich renderables for the panes.

Every function here builds ``rich.text.Text`` objects from plain strings, so feed text is
only ever data: nothing a feed sends can be read as markup, emoji codes or a style.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.errors import StyleSyntaxError
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from newsreader.models import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Article,
    ArticleSummary,
    Block,
    BlockKind,
    MediaItem,
    ProgrammeSlot,
    RelatedItem,
    SearchHit,
)
from newsreader.text.timefmt import (
    LIST_DATE_FORMAT,
    STAMP_FORMAT,
    date_part,
    format_day,
    format_duration,
    format_listed,
    format_local,
    format_stamp,
    format_time,
    local_day,
)
from newsreader.ui.labels_en import ENGLISH
from newsreader.ui.link_text import links_section

TEASER_ONLY_NOTICE = "Only the teaser of this item is available."
UNREAD_MARK = "●"
STAR_MARK = "★"
FAILED_MARK = "!"
SEPARATOR = " · "
ALSO_IN = "also in: {feeds}"  # the other feeds that carry a story (``Labels.also_in``)
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Palette:
    """Rich styles taken from the Textual theme, so Text objects follow the theme too."""

    accent: str = "bold"
    muted: str = "dim"
    notice: str = "italic"
    error: str = "bold"


def _valid_colour(value: str | None) -> str | None:
    """The colour if Rich can use it (theme variables may hold things like "auto 87%")."""
    if not value:
        return None
    try:
        Style.parse(value)
    except StyleSyntaxError:
        return None
    return value


def palette_from_theme(variables: Mapping[str, str]) -> Palette:
    """Build a Palette from ``App.theme_variables``; falls back to plain styles."""
    accent = _valid_colour(variables.get("accent"))
    error = _valid_colour(variables.get("error"))
    return Palette(
        accent=f"bold {accent}" if accent else "bold",
        error=f"bold {error}" if error else "bold",
    )


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces, for single-line places."""
    return _WHITESPACE.sub(" ", text).strip()


def headline(title: str, kicker: str | None, palette: Palette) -> Text:
    """The title in bold, its kicker (when the title starts with it) in the accent."""
    text = Text(style="bold")
    if kicker and title.startswith(kicker):
        text.append(kicker, style=palette.accent)
        text.append(title[len(kicker) :])
    else:
        text.append(title)
    return text


def block_renderable(block: Block, palette: Palette) -> RenderableType:
    if block.kind is BlockKind.HEADING:
        return Text(block.text, style=palette.accent)
    if block.kind is BlockKind.QUOTE:
        return Padding(Text(block.text, style="italic"), (0, 0, 0, 2))
    if block.kind is BlockKind.LIST_ITEM:
        return Text.assemble("• ", block.text)
    if block.kind is BlockKind.PREFORMATTED:
        return Text(block.text, no_wrap=True, overflow="ellipsis")
    return Text(block.text)


def _byline(article: Article, also_in: str = ALSO_IN) -> str:
    """Feed and author, and the other feeds that carry the same story."""
    others = also_in.format(feeds=", ".join(article.also_in)) if article.also_in else None
    return SEPARATOR.join(part for part in (article.feed_title, others, article.author) if part)


def article_head(
    article: Article, palette: Palette, date_format: str = STAMP_FORMAT, also_in: str = ALSO_IN
) -> list[RenderableType]:
    """What comes before the body: the time, the byline, the headline and the teaser."""
    parts: list[RenderableType] = []
    stamp = format_stamp(article, date_format)
    if stamp:
        parts.append(Text(stamp, style=palette.muted))
    byline = _byline(article, also_in)
    if byline:
        parts.append(Text(byline, style=palette.muted))
    if parts:
        parts.append(Text())
    parts.append(headline(article.title, article.kicker, palette))
    if article.teaser:
        parts += [Text(), Text(article.teaser, style="bold")]
    return parts


@lru_cache(maxsize=128)
def article_renderable(
    article: Article,
    palette: Palette,
    date_format: str = STAMP_FORMAT,
    links_heading: str = "Links",
    also_in: str = ALSO_IN,
) -> RenderableType:
    """The whole article as one Group, its links numbered at the end; cached, since
    articles are immutable values."""
    parts = article_head(article, palette, date_format, also_in)
    for block in article.blocks:
        parts += [Text(), block_renderable(block, palette)]
    parts += links_section(article.links, links_heading, palette.accent, palette.muted)
    return Group(*parts)


@lru_cache(maxsize=128)
def teaser_renderable(
    item: RelatedItem,
    language: str | None,
    palette: Palette,
    notice: str = TEASER_ONLY_NOTICE,
    link_prefix: str = "Link: ",
) -> RenderableType:
    """A related item known only by its teaser: say so, and never invent a body."""
    parts: list[RenderableType] = []
    if item.date is not None:
        parts += [Text(format_day(item.date, language), style=palette.muted), Text()]
    parts.append(headline(item.title, None, palette))
    if item.teaser:
        parts += [Text(), Text(item.teaser, style="bold")]
    parts += [Text(), Text(notice, style=f"{palette.notice} {palette.muted}")]
    if item.url:
        parts.append(Text.assemble((link_prefix, palette.muted), item.url))
    return Group(*parts)


def notice_renderable(message: str, palette: Palette) -> RenderableType:
    return Text(message, style=f"{palette.notice} {palette.muted}")


def list_row(
    summary: ArticleSummary,
    palette: Palette,
    date_format: str = LIST_DATE_FORMAT,
    also_in: str = ALSO_IN,
) -> Text:
    """One line of the article list: unread and star marks, title, then feed and date dimmed.

    A story that other feeds carry too names them after its own feed ("also in: A, B",
    from the ``also_in`` template).
    """
    unread = UNREAD_MARK if not summary.read else " "
    star = STAR_MARK if summary.starred else " "
    meta = [summary.feed_title]
    if summary.also_in:
        meta.append(also_in.format(feeds=", ".join(one_line(t) for t in summary.also_in)))
    if summary.published is not None:
        meta.append(format_listed(summary.published, date_format, first_seen=summary.first_seen))
    return Text.assemble(
        (unread, palette.accent),
        (star, palette.accent),
        " ",
        one_line(summary.title),
        ("  " + SEPARATOR.join(meta), palette.muted),
    )


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One line of the feed list: a failure mark, the title, and a count on the right.

    Laid out at whatever width it is drawn at, so the count stays right-aligned and a long
    title ends in an ellipsis; one Text per line, which is far cheaper than a table grid.
    """

    title: str
    count: Text
    failed: bool
    palette: Palette

    def line(self, width: int) -> Text:
        title = Text(one_line(self.title), no_wrap=True, overflow="ellipsis")
        room = max(width - 3 - self.count.cell_len, 0)
        title.truncate(room, overflow="ellipsis", pad=True)
        mark = Text(FAILED_MARK if self.failed else " ", style=self.palette.error)
        line = Text.assemble(mark, " ", title, " ", self.count, no_wrap=True, overflow="crop")
        line.truncate(width)
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.line(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


def feed_row(title: str, count: Text, *, failed: bool, palette: Palette) -> FeedRow:
    """One line of the feed list (see ``FeedRow``); the title is text, never markup."""
    return FeedRow(title, count, failed, palette)


def failure_notice(message: str, palette: Palette) -> Text:
    """Why a feed could not be refreshed, under the feed list."""
    return Text.assemble((f"{FAILED_MARK} ", palette.error), message)


def heading_option(label: str, palette: Palette) -> Text:
    return Text(label, style=palette.accent)


def related_prompt(
    item: RelatedItem, language: str | None, palette: Palette, *, gap: bool = False
) -> Text:
    """Title, teaser and "(19.08.2019)", as the source lists its related stories.

    ``gap`` adds a blank line, to set the item apart from the next one.
    """
    text = Text(item.title, style="bold")
    if item.teaser:
        text.append("\n" + item.teaser)
    if item.date is not None:
        text.append(f"\n({format_day(item.date, language)})", style=palette.muted)
    if gap:
        text.append("\n")
    return text


def subheading_option(label: str) -> Text:
    """A heading inside a section (the computed related items), set apart by italics."""
    return Text(label, style="italic")


def similar_prompt(
    item: RelatedItem, language: str | None, palette: Palette, *, gap: bool = False
) -> Text:
    """A related story found in the store: its title, then its feed and day dimmed."""
    text = Text(one_line(item.title), style="bold")
    day = format_day(item.date, language) if item.date is not None else None
    meta = [part for part in (item.feed_title, day) if part]
    if meta:
        text.append("\n" + SEPARATOR.join(meta), style=palette.muted)
    if gap:
        text.append("\n")
    return text


def programme_prompt(slot: ProgrammeSlot, language: str | None) -> Text:
    """Station · programme · day · time, the time in the slot's own offset."""
    parts = [slot.station, slot.programme]
    if slot.start is not None:
        parts += [format_day(local_day(slot.start), language), format_time(slot.start, language)]
    return Text(SEPARATOR.join(part for part in parts if part))


def media_prompt(item: MediaItem, palette: Palette) -> Text:
    duration = format_duration(item.duration_seconds)
    if duration is None:
        return Text(item.title)
    return Text.assemble((duration, palette.muted), "  ", item.title)


def highlighted_snippet(snippet: str, style: str) -> Text:
    """Turn the store's match markers into styled spans; the markers never reach the screen."""
    text = Text()
    highlighted = False
    for piece in re.split(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])", snippet):
        if piece in (HIGHLIGHT_START, HIGHLIGHT_END):
            highlighted = piece == HIGHLIGHT_START
        elif piece:
            text.append(_WHITESPACE.sub(" ", piece), style=style if highlighted else None)
    return text


def search_hit_prompt(
    hit: SearchHit,
    palette: Palette,
    date_format: str = LIST_DATE_FORMAT,
    related_label: str = ENGLISH.related_item,
) -> Text:
    """Title, then feed and date dimmed, then the snippet with its matches highlighted.

    A related item has a day but no time, so it shows only the format's date part.
    """
    meta = [hit.feed_title]
    if isinstance(hit.published, datetime):
        meta.append(format_local(hit.published, date_format))
    elif hit.published is not None:
        meta.append(hit.published.strftime(date_part(date_format)))
    if hit.related_position is not None:
        meta.append(related_label)
    text = Text(one_line(hit.title), style="bold")
    text.append("\n" + SEPARATOR.join(meta), style=palette.muted)
    if hit.snippet:
        text.append("\n")
        text.append_text(highlighted_snippet(hit.snippet, f"{palette.accent} underline"))
    return text
