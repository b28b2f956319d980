"""What the ``newsreader`` subcommands print: JSON shapes for scripts, Rich text for people.

Feed text is sanitised at ingestion, and here it only ever travels inside ``rich.text.Text``
objects, so nothing a feed says is read as console markup. Textual is never imported.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from newsreader.models import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Article,
    ArticleSummary,
    BlockKind,
    MediaItem,
    ProgrammeSlot,
    RelatedItem,
    SavedSearch,
    SearchHit,
)
from newsreader.text.sanitize import clean_line
from newsreader.text.timefmt import (
    format_day,
    format_duration,
    format_moment,
    format_time,
    is_german,
    local_day,
)

PROG = "newsreader"
EXIT_OK = 0
EXIT_FAILED = 1  # a feed or file could not be fetched, read or parsed
EXIT_USAGE = 2  # a mistake on the command line: fix the command and run it again

# English headings for sidebar sections whose feed gives no label of its own.
RELATED_FALLBACK = "Related"
PROGRAMME_FALLBACK = "On air"
MEDIA_FALLBACK = "More media"
SIMILAR_HEADING = "More on this"

HEADING_MARK = "## "
STAR = "★ "  # before the title of a starred article in lists
MATCH_STYLE = "bold underline"
_WHITESPACE = re.compile(r"\s+")


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 2 unless said otherwise."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def complain(message: str, *, kind: str = "error") -> None:
    """The one line a user sees when something went wrong (or deserves a warning)."""
    print(f"{PROG}: {kind}: {clean_line(message, limit=500)}", file=sys.stderr)


# JSON: plain data with ISO 8601 times, in the shapes the README documents.


def iso(value: datetime | date | None) -> str | None:
    """Datetimes keep the source's UTC offset; related items carry a plain date."""
    return value.isoformat() if value is not None else None


def plain_snippet(snippet: str) -> str:
    """A snippet without match markers, on one line."""
    text = snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    return _WHITESPACE.sub(" ", text).strip()


def articles_json(articles: Iterable[ArticleSummary]) -> list[dict[str, Any]]:
    return [
        {
            "id": article.id,
            "title": article.title,
            "feed": article.feed_title,
            "published": None if article.first_seen else iso(article.published),
            "read": article.read,
            "starred": article.starred,
            "first_seen": iso(article.published) if article.first_seen else None,
        }
        for article in articles
    ]


def article_json(article: Article, similar: Sequence[RelatedItem] = ()) -> dict[str, Any]:
    """``similar`` are the stored stories most like it (the sidebar's "More on this")."""
    return {
        "id": article.id,
        "title": article.title,
        "teaser": article.teaser,
        "body": article.body,
        "published": iso(article.published),
        "updated": iso(article.updated),
        "url": article.url,
        "body_source": article.body_source,
        "page_url": article.page.url if article.page and article.page.has_text else None,
        "page_fetched_at": (
            iso(article.page.fetched_at) if article.page and article.page.has_text else None
        ),
        "related": [
            {
                "title": item.title,
                "teaser": item.teaser,
                "date": iso(item.date),
                "article_id": item.article_id,
            }
            for item in article.related
        ],
        "programme": [
            {"station": slot.station, "programme": slot.programme, "start": iso(slot.start)}
            for slot in article.programme
        ],
        "media": [
            {
                "title": item.title,
                "duration_seconds": item.duration_seconds,
                "url": item.url,
                "kind": item.kind,
                "type": item.mime_type,
                "length": item.length,
            }
            for item in article.media
        ],
        "first_seen": iso(article.first_seen) if article.stamp is None else None,
        "similar": [
            {
                "article_id": item.article_id,
                "title": item.title,
                "feed": item.feed_title,
                "published": iso(item.published),
            }
            for item in similar
        ],
    }


def hits_json(hits: Iterable[SearchHit]) -> list[dict[str, Any]]:
    return [
        {
            "id": hit.article_id,
            "title": hit.title,
            "feed": hit.feed_title,
            "published": iso(hit.published),
            "snippet": plain_snippet(hit.snippet),
            "related_position": hit.related_position,
        }
        for hit in hits
    ]


