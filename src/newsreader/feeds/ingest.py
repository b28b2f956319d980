"""feedparser output to sanitised models: the one path every feed takes into the store.

The bundled feed, a local file and an HTTP body all arrive here as bytes. They pass
``newsreader.feeds.xmlguard`` before feedparser sees them (no entity can be fetched or blow up,
no character reference can crash it), and nothing leaves this module without passing
``newsreader.text.sanitize``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import feedparser

from newsreader.feeds.entries import (
    HTML_TYPES,
    MAX_ENTRIES,
    MAX_FEED_BYTES,
    TEASER_LIMIT,
    ParsedFeed,
    entry_time,
    entry_url,
    unique_articles,
)
from newsreader.feeds.entry_article import Converters, build_article
from newsreader.feeds.extension import EntryExtension, read_extensions
from newsreader.feeds.fastparse.parse import try_fast_parse

# Public here too: callers that parse know them by these names.
from newsreader.feeds.feedfile import A_WEB_PAGE, NOT_A_FEED, looks_like_html, where_it_breaks
from newsreader.feeds.feedfile import FeedError as FeedError
from newsreader.feeds.feedfile import read_feed_file as read_feed_file
from newsreader.feeds.xmlguard import UnsafeDocumentError, defuse
from newsreader.models import Article, Block, Feed
from newsreader.text.fasthtml import html_to_blocks, html_to_line, text_to_blocks
from newsreader.text.sanitize import clean_line


def parse_feed(data: bytes, source: str) -> ParsedFeed:
    """Parse feed bytes. Raises FeedError when they hold no usable feed."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
    # Well-formed RSS 2.0 and Atom 1.0 that the fast path can vouch for give the same
    # result ten times sooner; everything else is feedparser's.
    fast = try_fast_parse(data, source)
    if fast is not None:
        return fast
    try:
        defused = defuse(data, max_entries=MAX_ENTRIES)
    except UnsafeDocumentError as error:
        raise FeedError(str(error)) from None
    try:
        # A stream, never bytes or a str: feedparser opens any string that names a file.
        # Its HTML sanitiser and link resolver are off because html_to_blocks keeps only
        # text, and the sanitiser's comment pattern takes quadratic time on "<!--<!--...".
        parsed = feedparser.parse(
            io.BytesIO(defused.data), sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as error:  # feedparser raises odd things on hostile input
        raise FeedError(f"the feed could not be parsed ({type(error).__name__})") from None
    meta: Mapping[str, Any] = parsed.get("feed", {})
    entries: list[Mapping[str, Any]] = list(parsed.get("entries", []))
    problem = parsed.get("bozo_exception")
    if not entries and not meta.get("title"):
        if looks_like_html(data):
            raise FeedError(f"{NOT_A_FEED}: {A_WEB_PAGE}")
        raise FeedError(NOT_A_FEED + (f" ({where_it_breaks(problem)})" if problem else ""))
    language = clean_line(meta.get("language"), limit=20) or None
    feed = Feed(
        source=source,
        title=_title_of(meta) or clean_line(source, limit=200),
        link=entry_url(meta.get("link"), source),
        language=language,
    )
    extensions = read_extensions(defused.data) or []
    articles = unique_articles(
        article_from_entry(entry, index, language, extensions, source)
        for index, entry in enumerate(entries[:MAX_ENTRIES])
    )
    # The guard's count of entries only matters when it cut some out before parsing.
    total = max(defused.entries, len(entries)) if defused.entries_dropped else len(entries)
    kept = min(len(entries), MAX_ENTRIES)
    warning = None
    if total > kept:
        warning = f"only the first {kept} of {total} entries were kept"
    elif problem and articles:
        warning = clean_line(f"the feed is not well-formed ({where_it_breaks(problem)})", limit=300)
    return ParsedFeed(feed=feed, articles=articles, warning=warning)


def _title_of(detail_owner: Mapping[str, Any]) -> str:
    detail = detail_owner.get("title_detail") or {}
    title = detail_owner.get("title") or ""
    if detail.get("type") in HTML_TYPES:
        return html_to_line(title)
    return clean_line(title)


def article_from_entry(
    entry: Mapping[str, Any],
    index: int,
    feed_language: str | None,
    extensions: list[EntryExtension],
    source: str,
) -> Article:
    extension = extensions[index] if index < len(extensions) else EntryExtension()
    return build_article(entry, extension, feed_language, source, FEEDPARSER_PATH)


def _blocks(value: str, kind: str | None) -> tuple[Block, ...]:
    if kind in HTML_TYPES or kind is None:
        return html_to_blocks(value)
    return text_to_blocks(value)


def _teaser(value: str, kind: str | None) -> str:
    line = html_to_line(value) if kind in HTML_TYPES or kind is None else clean_line(value)
    return clean_line(line, limit=TEASER_LIMIT)


FEEDPARSER_PATH = Converters(_title_of, _blocks, _teaser, entry_time)
