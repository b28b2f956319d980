"""The list commands' tables (``articles``, ``searches``) and the one-line cell they share.

On a terminal a table fits its width and cells clip with "…"; in a pipe (see
``output.emit``) every row is one whole line. Feed text only travels in ``Text`` objects.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from newsreader.cli.output import STAR
from newsreader.models import ArticleSummary, SavedSearch
from newsreader.text.timefmt import STAMP_FORMAT, format_listed


def clipped(value: str | Text, style: str = "") -> Text:
    """A cell that stays on one line: what does not fit ends in "…" instead of wrapping.

    Its column may still narrow (Rich narrows wrapping columns first), so the columns
    that must be read whole (a feed's address) keep their width.
    """
    text = value.copy() if isinstance(value, Text) else Text(value, style=style)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


def articles_table(articles: Sequence[ArticleSummary]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("PUBLISHED", no_wrap=True)
    table.add_column("FEED", max_width=24)
    table.add_column("TITLE")
    for article in articles:
        table.add_row(
            Text(str(article.id)),
            Text(
                format_listed(article.published, STAMP_FORMAT, first_seen=article.first_seen)
                if article.published is not None
                else "-"
            ),
            clipped(article.feed_title),
            clipped(
                Text.assemble(
                    (STAR, "yellow") if article.starred else "",
                    (article.title, "" if article.read else "bold"),
                )
            ),
        )
    return table


def saved_searches_table(saved: Sequence[SavedSearch]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("NAME", max_width=40)
    table.add_column("UNREAD", justify="right", no_wrap=True)
    table.add_column("ARTICLES", justify="right", no_wrap=True)
    table.add_column("QUERY")
    for item in saved:
        table.add_row(
            clipped(item.name, style="bold" if item.unread else ""),
            Text(str(item.unread)),
            Text(str(item.total)),
            clipped(item.query),
        )
    return table