def saved_searches_json(saved: Iterable[SavedSearch]) -> list[dict[str, Any]]:
    return [
        {"name": item.name, "query": item.query, "articles": item.total, "unread": item.unread}
        for item in saved
    ]


def dump_json(data: object, file: TextIO) -> None:
    file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# Human output.


def _listed(value: datetime | date | None) -> str:
    """Dates in lists: sortable and the same for every feed."""
    if isinstance(value, datetime):
        return format_moment(value)
    if isinstance(value, date):
        return value.isoformat()
    return "-"


def highlighted(snippet: str, *, styled: bool) -> Text:
    """A snippet with its matches in bold on a terminal, or in [brackets] in a pipe."""
    text = Text()
    flat = _WHITESPACE.sub(" ", snippet).strip()
    for index, part in enumerate(re.split(f"[{HIGHLIGHT_START}{HIGHLIGHT_END}]", flat)):
        if index % 2 == 0:
            text.append(part)
        elif styled:
            text.append(part, style=MATCH_STYLE)
        else:
            text.append(Text.assemble("[", part, "]"))
    return text


def _bullet(marker: str, *lines: Text) -> Table:
    """A marker with text that wraps under itself, not under the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(marker), Group(*lines))
    return grid


def _section(label: str | None, fallback: str) -> Rule:
    return Rule(Text(label or fallback, style="bold"), align="left", characters="─")


def _related(item: RelatedItem, language: str | None) -> Table:
    heading = Text(item.title, style="bold")
    if item.date is not None:
        heading.append(Text(f"  {format_day(item.date, language)}", style="dim"))
    lines = [heading]
    if item.teaser:
        lines.append(Text(item.teaser))
    if item.article_id is not None:
        lines.append(Text(f"newsreader show {item.article_id}", style="dim"))
    return _bullet("•", *lines)


def _slot(slot: ProgrammeSlot, language: str | None) -> Table:
    parts = [slot.station, slot.programme]
    if slot.start is not None:
        parts.append(format_day(local_day(slot.start), language))
        parts.append(format_time(slot.start, language))
    return _bullet("•", Text(" | ".join(part for part in parts if part)))


def _media(item: MediaItem) -> Table:
    line = Text(item.title)
    if item.duration_seconds is not None:
        line.append(Text(f"  {format_duration(item.duration_seconds) or ''}", style="dim"))
    if item.url:
        line.append(Text(f"  {item.url}", style="dim"))
    return _bullet("▶" if item.kind in {"video", "audio"} else "•", line)


def _similar(item: RelatedItem, language: str | None) -> Table:
    heading = Text(item.title, style="bold")
    where = [part for part in (item.feed_title,) if part]
    if item.published is not None:
        where.append(format_moment(item.published, language))
    lines = [heading]
    if where:
        lines.append(Text(" · ".join(where), style="dim"))
    if item.article_id is not None:
        lines.append(Text(f"newsreader show {item.article_id}", style="dim"))
    return _bullet("•", *lines)


# The word before an article's time, in the language its time is written in ("… Uhr").
STAMP_LABELS = {"de": ("Veröffentlicht:", "Aktualisiert:"), "en": ("Published:", "Updated:")}


def stamp_label(language: str | None, *, updated: bool) -> str:
    """ "Published:" or "Updated:", in German beside a German time."""
    published, changed = STAMP_LABELS["de" if is_german(language) else "en"]
    return changed if updated else published


def article_renderables(
    article: Article, similar: Sequence[RelatedItem] = ()
) -> list[RenderableType]:
    """Timestamp, headline, teaser, body and the sidebar's sections, top to bottom;
    ``similar`` are the stored stories most like it ("More on this")."""
    language = article.language
    parts: list[RenderableType] = []
    byline = Text(style="dim")
    if article.feed_title:
        byline.append(article.feed_title)
    if article.stamp is not None:
        label = article.labels.stamp or stamp_label(language, updated=article.updated is not None)
        if byline:
            byline.append(" · ")
        byline.append(f"{label} {format_moment(article.stamp, language)}")
    elif article.first_seen is not None:
        if byline:
            byline.append(" · ")
        seen = "Erstmals gesehen:" if is_german(language) else "First seen:"
        byline.append(f"{seen} {format_moment(article.first_seen, language)}")
    if byline:
        parts.append(byline)
    parts.append(Text(article.title, style="bold"))
    if article.teaser:
        parts.append(Text(article.teaser, style="italic"))
    for block in article.blocks:
        parts.append(Text(""))
        if block.kind is BlockKind.HEADING:
            parts.append(Text.assemble(HEADING_MARK, (block.text, "bold")))
        elif block.kind is BlockKind.QUOTE:
            parts.append(_bullet(">", Text(block.text, style="italic")))
        elif block.kind is BlockKind.LIST_ITEM:
            parts.append(_bullet("•", Text(block.text)))
        elif block.kind is BlockKind.PREFORMATTED:
            parts.append(Text(block.text, no_wrap=True, overflow="fold"))
        else:
            parts.append(Text(block.text))
    if article.url:
        parts.extend([Text(""), Text(article.url, style="dim")])
    if article.related:
        parts.extend([Text(""), _section(article.labels.related, RELATED_FALLBACK)])
        parts.extend(_related(item, language) for item in article.related)
    if article.programme:
        parts.extend([Text(""), _section(article.labels.programme, PROGRAMME_FALLBACK)])
        parts.extend(_slot(slot, language) for slot in article.programme)
    if article.media:
        parts.extend([Text(""), _section(article.labels.media, MEDIA_FALLBACK)])
        parts.extend(_media(item) for item in article.media)
    if similar:
        parts.extend([Text(""), _section(None, SIMILAR_HEADING)])
        parts.extend(_similar(item, language) for item in similar)
    return parts


def hits_renderables(hits: Sequence[SearchHit], *, styled: bool) -> list[RenderableType]:
    """Each hit: id and title, where it was found, and the snippet with its matches marked."""
    parts: list[RenderableType] = []
    width = max((len(str(hit.article_id)) for hit in hits), default=1)
    for number, hit in enumerate(hits):
        if number:
            parts.append(Text(""))
        where = Text(hit.feed_title, style="dim")
        where.append(f" · {_listed(hit.published)}")
        if hit.related_position is not None:
            where.append(f" · related item {hit.related_position + 1} of article {hit.article_id}")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True, min_width=width)
        grid.add_column(ratio=1)
        grid.add_row(
            Text(str(hit.article_id)),
            Group(Text(hit.title, style="bold"), where, highlighted(hit.snippet, styled=styled)),
        )
        parts.append(grid)
    return parts


def _trimmed(line: list[Segment]) -> list[Segment]:
    """A rendered line without the blank padding Rich adds to fill the width."""
    while line and not line[-1].control and not line[-1].text.rstrip():
        line = line[:-1]
    if line and not line[-1].control:
        last = line[-1]
        line = [*line[:-1], Segment(last.text.rstrip(), last.style)]
    return line


# How wide a table may grow in a pipe: wide enough that no row is ever cut or wrapped.
PIPE_TABLE_WIDTH = 100_000


def emit(console: Console, renderable: RenderableType, *, rows: bool = False) -> None:
    """Print wrapped to the console's width, with no trailing spaces for pipes and diffs.

    A table of ``rows`` in a pipe is not fitted to any width: each row is one whole line,
    for grep, cut and sort.
    """
    options = console.options
    if rows and not console.is_terminal:
        options = options.update(width=PIPE_TABLE_WIDTH)
    for line in console.render_lines(renderable, options, pad=False):
        console.print(Segments([*_trimmed(line), Segment.line()]), soft_wrap=True)


def make_console(file: TextIO) -> Console:
    """A console that prints text as given: no markup, emoji or guessing of highlights."""
    return Console(file=file, markup=False, emoji=False, highlight=False)
