"""feedparser output to sanitised models: the one path every feed takes into the store.

The bundled feed, a local file and (later) an HTTP body all arrive here as bytes. Nothing
leaves this module without passing ``newsreader.sanitize``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser

from newsreader.extension import EntryExtension, read_extensions
from newsreader.htmltext import html_to_blocks, html_to_line, text_to_blocks
from newsreader.models import Article, Block, Feed
from newsreader.sanitize import clean_line, clean_url

MAX_FEED_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 10_000
TEASER_LIMIT = 1_000
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


class FeedError(Exception):
    """A feed that cannot be read. The message is sanitised and fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message, limit=300))


@dataclass(frozen=True)
class ParsedFeed:
    feed: Feed
    articles: list[Article]
    warning: str | None = None


def read_feed_file(path: Path) -> bytes:
    """The bytes of a local feed file, with errors a user can act on."""
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise FeedError(f"{path}: larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
        return path.read_bytes()
    except FileNotFoundError:
        raise FeedError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FeedError(f"{path}: is a directory") from None
    except OSError as error:
        raise FeedError(f"{path}: {error.strerror or error}") from None


def parse_feed(data: bytes, source: str) -> ParsedFeed:
    """Parse feed bytes. Raises FeedError when they hold no usable feed."""
    try:
        # Bytes, never a URL or a path: feedparser must not fetch or open anything.
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    except Exception as error:  # feedparser raises odd things on hostile input
        raise FeedError(f"the feed could not be parsed ({type(error).__name__})") from None
    meta: Mapping[str, Any] = parsed.get("feed", {})
    entries: list[Mapping[str, Any]] = list(parsed.get("entries", []))
    problem = parsed.get("bozo_exception")
    if not entries and not meta.get("title"):
        reason = f": {problem}" if problem else ""
        raise FeedError(f"not a readable RSS or Atom feed{reason}")
    language = clean_line(meta.get("language"), limit=20) or None
    feed = Feed(
        source=source,
        title=_title_of(meta) or clean_line(source, limit=200),
        link=clean_url(meta.get("link")),
        language=language,
    )
    extensions = read_extensions(data) or []
    articles = [
        _article(entry, index, language, extensions)
        for index, entry in enumerate(entries[:MAX_ENTRIES])
    ]
    warning = None
    if len(entries) > MAX_ENTRIES:
        warning = f"only the first {MAX_ENTRIES} of {len(entries)} entries were kept"
    elif problem and articles:
        warning = clean_line(f"the feed is not well-formed: {problem}", limit=300)
    return ParsedFeed(feed=feed, articles=articles, warning=warning)


def _title_of(detail_owner: Mapping[str, Any]) -> str:
    detail = detail_owner.get("title_detail") or {}
    title = detail_owner.get("title") or ""
    if detail.get("type") in _HTML_TYPES:
        return html_to_line(title)
    return clean_line(title)


def _article(
    entry: Mapping[str, Any],
    index: int,
    feed_language: str | None,
    extensions: list[EntryExtension],
) -> Article:
    extension = extensions[index] if index < len(extensions) else EntryExtension()
    title = _title_of(entry)
    summary = entry.get("summary") or ""
    summary_type = (entry.get("summary_detail") or {}).get("type")
    content = _best_content(entry)
    if content is not None:
        blocks = _blocks(content.get("value") or "", content.get("type"))
        teaser = _teaser(summary, summary_type)
    else:
        blocks = _blocks(summary, summary_type)
        teaser = ""
    published = _timestamp(entry, "published")
    updated = _timestamp(entry, "updated")
    url = _link_of(entry)
    language = (content or {}).get("language") or feed_language
    article = Article(
        guid=_guid(entry, title, published or updated, url),
        title=title or _fallback_title(teaser, blocks),
        teaser=teaser,
        blocks=blocks,
        kicker=extension.kicker,
        url=url,
        author=clean_line(entry.get("author"), limit=200) or None,
        language=clean_line(language, limit=20) or None,
        published=published,
        updated=updated,
        related=extension.related,
        programme=extension.programme,
        media=extension.media,
        labels=extension.labels,
    )
    if article.kicker and not article.title.startswith(article.kicker):
        article = replace(article, kicker=None)
    return article


def _best_content(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    contents: list[Mapping[str, Any]] = list(entry.get("content") or [])
    if not contents:
        return None
    for content in contents:
        if content.get("type") in _HTML_TYPES:
            return content
    return contents[0]


def _blocks(value: str, kind: str | None) -> tuple[Block, ...]:
    if kind in _HTML_TYPES or kind is None:
        return html_to_blocks(value)
    return text_to_blocks(value)


def _teaser(value: str, kind: str | None) -> str:
    line = html_to_line(value) if kind in _HTML_TYPES else clean_line(value)
    return clean_line(line, limit=TEASER_LIMIT)


def _fallback_title(teaser: str, blocks: tuple[Block, ...]) -> str:
    source = teaser or (blocks[0].text if blocks else "")
    return clean_line(source, limit=80) or "(untitled)"


def _link_of(entry: Mapping[str, Any]) -> str | None:
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return clean_url(link["href"])
    if entry.get("guidislink"):
        return None
    return clean_url(entry.get("link"))


def _guid(entry: Mapping[str, Any], title: str, stamp: datetime | None, url: str | None) -> str:
    """The per-feed identity of an entry: its id, else its link, else title and date."""
    explicit = clean_line(entry.get("id"), limit=1_000)
    if explicit:
        return explicit
    if url:
        return url
    digest = hashlib.sha256(f"{title}\x00{stamp.isoformat() if stamp else ''}".encode())
    return "sha256:" + digest.hexdigest()


def _timestamp(entry: Mapping[str, Any], name: str) -> datetime | None:
    """The entry's time, keeping the source's UTC offset where the text gives one."""
    raw = entry.get(name)
    if isinstance(raw, str) and raw.strip():
        text = raw.strip()
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            value = None
        if value is None:
            try:
                value = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                value = None
        if value is not None:
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = entry.get(f"{name}_parsed")
    if isinstance(parsed, time.struct_time):
        try:
            return datetime(*parsed[:6], tzinfo=UTC)
        except (ValueError, OverflowError):
            return None
    return None
