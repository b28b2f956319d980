"""A fast path for well-formed RSS 2.0 and Atom 1.0 feeds, equal to ``ingest.parse_feed``.

feedparser stays the parser of record. ``try_fast_parse`` reads only documents whose every
part it can vouch for and returns exactly what ``parse_feed`` returns for them; for any
other document it returns None, and the caller takes the feedparser path. A document is
read here only if (``document``):

* it is strictly valid UTF-8, declared as UTF-8 or not declared, has no NUL byte, no
  DOCTYPE or other markup declaration, and ``xmlguard.defuse`` would pass it on unchanged
  (no character reference it rewrites, no more entries or markup than it allows);
* expat, the parser of feedparser's strict mode, finds it well-formed (so it has no
  control character and no undefined entity), and it declares no namespace that changes
  how feedparser reads it;

and if it is an RSS 2.0 ``rss/channel/item`` or an Atom 1.0 ``feed/entry`` document made
only of the elements and attributes ``formats`` lists: no xml:base or base attribute, no
xhtml or base64 content, no content by reference, no Media RSS, no iTunes element but an
item's itunes:duration, no Dublin Core
title or date other than dc:date, no RSS source, no markup where text belongs.

For those documents feedparser's handling is reproduced step by step (``elements``): its
whitespace stripping, its repair of UTF-8 read as Latin-1 and of windows-1252 characters,
its guess that an RSS title is HTML, the order in which ``link``, ``guid`` and ``id``
fill in an entry's link, its author bookkeeping, the language content inherits. The
entries then go through the helpers ``ingest`` uses, with ``fasthtml`` for the HTML.
tests/test_fastparse.py compares both paths over the feed corpora and generated feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newsreader.feeds.entries import (
    HTML_TYPES,
    TEASER_LIMIT,
    ParsedFeed,
    entry_time,
    entry_url,
    unique_articles,
)
from newsreader.feeds.entry_article import Converters, build_article
from newsreader.feeds.extension import EntryExtension, read_extensions
from newsreader.feeds.fastparse.document import defused_as_is, parse_xml
from newsreader.feeds.fastparse.elements import ATOM, LATER, Refused, parse_date
from newsreader.feeds.fastparse.formats import read_atom, read_rss
from newsreader.models import Article, Block, Feed
from newsreader.text.fasthtml import fast_clean_line, html_to_blocks, html_to_line, text_to_blocks
from newsreader.text.sanitize import clean_line

__all__ = ["try_fast_parse"]

_NO_EXTENSION = EntryExtension()  # immutable, so one serves every entry


def try_fast_parse(data: bytes, source: str) -> ParsedFeed | None:
    """What ``ingest.parse_feed(data, source)`` returns, or None if that is not certain."""
    if not defused_as_is(data):
        return None
    root = parse_xml(data)
    if root is None:
        return None
    try:
        if root.tag == "rss":
            meta, entries = read_rss(root)
        elif root.tag == ATOM + "feed":
            meta, entries = read_atom(root)
        else:
            return None
    except Refused:
        return None
    if not entries and not meta.get("title"):
        return None  # parse_feed raises FeedError here
    # From here on, parse_feed's own steps, in its order.
    language = clean_line(meta.get("language"), limit=20) or None
    feed = Feed(
        source=source,
        title=_title_of(meta) or clean_line(source, limit=200),
        link=entry_url(meta.get("link"), source),
        language=language,
    )
    extensions = read_extensions(data) or []
    articles = unique_articles(
        _article(entry, index, language, extensions, source) for index, entry in enumerate(entries)
    )
    # No warning: the guard cut no entry out, and the document is well-formed.
    return ParsedFeed(feed=feed, articles=articles, warning=None)


# ingest's helpers that convert HTML, with fasthtml's converters in place of htmltext's


def _title_of(owner: Mapping[str, Any]) -> str:
    title = owner.get("title") or ""
    if (owner.get("title_detail") or {}).get("type") in HTML_TYPES:
        return html_to_line(title)
    return fast_clean_line(title)


def _blocks(value: str, kind: str | None) -> tuple[Block, ...]:
    if kind in HTML_TYPES or kind is None:
        return html_to_blocks(value)
    return text_to_blocks(value)


def _teaser(value: str, kind: str | None) -> str:
    html = kind in HTML_TYPES or kind is None
    line = html_to_line(value) if html else fast_clean_line(value)
    # The line is clean already, and cleaning is idempotent: only the limit can change it.
    if len(line) <= TEASER_LIMIT:
        return line
    return fast_clean_line(line, limit=TEASER_LIMIT)


def _stamp(entry: Mapping[str, Any], name: str) -> datetime | None:
    """``entry_time(entry, name)``, with feedparser's parse made only when needed."""
    raw = entry.get(name)
    if raw is None:
        return None
    parsed = entry.get(f"{name}_parsed")
    if parsed is LATER:
        stamp = entry_time({name: raw}, name)
        if stamp is not None or not raw:
            return stamp  # the text alone decided, as it does in ingest
        parsed = parse_date(raw)
    return entry_time({name: raw, f"{name}_parsed": parsed}, name)


def _article(
    entry: dict[str, Any],
    index: int,
    feed_language: str | None,
    extensions: list[EntryExtension],
    source: str,
) -> Article:
    """``ingest.article_from_entry``, line by line."""
    extension = extensions[index] if index < len(extensions) else _NO_EXTENSION
    return build_article(entry, extension, feed_language, source, FAST_PATH)


FAST_PATH = Converters(_title_of, _blocks, _teaser, _stamp)
