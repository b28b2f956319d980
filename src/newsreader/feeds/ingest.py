"""feedparser output to sanitised models: the one path every feed takes into the store.

The bundled feed, a local file and an HTTP body all arrive here as bytes. They pass
``newsreader.feeds.xmlguard`` before feedparser sees them (no entity can be fetched or blow up,
no character reference can crash it), and nothing leaves this module without passing
``newsreader.text.sanitize``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser

from newsreader.feeds import fastparse
from newsreader.feeds.extension import EntryExtension, read_extensions
from newsreader.feeds.xmlguard import UnsafeDocumentError, defuse
from newsreader.models import Article, Block, Feed, Link
from newsreader.text.fasthtml import html_to_blocks, html_to_line, text_to_blocks
from newsreader.text.htmltext import anchors
from newsreader.text.sanitize import clean_datetime, clean_line, link_url, openable_url

MAX_FEED_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 10_000
TEASER_LIMIT = 1_000
MAX_LINKS = 200
MAX_TAGS = 20
TAG_LIMIT = 100
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
    """The bytes of a local feed file, with errors a user can act on.

    At most MAX_FEED_BYTES are read, whatever the file claims: a pipe or a device such
    as /dev/zero has no size and no end.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FEED_BYTES + 1)
    except FileNotFoundError:
        raise FeedError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FeedError(f"{path}: is a directory") from None
    except OSError as error:
        raise FeedError(f"{path}: {error.strerror or error}") from None
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"{path}: larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
    return data


def parse_feed(data: bytes, source: str) -> ParsedFeed:
    """Parse feed bytes. Raises FeedError when they hold no usable feed."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
    # Well-formed RSS 2.0 and Atom 1.0 that the fast path can vouch for give the same
    # result ten times sooner; everything else is feedparser's.
    fast = fastparse.try_fast_parse(data, source)
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
        reason = f": {problem}" if problem else ""
        raise FeedError(f"not a readable RSS or Atom feed{reason}")
    language = clean_line(meta.get("language"), limit=20) or None
    feed = Feed(
        source=source,
        title=_title_of(meta) or clean_line(source, limit=200),
        link=_url(meta.get("link"), source),
        language=language,
    )
    extensions = read_extensions(defused.data) or []
    articles = unique_articles(
        _article(entry, index, language, extensions, source)
        for index, entry in enumerate(entries[:MAX_ENTRIES])
    )
    # The guard's count of entries only matters when it cut some out before parsing.
    total = max(defused.entries, len(entries)) if defused.entries_dropped else len(entries)
    kept = min(len(entries), MAX_ENTRIES)
    warning = None
    if total > kept:
        warning = f"only the first {kept} of {total} entries were kept"
    elif problem and articles:
        warning = clean_line(f"the feed is not well-formed: {problem}", limit=300)
    return ParsedFeed(feed=feed, articles=articles, warning=warning)


def unique_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles, keeping only the first of any that share a guid.

    The guid is an article's identity in the store, and broken feeds repeat it.
    """
    seen: set[str] = set()
    unique = []
    for article in articles:
        if article.guid not in seen:
            seen.add(article.guid)
            unique.append(article)
    return unique


def _url(value: object, source: str) -> str | None:
    """A link worth storing (see ``link_url``), relative ones resolved against the feed.

    Other schemes (javascript:, data:, file:, ...) are never stored, so no later layer
    can open them by mistake.
    """
    if not isinstance(value, str) or not value:
        return None
    base = link_base(source)
    if base is not None:
        try:
            value = urljoin(base, value.strip())
        except ValueError:
            return None
    return link_url(value)


