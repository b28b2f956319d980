"""What both parse paths share about an entry: its link, identity, times, tags and links.

The feedparser path (``ingest``) and the fast path (``fastparse``) must turn the same entry
into the same article, so each rule lives here once. Nothing leaves without passing
``newsreader.text.sanitize``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from newsreader.feeds.extension import parse_duration
from newsreader.models import Article, Block, Feed, ImageRef, Link, MediaItem
from newsreader.text.htmltext import anchors, images
from newsreader.text.images import find_images, lead_image, with_lead
from newsreader.text.sanitize import clean_datetime, clean_line, link_url, openable_url

MAX_FEED_BYTES = 16 * 1024 * 1024


MAX_ENTRIES = 10_000


TEASER_LIMIT = 1_000


MAX_LINKS = 200


MAX_TAGS = 20


TAG_LIMIT = 100


MAX_MEDIA = 20


MAX_MEDIA_BYTES = 10**15  # a length beyond a petabyte is a broken one


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


@dataclass(frozen=True)
class ParsedFeed:
    feed: Feed
    articles: list[Article]
    warning: str | None = None


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


def entry_url(value: object, source: str) -> str | None:
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
    if kind not in HTML_TYPES and kind is not None:
        return ()
    found: dict[str, Link] = {}
    for text, href in anchors(value):
        url = entry_url(href, source)
        if url is not None and url not in found:
            found[url] = Link(clean_line(text, limit=200) or url, url)
            if len(found) >= MAX_LINKS:
                break
    return tuple(found.values())


def body_images(value: str, kind: str | None, source: str) -> tuple[Link, ...]:
    """The body's images as links ("[image: alt]"), for the links list until they are shown."""
    if kind not in HTML_TYPES and kind is not None:
        return ()
    found: dict[str, Link] = {}
    for alt, src in images(value):
        url = entry_url(src, source)
        if url is not None and url not in found:
            found[url] = Link(image_marker(alt), url)
            if len(found) >= MAX_LINKS:
                break
    return tuple(found.values())


def image_marker(alt: str) -> str:
    """What stands for an image in text: "[image: alt]", or "[image]" without alt text."""
    text = clean_line(alt, limit=200)
    return f"[image: {text}]" if text else "[image]"


def entry_images(
    entry: Mapping[str, Any], value: str, kind: str | None, source: str
) -> tuple[ImageRef, ...]:
    """The pictures of an entry's HTML body, led by its thumbnail or image enclosure."""
    base = link_base(source)
    found = find_images(value, base) if kind in HTML_TYPES or kind is None else ()
    candidates: list[tuple[str | None, str | None]] = []
    for thumbnail in entry.get("media_thumbnail") or []:
        if isinstance(thumbnail, Mapping):
            candidates.append((thumbnail.get("url"), "image"))
    for media in entry.get("media_content") or []:
        if isinstance(media, Mapping):
            candidates.append((media.get("url"), media.get("type") or media.get("medium")))
    for link in entry.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel") == "enclosure":
            candidates.append((link.get("href"), link.get("type") or "-"))
    return with_lead(found, lead_image(candidates, base) if candidates else None)


def entry_links(value: str, kind: str | None, source: str) -> tuple[Link, ...]:
    """A body's links, then its images, each address once and at most MAX_LINKS."""
    links = body_links(value, kind, source)
    if "<img" not in value and "<IMG" not in value and "<Img" not in value:
        return links
    seen = {link.url for link in links}
    extra = [link for link in body_images(value, kind, source) if link.url not in seen]
    return (links + tuple(extra))[:MAX_LINKS]


_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+_-]*/[a-z0-9][a-z0-9.+_-]*", re.ASCII)


def _media_type(value: object) -> str | None:
    text = clean_line(value, limit=100).lower() if isinstance(value, str) else ""
    text = text.partition(";")[0].strip()
    return text if _MEDIA_TYPE.fullmatch(text) else None


def _media_length(value: object) -> int | None:
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        return None
    length = int(text)
    return length if 0 < length <= MAX_MEDIA_BYTES else None