@functools.lru_cache(maxsize=256)
def link_base(source: str) -> str | None:
    """What a feed's relative links are resolved against: its address, if it has one.

    Credentials in the subscription address must not spread to its stories' links. A
    feed's every link and body link needs this, so it is worked out once per source.
    """
    base = openable_url(source)
    if base is None:
        return None
    parts = urlsplit(base)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


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
    source: str,
) -> Article:
    extension = extensions[index] if index < len(extensions) else EntryExtension()
    title = _title_of(entry)
    summary = entry.get("summary") or ""
    summary_type = (entry.get("summary_detail") or {}).get("type")
    content = _best_content(entry)
    if content is not None:
        body = content.get("value") or ""
        blocks = _blocks(body, content.get("type"))
        links = body_links(body, content.get("type"), source)
        # feedparser copies the content into the summary when there is none.
        teaser = "" if summary == body else _teaser(summary, summary_type)
    else:
        blocks = _blocks(summary, summary_type)
        links = body_links(summary, summary_type, source)
        teaser = ""
    published = _timestamp(entry, "published")
    updated = _timestamp(entry, "updated")
    url = _link_of(entry, source)
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
        links=links,
        tags=entry_tags(entry),
    )
    if article.kicker and not article.title.startswith(article.kicker):
        article = replace(article, kicker=None)
    return article


def entry_tags(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The entry's categories (their terms), cleaned, each once, at most MAX_TAGS."""
    found: dict[str, None] = {}
    for tag in entry.get("tags") or []:
        term = tag.get("term") if isinstance(tag, Mapping) else None
        text = clean_line(term, limit=TAG_LIMIT) if isinstance(term, str) else ""
        if text and text not in found:
            found[text] = None
            if len(found) >= MAX_TAGS:
                break
    return tuple(found)


def body_links(value: str, kind: str | None, source: str) -> tuple[Link, ...]:
    """The http(s) links of an HTML body, in order, each address once."""
    if kind not in _HTML_TYPES and kind is not None:
        return ()
    found: dict[str, Link] = {}
    for text, href in anchors(value):
        url = _url(href, source)
        if url is not None and url not in found:
            found[url] = Link(clean_line(text, limit=200) or url, url)
            if len(found) >= MAX_LINKS:
                break
    return tuple(found.values())


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
    line = html_to_line(value) if kind in _HTML_TYPES or kind is None else clean_line(value)
    return clean_line(line, limit=TEASER_LIMIT)


def _fallback_title(teaser: str, blocks: tuple[Block, ...]) -> str:
    source = teaser or (blocks[0].text if blocks else "")
    return clean_line(source, limit=80) or "(untitled)"


def _link_of(entry: Mapping[str, Any], source: str) -> str | None:
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return _url(link["href"], source)
    if entry.get("guidislink"):
        return None
    return _url(entry.get("link"), source)


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
    """The entry's time, keeping the source's UTC offset where the text gives one.

    Times that cannot be sorted or shown (see ``clean_datetime``) count as unknown.
    feedparser's own reading is only a fallback, and only when the year it found is
    written in the text: it turns "10000-01-01" into 2010 and "-0044-03-15" into today.
    """
    raw = _own(entry, name)
    text = raw.strip()[:100] if isinstance(raw, str) else ""
    if not text:
        return None
    value = _parse_time(text)
    if value is not None:
        return clean_datetime(value)
    parsed = _own(entry, f"{name}_parsed")
    if isinstance(parsed, time.struct_time) and re.search(
        rf"(?<!\d){parsed.tm_year:04d}(?!\d)", text
    ):
        try:
            return clean_datetime(datetime(*parsed[:6], tzinfo=UTC))
        except (ValueError, OverflowError):
            return None
    return None


def _own(entry: Mapping[str, Any], key: str) -> Any:
    """The entry's own value for ``key``, without feedparser's aliases.

    feedparser answers "updated" with "published" when an entry has no update time (and
    warns about it), which would blur the two.
    """
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


_RFC822_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d+)\b")


def _parse_time(text: str) -> datetime | None:
    """An ISO 8601 or RFC 822 time; naive times are taken as UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        # The email parser reads any year below 100 as 19xx or 20xx, even one written
        # with four digits: "01 Jan 0001" would become 2001.
        written = _RFC822_YEAR.search(text)
        if written and len(written.group(1)) > 2 and int(written.group(1)) != value.year:
            try:
                value = value.replace(year=int(written.group(1)))
            except (ValueError, OverflowError):
                return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