def _media_duration(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    text = value.strip()[:40]
    if "." in text and text.replace(".", "", 1).isdigit():
        text = text.partition(".")[0]  # media:content gives seconds with a fraction
    return parse_duration(text)


def _media_kind(mime_type: str | None, medium: object = None) -> str:
    for candidate in (medium if isinstance(medium, str) else "", mime_type or ""):
        kind = candidate.lower().partition("/")[0]
        if kind in ("audio", "video", "image"):
            return kind
    return "file"


def _file_name(url: str) -> str:
    return clean_line(urlsplit(url).path.rstrip("/").rpartition("/")[2], limit=200)


def entry_media(entry: Mapping[str, Any], title: str, source: str) -> tuple[MediaItem, ...]:
    """The entry's enclosures (RSS <enclosure>, Atom rel="enclosure") and its Media RSS
    audio and video, as media items: address, type, size and duration.

    The duration comes from the matching media:content, else from itunes:duration for
    the first enclosure. Each address counts once.
    """
    described: dict[str, Mapping[str, Any]] = {}
    contents: list[Mapping[str, Any]] = [
        item for item in (entry.get("media_content") or []) if isinstance(item, Mapping)
    ]
    for item in contents:
        url = entry_url(item.get("url"), source)
        if url is not None:
            described.setdefault(url, item)
    podcast_duration = _media_duration(_own(entry, "itunes_duration"))
    found: dict[str, MediaItem] = {}

    def add(
        url: str,
        mime_type: str | None,
        length: int | None,
        name: object,
        medium: object,
        duration: int | None,
    ) -> None:
        if url in found or len(found) >= MAX_MEDIA:
            return
        label = clean_line(name, limit=200) if isinstance(name, str) else ""
        found[url] = MediaItem(
            title=label or title or _file_name(url) or url,
            duration_seconds=duration,
            url=url,
            kind=_media_kind(mime_type, medium),
            mime_type=mime_type,
            length=length,
        )

    for link in entry.get("links") or []:
        if not isinstance(link, Mapping) or link.get("rel") != "enclosure":
            continue
        url = entry_url(link.get("href"), source)
        if url is None:
            continue
        detail = described.get(url, {})
        duration = _media_duration(detail.get("duration"))
        if duration is None and not found:
            duration = podcast_duration
        mime_type = _media_type(link.get("type")) or _media_type(detail.get("type"))
        add(
            url,
            mime_type,
            _media_length(link.get("length")),
            link.get("title"),
            detail.get("medium"),
            duration,
        )
    for item in contents:
        url = entry_url(item.get("url"), source)
        mime_type = _media_type(item.get("type"))
        kind = _media_kind(mime_type, item.get("medium"))
        if url is None or kind not in ("audio", "video"):
            continue  # pictures here are thumbnails of the story, not something to play
        duration = _media_duration(item.get("duration"))
        if duration is None and not found:
            duration = podcast_duration
        add(url, mime_type, _media_length(item.get("filesize")), None, item.get("medium"), duration)
    return tuple(found.values())


def best_content(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    contents: list[Mapping[str, Any]] = list(entry.get("content") or [])
    if not contents:
        return None
    for content in contents:
        if content.get("type") in HTML_TYPES:
            return content
    return contents[0]


def fallback_title(teaser: str, blocks: tuple[Block, ...]) -> str:
    source = teaser or (blocks[0].text if blocks else "")
    return clean_line(source, limit=80) or "(untitled)"


def link_of(entry: Mapping[str, Any], source: str) -> str | None:
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return entry_url(link["href"], source)
    if entry.get("guidislink"):
        return None
    return entry_url(entry.get("link"), source)


def entry_guid(
    entry: Mapping[str, Any], title: str, stamp: datetime | None, url: str | None
) -> str:
    """The per-feed identity of an entry: its id, else its link, else title and date."""
    explicit = clean_line(entry.get("id"), limit=1_000)
    if explicit:
        return explicit
    if url:
        return url
    digest = hashlib.sha256(f"{title}\x00{stamp.isoformat() if stamp else ''}".encode())
    return "sha256:" + digest.hexdigest()


def entry_time(entry: Mapping[str, Any], name: str) -> datetime | None:
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
